package io.pyrometer.notifier;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/**
 * The notifier's self-metrics with Prometheus 3.0-3.3's names, help texts and labels
 * (notifier/notifier.go {@code newAlertMetrics}): per-Alertmanager latency summary, sent and error
 * counters; global dropped counter, queue length and capacity, and the number of discovered
 * Alertmanagers.
 */
final class NotifierMetrics {
    final Summary latency;
    final Counter errors;
    final Counter sent;
    final Counter dropped;
    final Gauge queueCapacity;

    NotifierMetrics(PrometheusRegistry registry, DoubleSupplier queueLength, DoubleSupplier alertmanagersDiscovered) {
        latency = Summary.builder().name("prometheus_notifications_latency_seconds")
                .help("Latency quantiles for sending alert notifications.")
                .quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001)
                .labelNames("alertmanager").register(registry);
        errors = Counter.builder().name("prometheus_notifications_errors_total")
                .help("Total number of sent alerts affected by errors.").labelNames("alertmanager").register(registry);
        sent = Counter.builder().name("prometheus_notifications_sent_total")
                .help("Total number of alerts sent.").labelNames("alertmanager").register(registry);
        dropped = Counter.builder().name("prometheus_notifications_dropped_total")
                .help("Total number of alerts dropped due to errors when sending to Alertmanager.").register(registry);
        GaugeWithCallback.builder().name("prometheus_notifications_queue_length")
                .help("The number of alert notifications in the queue.")
                .callback(cb -> cb.call(queueLength.getAsDouble())).register(registry);
        queueCapacity = Gauge.builder().name("prometheus_notifications_queue_capacity")
                .help("The capacity of the alert notifications queue.").register(registry);
        GaugeWithCallback.builder().name("prometheus_notifications_alertmanagers_discovered")
                .help("The number of alertmanagers discovered and active.")
                .callback(cb -> cb.call(alertmanagersDiscovered.getAsDouble())).register(registry);
    }

    /** Starts the per-Alertmanager counters at 0, as Prometheus does when it discovers one. */
    void initAlertmanager(String url) {
        sent.labelValues(url);
        errors.labelValues(url);
    }

    /** Forgets an Alertmanager that is no longer discovered. */
    void removeAlertmanager(String url) {
        latency.remove(url);
        sent.remove(url);
        errors.remove(url);
    }
}
