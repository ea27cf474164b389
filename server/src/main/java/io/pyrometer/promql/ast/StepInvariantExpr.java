package io.pyrometer.promql.ast;

/**
 * Marks a subtree whose value is the same at every step (e.g. it has {@code @}). The parser never
 * produces it; the engine may wrap nodes in it. Prints as its child.
 */
public record StepInvariantExpr(Expr expr) implements Expr {
    @Override public ValueType type() { return expr.type(); }
    @Override public PosRange pos() { return expr.pos(); }
    @Override public String toString() { return Printer.print(this); }
}
