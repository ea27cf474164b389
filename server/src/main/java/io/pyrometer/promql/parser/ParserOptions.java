package io.pyrometer.promql.parser;

/**
 * Parser switches.
 *
 * @param enableExperimental accept what Prometheus accepts only behind feature flags:
 *        experimental functions and the {@code limitk}/{@code limit_ratio} aggregations
 *        ({@code promql-experimental-functions}), duration expressions and {@code step()}/
 *        {@code range()} ({@code promql-duration-expr}), the {@code anchored}/{@code smoothed}
 *        range modifiers ({@code promql-extended-range-selectors}) and the binary-operator
 *        {@code fill}/{@code fill_left}/{@code fill_right} modifiers
 */
public record ParserOptions(boolean enableExperimental) {
    public static final ParserOptions DEFAULT = new ParserOptions(false);
    public static final ParserOptions EXPERIMENTAL = new ParserOptions(true);
}
