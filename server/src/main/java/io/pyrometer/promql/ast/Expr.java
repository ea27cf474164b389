package io.pyrometer.promql.ast;

import java.util.ArrayList;
import java.util.List;

/**
 * A PromQL expression node. Every node is an immutable record; {@code toString()} gives the
 * canonical form Prometheus's {@code String()} gives (see {@link Printer}).
 *
 * <pre>{@code
 * switch (expr) {
 *     case NumberLiteral n -> ...;
 *     case VectorSelector vs -> ...;
 *     ...
 * }
 * }</pre>
 */
public sealed interface Expr
        permits AggregateExpr, BinaryExpr, Call, DurationExpr, MatrixSelector, NumberLiteral, ParenExpr,
        StepInvariantExpr, StringLiteral, SubqueryExpr, UnaryExpr, VectorSelector {

    /** The type this expression evaluates to (already checked by the parser). */
    ValueType type();

    /** Where this node is in the query string. */
    PosRange pos();

    /**
     * The direct sub-expressions, in source order (Prometheus's {@code Children}): the parameter of
     * an aggregation comes before its vector; duration expressions of selectors are not included.
     */
    default List<Expr> children() {
        return switch (this) {
            case AggregateExpr a -> a.param() == null ? List.of(a.expr()) : List.of(a.param(), a.expr());
            case BinaryExpr b -> List.of(b.lhs(), b.rhs());
            case Call c -> c.args();
            case ParenExpr p -> List.of(p.expr());
            case UnaryExpr u -> List.of(u.expr());
            case SubqueryExpr s -> List.of(s.expr());
            case MatrixSelector m -> List.of(m.vs());
            case StepInvariantExpr s -> List.of(s.expr());
            case DurationExpr d -> {
                List<Expr> l = new ArrayList<>(2);
                if (d.lhs() != null) l.add(d.lhs());
                if (d.rhs() != null) l.add(d.rhs());
                yield List.copyOf(l);
            }
            case NumberLiteral n -> List.of();
            case StringLiteral s -> List.of();
            case VectorSelector v -> List.of();
        };
    }
}
