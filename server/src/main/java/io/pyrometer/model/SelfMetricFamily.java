package io.pyrometer.model;

import io.pyrometer.model.textparse.MetricType;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * A label-less self-metric that a component exposes on {@code /metrics} beside its client_java
 * registry, because client_java refuses the Prometheus name: it strips {@code _total} from a
 * counter's name and rejects what then ends in {@code _created} (reserved for the created
 * timestamp), so {@code prometheus_tsdb_head_series_created_total} cannot be registered. The web
 * layer writes these families in every exposition format it negotiates.
 *
 * <pre>{@code
 * SelfMetricFamily f = SelfMetricFamily.counter("prometheus_tsdb_head_series_created_total",
 *         "Total number of series created in the head", head::seriesCreatedTotal);
 * }</pre>
 *
 * @param name  the sample name as in the text format 0.0.4 (a counter's ends in {@code _total})
 * @param help  the HELP text, unescaped
 * @param type  {@link MetricType#COUNTER} or {@link MetricType#GAUGE}
 * @param value read at every scrape; must be cheap and thread-safe
 */
public record SelfMetricFamily(String name, String help, MetricType type, DoubleSupplier value) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    public SelfMetricFamily {
        if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException("invalid metric name [name=" + name + "]");
        if (type != MetricType.COUNTER && type != MetricType.GAUGE) {
            throw new IllegalArgumentException("only counters and gauges are supported [name=" + name + ", type=" + type + "]");
        }
        if (type == MetricType.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name must end in _total [name=" + name + "]");
        }
        if (help == null || value == null) throw new IllegalArgumentException("help and value are required [name=" + name + "]");
    }

    public static SelfMetricFamily counter(String name, String help, DoubleSupplier value) {
        return new SelfMetricFamily(name, help, MetricType.COUNTER, value);
    }

    public static SelfMetricFamily gauge(String name, String help, DoubleSupplier value) {
        return new SelfMetricFamily(name, help, MetricType.GAUGE, value);
    }

    /** The family name in OpenMetrics: a counter's without {@code _total}. */
    public String openMetricsName() {
        return type == MetricType.COUNTER ? name.substring(0, name.length() - "_total".length()) : name;
    }
}
