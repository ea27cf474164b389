package io.pyrometer.scrape;

import io.pyrometer.model.relabel.RelabelConfig;
import java.util.List;

/**
 * Everything one scrape loop needs from its scrape config, resolved (global defaults applied).
 * Zero for a limit means unlimited, as in Prometheus.
 */
public record ScrapeOptions(
        long intervalMs,
        long timeoutMs,
        boolean honorLabels,
        boolean honorTimestamps,
        boolean trackTimestampsStaleness,
        long sampleLimit,
        long labelLimit,
        long labelNameLengthLimit,
        long labelValueLengthLimit,
        long bodySizeLimitBytes,
        boolean enableCompression,
        String acceptHeader,
        List<RelabelConfig> metricRelabelConfigs,
        long timestampToleranceMs) {}
