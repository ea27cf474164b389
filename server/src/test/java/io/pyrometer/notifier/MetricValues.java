package io.pyrometer.notifier;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;

/** Reads one sample from a registry the way {@code /metrics} would show it. */
final class MetricValues {
    private MetricValues() {}

    /**
     * The value of {@code name} (counters by their {@code _total} name, summaries by {@code _count})
     * with the given label pairs; NaN when absent.
     */
    static double get(PrometheusRegistry registry, String name, String... labels) {
        String base = name.endsWith("_total") ? name.substring(0, name.length() - 6)
                : name.endsWith("_count") ? name.substring(0, name.length() - 6) : name;
        for (MetricSnapshot s : registry.scrape()) {
            if (!s.getMetadata().getPrometheusName().equals(base)) continue;
            for (DataPointSnapshot d : s.getDataPoints()) {
                boolean match = d.getLabels().size() == labels.length / 2;
                for (int i = 0; match && i < labels.length; i += 2) match = labels[i + 1].equals(d.getLabels().get(labels[i]));
                if (!match) continue;
                if (d instanceof CounterSnapshot.CounterDataPointSnapshot c) return c.getValue();
                if (d instanceof GaugeSnapshot.GaugeDataPointSnapshot g) return g.getValue();
                if (d instanceof SummarySnapshot.SummaryDataPointSnapshot su) return su.getCount();
            }
        }
        return Double.NaN;
    }
}
