package io.pyrometer.discovery;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Service discovery self-metrics, with Prometheus's names and help texts, registered on the
 * registry passed in (never the default one). One instance per registry: the names are global
 * there, so a server with a scrape and a notify manager shares one and tells them apart by
 * the {@code name} label.
 */
public final class DiscoveryMetrics {
    final Gauge discoveredTargets;
    final Gauge failedConfigs;
    final Counter receivedUpdates;
    final Counter updates;
    final Counter fileReadErrors;
    final Summary fileScanDuration;
    final Gauge fileMtime;
    final Counter httpFailures;
    final Counter dnsLookups;
    final Counter dnsLookupFailures;
    /** {@code prometheus_sd_kubernetes_events_total{role,event}}; event is add, update or delete. */
    public final Counter kubernetesEvents;
    /** {@code prometheus_sd_kubernetes_failures_total}: failed LIST/WATCH requests. */
    public final Counter kubernetesFailures;

    public DiscoveryMetrics(PrometheusRegistry registry) {
        discoveredTargets = Gauge.builder().name("prometheus_sd_discovered_targets")
                .help("Current number of discovered targets.").labelNames("config", "name").register(registry);
        failedConfigs = Gauge.builder().name("prometheus_sd_failed_configs")
                .help("Current number of service discovery configurations that failed to load.").labelNames("name").register(registry);
        receivedUpdates = Counter.builder().name("prometheus_sd_received_updates_total")
                .help("Total number of update events received from the SD providers.").labelNames("name").register(registry);
        updates = Counter.builder().name("prometheus_sd_updates_total")
                .help("Total number of update events sent to the SD consumers.").labelNames("name").register(registry);
        fileReadErrors = Counter.builder().name("prometheus_sd_file_read_errors_total")
                .help("The number of File-SD read errors.").register(registry);
        fileScanDuration = Summary.builder().name("prometheus_sd_file_scan_duration_seconds")
                .help("The duration of the File-SD scan in seconds.")
                .quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001).register(registry);
        fileMtime = Gauge.builder().name("prometheus_sd_file_mtime_seconds")
                .help("Timestamp (mtime) of files read by FileSD. Timestamp is set at read time.")
                .labelNames("filename").register(registry);
        httpFailures = Counter.builder().name("prometheus_sd_http_failures_total")
                .help("Number of HTTP service discovery refresh failures.").register(registry);
        dnsLookups = Counter.builder().name("prometheus_sd_dns_lookups_total")
                .help("The number of DNS-SD lookups.").register(registry);
        dnsLookupFailures = Counter.builder().name("prometheus_sd_dns_lookup_failures_total")
                .help("The number of DNS-SD lookup failures.").register(registry);
        kubernetesEvents = Counter.builder().name("prometheus_sd_kubernetes_events_total")
                .help("The number of Kubernetes events handled.").labelNames("role", "event").register(registry);
        kubernetesFailures = Counter.builder().name("prometheus_sd_kubernetes_failures_total")
                .help("The number of failed WATCH/LIST requests.").register(registry);
    }
}
