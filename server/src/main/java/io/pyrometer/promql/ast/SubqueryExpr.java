package io.pyrometer.promql.ast;

/**
 * A subquery {@code expr[range:step] offset o @ t}.
 *
 * @param stepMs 0 means the default (the global evaluation interval)
 * @param rangeExpr, stepExpr, offsetExpr duration expressions when written (experimental), else null;
 *        the matching {@code *Ms} is 0 while its expression depends on {@code step()}/{@code range()}
 */
public record SubqueryExpr(Expr expr, long rangeMs, DurationExpr rangeExpr, long stepMs, DurationExpr stepExpr,
                           long offsetMs, DurationExpr offsetExpr, AtModifier at, PosRange pos) implements Expr {
    public SubqueryExpr(Expr expr, long rangeMs, long stepMs, long offsetMs, AtModifier at) {
        this(expr, rangeMs, null, stepMs, null, offsetMs, null, at, PosRange.NONE);
    }

    public SubqueryExpr withOffset(long newOffsetMs, DurationExpr newOffsetExpr) {
        return new SubqueryExpr(expr, rangeMs, rangeExpr, stepMs, stepExpr, newOffsetMs, newOffsetExpr, at, pos);
    }

    public SubqueryExpr withAt(AtModifier newAt) {
        return new SubqueryExpr(expr, rangeMs, rangeExpr, stepMs, stepExpr, offsetMs, offsetExpr, newAt, pos);
    }

    @Override public ValueType type() { return ValueType.MATRIX; }
    @Override public String toString() { return Printer.print(this); }
}
