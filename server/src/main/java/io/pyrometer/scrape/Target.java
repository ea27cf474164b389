package io.pyrometer.scrape;

import io.pyrometer.model.Labels;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One scrape target: its final labels, the labels discovery gave it, and what the last scrape saw.
 * Health fields are written by the target's scrape loop and read by the API (volatile).
 */
public final class Target {
    public enum Health {
        UNKNOWN("unknown"), UP("up"), DOWN("down");

        private final String json;

        Health(String json) { this.json = json; }

        public String json() { return json; }
    }

    /** TYPE/HELP/UNIT of one metric family as the target exposed it. */
    public record Metadata(String type, String help, String unit) {}

    private final String scrapePool;
    private final Labels labels;
    private final Labels discoveredLabels;
    private final URI url;
    private final long intervalMs;
    private final long timeoutMs;
    private final Map<String, Metadata> metadata = new ConcurrentHashMap<>();

    private volatile Health health = Health.UNKNOWN;
    private volatile String lastError = "";
    private volatile long lastScrapeMs;
    private volatile double lastScrapeDurationSeconds;
    private volatile long lastSamples;

    public Target(String scrapePool, Labels labels, Labels discoveredLabels, Map<String, List<String>> params,
                  long intervalMs, long timeoutMs) {
        this.scrapePool = scrapePool;
        this.labels = labels;
        this.discoveredLabels = discoveredLabels;
        this.intervalMs = intervalMs;
        this.timeoutMs = timeoutMs;
        this.url = buildUrl(labels, discoveredLabels, params);
    }

    /**
     * The URL from {@code __scheme__}, {@code __address__}, {@code __metrics_path__} and the
     * config's params overridden by {@code __param_*} labels, as Prometheus builds it.
     */
    static URI buildUrl(Labels labels, Labels discovered, Map<String, List<String>> params) {
        StringBuilder q = new StringBuilder();
        java.util.TreeMap<String, List<String>> all = new java.util.TreeMap<>(params == null ? Map.of() : params);
        for (int i = 0; i < labels.size(); i++) {
            String n = labels.name(i);
            if (n.startsWith("__param_")) all.put(n.substring(8), List.of(labels.value(i)));
        }
        for (Map.Entry<String, List<String>> e : all.entrySet()) {
            for (String v : e.getValue()) {
                if (!q.isEmpty()) q.append('&');
                q.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        String scheme = labels.get("__scheme__");
        if (scheme.isEmpty()) scheme = "http";
        String path = labels.get("__metrics_path__");
        if (path.isEmpty()) path = "/metrics";
        String s = scheme + "://" + labels.get("__address__") + path + (q.isEmpty() ? "" : "?" + q);
        return URI.create(s);
    }

    public String scrapePool() { return scrapePool; }

    /** Final labels including the internal {@code __*} ones (address, scheme, path...). */
    public Labels labels() { return labels; }

    /** Labels as attached to scraped samples: without the {@code __}-prefixed ones. */
    public Labels publicLabels() {
        Labels.Builder b = Labels.builder();
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.name(i).startsWith("__")) b.set(labels.name(i), labels.value(i));
        }
        return b.build();
    }

    public Labels discoveredLabels() { return discoveredLabels; }
    public URI url() { return url; }
    public long intervalMs() { return intervalMs; }
    public long timeoutMs() { return timeoutMs; }
    public Health health() { return health; }
    public String lastError() { return lastError; }
    public long lastScrapeMs() { return lastScrapeMs; }
    public double lastScrapeDurationSeconds() { return lastScrapeDurationSeconds; }
    public long lastSamples() { return lastSamples; }
    public Map<String, Metadata> metadata() { return metadata; }

    void report(long startMs, double durationSeconds, String error, long samples) {
        lastScrapeMs = startMs;
        lastScrapeDurationSeconds = durationSeconds;
        lastError = error == null ? "" : error;
        health = error == null ? Health.UP : Health.DOWN;
        lastSamples = samples;
    }

    /** Identity for de-duplication within a pool: labels plus URL. */
    public long hash() { return labels.stableHash() * 31 + url.toString().hashCode(); }

    @Override
    public String toString() { return url.toString(); }
}
