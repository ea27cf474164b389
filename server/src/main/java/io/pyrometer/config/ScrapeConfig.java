package io.pyrometer.config;

import io.pyrometer.model.relabel.RelabelConfig;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code scrape_configs:}, with the global defaults already applied (interval,
 * timeout, limits, protocols), so {@code scrapeTimeoutMs <= scrapeIntervalMs} always holds.
 *
 * @param params               URL query parameters, each name with its values in order
 * @param scrapeProtocols      the Accept negotiation order; never empty
 * @param fallbackScrapeProtocol empty when not set
 * @param bodySizeLimitBytes   0 = no limit
 * @param http                 authentication, TLS and proxy settings used to scrape
 * @param discovery            where targets come from
 */
public record ScrapeConfig(
        String jobName,
        long scrapeIntervalMs,
        long scrapeTimeoutMs,
        String metricsPath,
        String scheme,
        Map<String, List<String>> params,
        boolean honorLabels,
        boolean honorTimestamps,
        boolean trackTimestampsStaleness,
        boolean enableCompression,
        List<String> scrapeProtocols,
        String fallbackScrapeProtocol,
        String scrapeFailureLogFile,
        boolean scrapeNativeHistograms,
        boolean alwaysScrapeClassicHistograms,
        boolean convertClassicHistogramsToNhcb,
        boolean extraScrapeMetrics,
        long bodySizeLimitBytes,
        long sampleLimit,
        long targetLimit,
        long labelLimit,
        long labelNameLengthLimit,
        long labelValueLengthLimit,
        long nativeHistogramBucketLimit,
        double nativeHistogramMinBucketFactor,
        long keepDroppedTargets,
        String metricNameValidationScheme,
        String metricNameEscapingScheme,
        HttpClientConfig http,
        ServiceDiscoveryConfigs discovery,
        List<RelabelConfig> relabelConfigs,
        List<RelabelConfig> metricRelabelConfigs) {

    public static final String DEFAULT_METRICS_PATH = "/metrics";
    public static final String DEFAULT_SCHEME = "http";

    /** Prometheus's default negotiation order when neither the job nor global sets one. */
    public static final List<String> DEFAULT_SCRAPE_PROTOCOLS = List.of(
            "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4");
    /** The order used when native histograms are scraped. */
    public static final List<String> DEFAULT_PROTO_FIRST_SCRAPE_PROTOCOLS = List.of(
            "PrometheusProto", "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4");
    /** Valid protocol names and the media type each one asks for. */
    public static final Map<String, String> SCRAPE_PROTOCOL_HEADERS = Map.of(
            "PrometheusProto", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
            "PrometheusText0.0.4", "text/plain;version=0.0.4",
            "PrometheusText1.0.0", "text/plain;version=1.0.0",
            "OpenMetricsText0.0.1", "application/openmetrics-text;version=0.0.1",
            "OpenMetricsText1.0.0", "application/openmetrics-text;version=1.0.0");

    public ScrapeConfig {
        params = Maps.copyOfListMap(params);
        scrapeProtocols = List.copyOf(scrapeProtocols);
        relabelConfigs = List.copyOf(relabelConfigs);
        metricRelabelConfigs = List.copyOf(metricRelabelConfigs);
    }

    public List<StaticConfig> staticConfigs() { return discovery.staticConfigs(); }
    public List<FileSdConfig> fileSdConfigs() { return discovery.fileSdConfigs(); }
    public List<HttpSdConfig> httpSdConfigs() { return discovery.httpSdConfigs(); }
    public List<DnsSdConfig> dnsSdConfigs() { return discovery.dnsSdConfigs(); }
}
