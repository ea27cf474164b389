package io.pyrometer.model.textparse;

/** Metric family types of the text formats, named as in OpenMetrics 1.0 ({@code untyped} is {@link #UNKNOWN}). */
public enum MetricType {
    COUNTER("counter"),
    GAUGE("gauge"),
    HISTOGRAM("histogram"),
    GAUGE_HISTOGRAM("gaugehistogram"),
    SUMMARY("summary"),
    INFO("info"),
    STATESET("stateset"),
    UNKNOWN("unknown");

    private final String openMetricsName;

    MetricType(String openMetricsName) {
        this.openMetricsName = openMetricsName;
    }

    /** The word used after {@code # TYPE name} in OpenMetrics, and in Prometheus's metadata API. */
    public String openMetricsName() {
        return openMetricsName;
    }
}
