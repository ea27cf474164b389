package io.pyrometer.promql.ast;

import static io.pyrometer.promql.ast.ValueType.MATRIX;
import static io.pyrometer.promql.ast.ValueType.SCALAR;
import static io.pyrometer.promql.ast.ValueType.STRING;
import static io.pyrometer.promql.ast.ValueType.VECTOR;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every PromQL function of Prometheus 3 (promql/parser/functions.go), including the experimental
 * ones that parse only with experimental functions enabled.
 */
public final class Functions {
    private static final Map<String, Function> BY_NAME = new TreeMap<>();

    static {
        f("abs", 0, VECTOR, false, VECTOR);
        f("absent", 0, VECTOR, false, VECTOR);
        f("absent_over_time", 0, VECTOR, false, MATRIX);
        f("acos", 0, VECTOR, false, VECTOR);
        f("acosh", 0, VECTOR, false, VECTOR);
        f("asin", 0, VECTOR, false, VECTOR);
        f("asinh", 0, VECTOR, false, VECTOR);
        f("atan", 0, VECTOR, false, VECTOR);
        f("atanh", 0, VECTOR, false, VECTOR);
        f("avg_over_time", 0, VECTOR, false, MATRIX);
        f("ceil", 0, VECTOR, false, VECTOR);
        f("changes", 0, VECTOR, false, MATRIX);
        f("clamp", 0, VECTOR, false, VECTOR, SCALAR, SCALAR);
        f("clamp_max", 0, VECTOR, false, VECTOR, SCALAR);
        f("clamp_min", 0, VECTOR, false, VECTOR, SCALAR);
        f("cos", 0, VECTOR, false, VECTOR);
        f("cosh", 0, VECTOR, false, VECTOR);
        f("count_over_time", 0, VECTOR, false, MATRIX);
        f("days_in_month", 1, VECTOR, false, VECTOR);
        f("day_of_month", 1, VECTOR, false, VECTOR);
        f("day_of_week", 1, VECTOR, false, VECTOR);
        f("day_of_year", 1, VECTOR, false, VECTOR);
        f("deg", 0, VECTOR, false, VECTOR);
        f("delta", 0, VECTOR, false, MATRIX);
        f("deriv", 0, VECTOR, false, MATRIX);
        f("double_exponential_smoothing", 0, VECTOR, true, MATRIX, SCALAR, SCALAR);
        f("exp", 0, VECTOR, false, VECTOR);
        f("first_over_time", 0, VECTOR, true, MATRIX);
        f("floor", 0, VECTOR, false, VECTOR);
        f("histogram_avg", 0, VECTOR, false, VECTOR);
        f("histogram_count", 0, VECTOR, false, VECTOR);
        f("histogram_fraction", 0, VECTOR, false, SCALAR, SCALAR, VECTOR);
        f("histogram_quantile", 0, VECTOR, false, SCALAR, VECTOR);
        f("histogram_quantiles", -1, VECTOR, true, VECTOR, STRING, SCALAR, SCALAR);
        f("histogram_sum", 0, VECTOR, false, VECTOR);
        f("histogram_stddev", 0, VECTOR, false, VECTOR);
        f("histogram_stdvar", 0, VECTOR, false, VECTOR);
        f("hour", 1, VECTOR, false, VECTOR);
        f("idelta", 0, VECTOR, false, MATRIX);
        f("increase", 0, VECTOR, false, MATRIX);
        f("info", 1, VECTOR, true, VECTOR, VECTOR);
        f("irate", 0, VECTOR, false, MATRIX);
        f("label_replace", 0, VECTOR, false, VECTOR, STRING, STRING, STRING, STRING);
        f("label_join", -1, VECTOR, false, VECTOR, STRING, STRING, STRING);
        f("last_over_time", 0, VECTOR, false, MATRIX);
        f("ln", 0, VECTOR, false, VECTOR);
        f("log10", 0, VECTOR, false, VECTOR);
        f("log2", 0, VECTOR, false, VECTOR);
        f("mad_over_time", 0, VECTOR, true, MATRIX);
        f("max_over_time", 0, VECTOR, false, MATRIX);
        f("min_over_time", 0, VECTOR, false, MATRIX);
        f("minute", 1, VECTOR, false, VECTOR);
        f("month", 1, VECTOR, false, VECTOR);
        f("pi", 0, SCALAR, false);
        f("predict_linear", 0, VECTOR, false, MATRIX, SCALAR);
        f("present_over_time", 0, VECTOR, false, MATRIX);
        f("quantile_over_time", 0, VECTOR, false, SCALAR, MATRIX);
        f("rad", 0, VECTOR, false, VECTOR);
        f("rate", 0, VECTOR, false, MATRIX);
        f("resets", 0, VECTOR, false, MATRIX);
        f("round", 1, VECTOR, false, VECTOR, SCALAR);
        f("scalar", 0, SCALAR, false, VECTOR);
        f("sgn", 0, VECTOR, false, VECTOR);
        f("sin", 0, VECTOR, false, VECTOR);
        f("sinh", 0, VECTOR, false, VECTOR);
        f("sort", 0, VECTOR, false, VECTOR);
        f("sort_by_label", -1, VECTOR, true, VECTOR, STRING);
        f("sort_by_label_desc", -1, VECTOR, true, VECTOR, STRING);
        f("sort_desc", 0, VECTOR, false, VECTOR);
        f("sqrt", 0, VECTOR, false, VECTOR);
        f("start_timestamp", 0, VECTOR, true, VECTOR);
        f("stddev_over_time", 0, VECTOR, false, MATRIX);
        f("stdvar_over_time", 0, VECTOR, false, MATRIX);
        f("sum_over_time", 0, VECTOR, false, MATRIX);
        f("tan", 0, VECTOR, false, VECTOR);
        f("tanh", 0, VECTOR, false, VECTOR);
        f("time", 0, SCALAR, false);
        f("timestamp", 0, VECTOR, false, VECTOR);
        f("ts_of_first_over_time", 0, VECTOR, true, MATRIX);
        f("ts_of_last_over_time", 0, VECTOR, true, MATRIX);
        f("ts_of_max_over_time", 0, VECTOR, true, MATRIX);
        f("ts_of_min_over_time", 0, VECTOR, true, MATRIX);
        f("vector", 0, VECTOR, false, SCALAR);
        f("year", 1, VECTOR, false, VECTOR);
    }

    private Functions() {}

    private static void f(String name, int variadic, ValueType ret, boolean experimental, ValueType... args) {
        BY_NAME.put(name, new Function(name, List.of(args), variadic, ret, experimental));
    }

    /** The function named exactly {@code name} (function names are case-sensitive), or null. */
    public static Function get(String name) { return BY_NAME.get(name); }

    /** All functions, sorted by name. */
    public static Collection<Function> all() { return Collections.unmodifiableCollection(BY_NAME.values()); }
}
