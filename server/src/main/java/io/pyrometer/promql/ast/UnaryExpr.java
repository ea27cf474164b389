package io.pyrometer.promql.ast;

/** Unary {@code -} or {@code +} on a scalar or instant vector (literals are folded by the parser). */
public record UnaryExpr(char op, Expr expr, PosRange pos) implements Expr {
    public UnaryExpr(char op, Expr expr) { this(op, expr, PosRange.NONE); }

    @Override public ValueType type() { return expr.type(); }
    @Override public String toString() { return Printer.print(this); }
}
