package io.pyrometer.promql.ast;

/** A parenthesised expression, kept so printing reproduces the grouping. */
public record ParenExpr(Expr expr, PosRange pos) implements Expr {
    public ParenExpr(Expr expr) { this(expr, PosRange.NONE); }

    @Override public ValueType type() { return expr.type(); }
    @Override public String toString() { return Printer.print(this); }
}
