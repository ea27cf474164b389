package io.pyrometer.promql.ast;

import java.util.List;

/**
 * A PromQL function signature.
 *
 * @param argTypes     the parameter types; with {@code variadic != 0} the last one is optional
 * @param variadic     0: exactly {@code argTypes.size()} arguments; n &gt; 0: up to n more of the
 *                     last type beyond {@code argTypes.size() - 1}; -1: any number more
 * @param experimental only callable when experimental functions are enabled
 */
public record Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType,
                       boolean experimental) {
    public Function {
        argTypes = List.copyOf(argTypes);
    }

    /** The fewest arguments a call may have. */
    public int minArgs() { return variadic == 0 ? argTypes.size() : argTypes.size() - 1; }

    /** The most arguments a call may have, or {@link Integer#MAX_VALUE}. */
    public int maxArgs() {
        if (variadic == 0) return argTypes.size();
        return variadic < 0 ? Integer.MAX_VALUE : argTypes.size() - 1 + variadic;
    }
}
