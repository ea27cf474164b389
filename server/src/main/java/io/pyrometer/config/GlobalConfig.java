package io.pyrometer.config;

import io.pyrometer.model.Labels;
import java.util.List;

/**
 * The {@code global:} section. Limits of 0 mean "no limit", as in Prometheus.
 *
 * @param scrapeProtocols        empty when not set (each scrape config then picks its default)
 * @param scrapeNativeHistograms Prometheus 3.8's {@code scrape_native_histograms}, default false
 */
public record GlobalConfig(
        long scrapeIntervalMs,
        long scrapeTimeoutMs,
        List<String> scrapeProtocols,
        long evaluationIntervalMs,
        long ruleQueryOffsetMs,
        String queryLogFile,
        String scrapeFailureLogFile,
        Labels externalLabels,
        long bodySizeLimitBytes,
        long sampleLimit,
        long targetLimit,
        long labelLimit,
        long labelNameLengthLimit,
        long labelValueLengthLimit,
        long keepDroppedTargets,
        String metricNameValidationScheme,
        String metricNameEscapingScheme,
        boolean scrapeNativeHistograms,
        boolean convertClassicHistogramsToNhcb,
        boolean alwaysScrapeClassicHistograms,
        boolean extraScrapeMetrics) {

    public static final long DEFAULT_SCRAPE_INTERVAL_MS = 60_000;
    public static final long DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_EVALUATION_INTERVAL_MS = 60_000;
    public static final String UTF8_VALIDATION = "utf8";
    public static final String LEGACY_VALIDATION = "legacy";

    /** What an absent or empty {@code global:} block means. */
    public static final GlobalConfig DEFAULT = new GlobalConfig(DEFAULT_SCRAPE_INTERVAL_MS, DEFAULT_SCRAPE_TIMEOUT_MS,
            List.of(), DEFAULT_EVALUATION_INTERVAL_MS, 0, "", "", Labels.EMPTY, 0, 0, 0, 0, 0, 0, 0,
            UTF8_VALIDATION, "allow-utf-8", false, false, false, false);

    public GlobalConfig {
        scrapeProtocols = List.copyOf(scrapeProtocols);
    }
}
