package io.pyrometer.promql.ast;

/**
 * A range-vector selector {@code vs[range]}; offset and {@code @} live on {@code vs}.
 *
 * @param rangeMs   the range; 0 while {@code rangeExpr} still depends on {@code step()}/{@code range()}
 * @param rangeExpr the range duration expression when one was written (experimental), else null
 * @param anchored  the experimental {@code anchored} modifier ({@code rate(x[5m] anchored)})
 * @param smoothed  the experimental {@code smoothed} modifier
 */
public record MatrixSelector(VectorSelector vs, long rangeMs, DurationExpr rangeExpr, boolean anchored,
                             boolean smoothed, PosRange pos) implements Expr {
    public MatrixSelector(VectorSelector vs, long rangeMs) {
        this(vs, rangeMs, null, false, false, PosRange.NONE);
    }

    @Override public ValueType type() { return ValueType.MATRIX; }
    @Override public String toString() { return Printer.print(this); }
}
