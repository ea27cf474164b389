package io.pyrometer.scrape;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The scrape layer's self-metrics, under Prometheus's names so existing dashboards work. */
public final class ScrapeMetrics {
    final Summary intervalLength;
    final Counter outOfOrder;
    final Counter duplicate;
    final Counter outOfBounds;
    final Counter sampleLimitExceeded;
    final Counter bodySizeLimitExceeded;
    final Counter labelLimitsExceeded;
    final Counter targetLimitExceeded;
    final Counter poolReloads;
    final Counter poolReloadsFailed;
    final Counter poolSyncs;
    final Gauge poolTargets;
    final Counter poolsCreated;
    final Counter scrapesTotal;
    final Counter cacheMisses;

    public ScrapeMetrics(PrometheusRegistry r) {
        intervalLength = Summary.builder().name("prometheus_target_interval_length_seconds")
                .help("Actual intervals between scrapes.").labelNames("interval")
                .quantile(0.01, 0.001).quantile(0.05, 0.005).quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001)
                .register(r);
        outOfOrder = counter(r, "prometheus_target_scrapes_sample_out_of_order_total",
                "Total number of samples rejected due to not being out of the expected order.");
        duplicate = counter(r, "prometheus_target_scrapes_sample_duplicate_timestamp_total",
                "Total number of samples rejected due to duplicate timestamps but different values.");
        outOfBounds = counter(r, "prometheus_target_scrapes_sample_out_of_bounds_total",
                "Total number of samples rejected due to timestamp falling outside of the time bounds.");
        sampleLimitExceeded = counter(r, "prometheus_target_scrapes_exceeded_sample_limit_total",
                "Total number of scrapes that hit the sample limit and were rejected.");
        bodySizeLimitExceeded = counter(r, "prometheus_target_scrapes_exceeded_body_size_limit_total",
                "Total number of scrapes that hit the body size limit");
        labelLimitsExceeded = counter(r, "prometheus_target_scrape_pool_exceeded_label_limits_total",
                "Total number of times scrape pools hit the label limits, during sync or config reload.");
        targetLimitExceeded = counter(r, "prometheus_target_scrape_pool_exceeded_target_limit_total",
                "Total number of times scrape pools hit the target limit, during sync or config reload.");
        poolReloads = counter(r, "prometheus_target_scrape_pool_reloads_total",
                "Total number of scrape pool reloads.");
        poolReloadsFailed = counter(r, "prometheus_target_scrape_pool_reloads_failed_total",
                "Total number of failed scrape pool reloads.");
        poolSyncs = Counter.builder().name("prometheus_target_scrape_pool_sync_total")
                .help("Total number of syncs that were executed on a scrape pool.").labelNames("scrape_job").register(r);
        poolTargets = Gauge.builder().name("prometheus_target_scrape_pool_targets")
                .help("Current number of targets in this scrape pool.").labelNames("scrape_job").register(r);
        poolsCreated = counter(r, "prometheus_target_scrape_pools_total", "Total number of scrape pool creation attempts.");
        scrapesTotal = Counter.builder().name("pyrometer_target_scrapes_total")
                .help("Scrapes performed, by scrape pool and result.").labelNames("scrape_job", "result").register(r);
        cacheMisses = Counter.builder().name("pyrometer_target_scrape_cache_misses_total")
                .help("Series lines that were not in the scrape cache and had their labels parsed and relabeled.")
                .labelNames("scrape_job").register(r);
    }

    private static Counter counter(PrometheusRegistry r, String name, String help) {
        return Counter.builder().name(name).help(help).register(r);
    }
}
