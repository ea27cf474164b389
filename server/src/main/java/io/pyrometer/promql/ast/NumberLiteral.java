package io.pyrometer.promql.ast;

/**
 * A number. {@code duration} is set when it was written as a duration ({@code 5m}), so it prints
 * back as one; its value is then in seconds, as in Prometheus.
 */
public record NumberLiteral(double value, boolean duration, PosRange pos) implements Expr {
    public NumberLiteral(double value) { this(value, false, PosRange.NONE); }

    @Override public ValueType type() { return ValueType.SCALAR; }
    @Override public String toString() { return Printer.print(this); }
}
