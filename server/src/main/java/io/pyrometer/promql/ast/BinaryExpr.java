package io.pyrometer.promql.ast;

/**
 * A binary expression.
 *
 * @param matching   set exactly when both sides are instant vectors
 * @param returnBool the {@code bool} modifier of a comparison
 */
public record BinaryExpr(BinOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool)
        implements Expr {
    @Override
    public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }

    @Override public PosRange pos() { return PosRange.merge(lhs.pos(), rhs.pos()); }
    @Override public String toString() { return Printer.print(this); }
}
