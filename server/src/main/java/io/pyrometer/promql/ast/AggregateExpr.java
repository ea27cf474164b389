package io.pyrometer.promql.ast;

import java.util.List;

/**
 * An aggregation such as {@code sum by (job) (x)} or {@code topk(3, x)}.
 *
 * @param param    the parameter of {@code topk}, {@code quantile}, {@code count_values}, ... else null
 * @param grouping the {@code by}/{@code without} labels (empty when none)
 */
public record AggregateExpr(AggOp op, Expr expr, Expr param, List<String> grouping, boolean without, PosRange pos)
        implements Expr {
    public AggregateExpr {
        grouping = List.copyOf(grouping);
    }

    public AggregateExpr(AggOp op, Expr expr, Expr param, List<String> grouping, boolean without) {
        this(op, expr, param, grouping, without, PosRange.NONE);
    }

    @Override public ValueType type() { return ValueType.VECTOR; }
    @Override public String toString() { return Printer.print(this); }
}
