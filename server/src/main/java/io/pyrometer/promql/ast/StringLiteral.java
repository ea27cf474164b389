package io.pyrometer.promql.ast;

/** A string literal, already unquoted. */
public record StringLiteral(String value, PosRange pos) implements Expr {
    public StringLiteral(String value) { this(value, PosRange.NONE); }

    @Override public ValueType type() { return ValueType.STRING; }
    @Override public String toString() { return Printer.print(this); }
}
