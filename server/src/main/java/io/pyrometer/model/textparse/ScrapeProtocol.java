package io.pyrometer.model.textparse;

/**
 * The scrape protocols of Prometheus's {@code scrape_protocols} / {@code fallback_scrape_protocol},
 * with their configuration names and Accept-header media types.
 */
public enum ScrapeProtocol {
    PROMETHEUS_PROTO("PrometheusProto",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", false),
    PROMETHEUS_TEXT_0_0_4("PrometheusText0.0.4", "text/plain;version=0.0.4", false),
    PROMETHEUS_TEXT_1_0_0("PrometheusText1.0.0", "text/plain;version=1.0.0", true),
    OPENMETRICS_TEXT_0_0_1("OpenMetricsText0.0.1", "application/openmetrics-text;version=0.0.1", false),
    OPENMETRICS_TEXT_1_0_0("OpenMetricsText1.0.0", "application/openmetrics-text;version=1.0.0", true);

    private final String configName;
    private final String header;
    private final boolean takesEscaping;

    ScrapeProtocol(String configName, String header, boolean takesEscaping) {
        this.configName = configName;
        this.header = header;
        this.takesEscaping = takesEscaping;
    }

    /** The name used in {@code prometheus.yml}, e.g. {@code OpenMetricsText1.0.0}. */
    public String configName() { return configName; }

    /** The media type with parameters, as offered in the Accept header. */
    public String header() { return header; }

    /** Only the newer text formats carry the {@code escaping=} parameter. */
    boolean takesEscaping() { return takesEscaping; }

    /** The bare media type ({@code text/plain}, {@code application/openmetrics-text}, ...). */
    public String mediaType() {
        int semi = header.indexOf(';');
        return semi < 0 ? header : header.substring(0, semi);
    }

    /** Looks up a configuration name; null if unknown. */
    public static ScrapeProtocol fromConfigName(String name) {
        for (ScrapeProtocol p : values()) if (p.configName.equals(name)) return p;
        return null;
    }
}
