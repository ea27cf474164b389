package io.pyrometer.promql.ast;

/** Aggregation operators. {@code limitk} and {@code limit_ratio} are experimental. */
public enum AggOp {
    SUM("sum"), AVG("avg"), COUNT("count"), MIN("min"), MAX("max"), GROUP("group"),
    STDDEV("stddev"), STDVAR("stdvar"),
    TOPK("topk"), BOTTOMK("bottomk"), COUNT_VALUES("count_values"), QUANTILE("quantile"),
    LIMITK("limitk"), LIMIT_RATIO("limit_ratio");

    private final String text;

    AggOp(String text) { this.text = text; }

    public String text() { return text; }

    /** Whether the aggregation takes a parameter before the vector ({@code topk(3, x)}). */
    public boolean hasParam() {
        return switch (this) {
            case TOPK, BOTTOMK, COUNT_VALUES, QUANTILE, LIMITK, LIMIT_RATIO -> true;
            default -> false;
        };
    }

    /** Only usable when experimental functions are enabled. */
    public boolean experimental() { return this == LIMITK || this == LIMIT_RATIO; }

    /** The operator written {@code name} (case-insensitive), or null. */
    public static AggOp byName(String name) {
        for (AggOp op : values()) if (op.text.equalsIgnoreCase(name)) return op;
        return null;
    }

    @Override public String toString() { return text; }
}
