package io.pyrometer.promql.ast;

/**
 * An experimental duration expression, as written in a range, subquery step or offset:
 * {@code [5m+1m]}, {@code offset (1h*2)}, {@code [step()]}, {@code min_of(range(), 1h)}; or
 * standing as a scalar expression: {@code vector(step())}, {@code end() - start()}, {@code min_of(3, 5)}.
 * Operands are {@link NumberLiteral}s (seconds) or nested {@code DurationExpr}s.
 *
 * @param lhs     null for unary {@code -}/{@code +} and for {@code step()}/{@code range()}/{@code start()}/{@code end()}
 * @param rhs     null for {@code step()}/{@code range()}/{@code start()}/{@code end()}
 * @param wrapped written inside parentheses
 */
public record DurationExpr(Op op, Expr lhs, Expr rhs, boolean wrapped, PosRange pos) implements Expr {
    public enum Op {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), POW("^"),
        STEP("step"), RANGE("range"), START("start"), END("end"), MIN_OF("min_of"), MAX_OF("max_of");

        private final String text;

        Op(String text) { this.text = text; }

        public String text() { return text; }
    }

    public DurationExpr withWrapped(boolean w) { return new DurationExpr(op, lhs, rhs, w, pos); }

    @Override public ValueType type() { return ValueType.SCALAR; }
    @Override public String toString() { return Printer.print(this); }
}
