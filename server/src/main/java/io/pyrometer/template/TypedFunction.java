package io.pyrometer.template;

import java.util.List;

/**
 * A {@link TemplateFunction} with a Go signature, so the engine checks the argument count and
 * types before calling it, with Go's errors ({@code wrong number of args for f: want 1 got 2},
 * {@code wrong type for value; expected string; got int}, {@code expected string; found 1}).
 *
 * <p>Parameter types are Go type names: {@code "any"}, {@code "string"}, {@code "int"},
 * {@code "float64"}, {@code "bool"}, {@code "[]string"}, {@code "time.Time"}, or the
 * {@link GoObject#typeName()} of a value. {@code TypedFunction.of(args -> ..., "string")} is Go's
 * {@code func(s string) ...}; {@code variadic(args -> ..., "string", "any")} is
 * {@code func(s string, rest ...any)}. A plain {@code TemplateFunction} is treated as
 * {@code func(args ...any)}.
 */
public final class TypedFunction implements TemplateFunction {
    private final TemplateFunction body;
    private final String[] params;
    private final boolean variadic;

    private TypedFunction(TemplateFunction body, boolean variadic, String... params) {
        if (variadic && params.length == 0) throw new IllegalArgumentException("variadic function needs a parameter type");
        this.body = body;
        this.params = params.clone();
        this.variadic = variadic;
    }

    /** A function with exactly {@code params.length} arguments of the given Go types. */
    public static TypedFunction of(TemplateFunction body, String... params) {
        return new TypedFunction(body, false, params);
    }

    /** A function whose last parameter type is the element type of a {@code ...} parameter. */
    public static TypedFunction variadic(TemplateFunction body, String... params) {
        return new TypedFunction(body, true, params);
    }

    @Override
    public Object apply(List<Object> args) throws TemplateException { return body.apply(args); }

    int numIn() { return params.length; }

    boolean isVariadic() { return variadic; }

    /** The Go type of argument {@code i} (the element type for variadic arguments). */
    String paramType(int i) {
        if (variadic && i >= params.length - 1) return params[params.length - 1];
        return params[i];
    }
}
