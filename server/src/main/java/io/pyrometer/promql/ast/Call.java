package io.pyrometer.promql.ast;

import java.util.List;

/** A function call; {@code func} comes from {@link Functions}. */
public record Call(Function func, List<Expr> args, PosRange pos) implements Expr {
    public Call {
        args = List.copyOf(args);
    }

    public Call(Function func, List<Expr> args) { this(func, args, PosRange.NONE); }

    @Override public ValueType type() { return func.returnType(); }
    @Override public String toString() { return Printer.print(this); }
}
