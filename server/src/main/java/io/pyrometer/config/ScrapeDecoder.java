package io.pyrometer.config;

import io.pyrometer.config.YamlNode.Entry;
import io.pyrometer.model.relabel.RelabelConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one {@code scrape_configs} entry and applies the global defaults, in the order of Prometheus's
 * {@code ScrapeConfig.UnmarshalYAML} and {@code Validate(globalConfig)}, with their messages.
 */
final class ScrapeDecoder {
    private ScrapeDecoder() {}

    static final List<String> ESCAPING_SCHEMES = List.of("allow-utf-8", "underscores", "dots", "values");

    private static final Map<String, String> UNSUPPORTED;

    static {
        Map<String, String> m = new LinkedHashMap<>(DiscoveryDecoder.UNSUPPORTED);
        m.putAll(HttpClientDecoder.UNSUPPORTED_REFS);
        m.put("scrape_classic_histograms", "Prometheus 3 renamed it to always_scrape_classic_histograms");
        UNSUPPORTED = Map.copyOf(m);
    }

    static ScrapeConfig read(Fields f, GlobalConfig g) throws ConfigException {
        String job = f.string("job_name", "");
        boolean honorLabels = f.bool("honor_labels", false);
        boolean honorTimestamps = f.bool("honor_timestamps", true);
        boolean trackStaleness = f.bool("track_timestamps_staleness", false);
        Map<String, List<String>> params = params(f);
        long interval = f.durationMs("scrape_interval", 0);
        long timeout = f.durationMs("scrape_timeout", 0);
        List<String> protocols = f.has("scrape_protocols") ? f.strings("scrape_protocols") : null;
        String fallback = f.string("fallback_scrape_protocol", "");
        Boolean nativeHistograms = f.has("scrape_native_histograms") ? f.bool("scrape_native_histograms", false) : null;
        boolean alwaysClassic = f.bool("always_scrape_classic_histograms", g.alwaysScrapeClassicHistograms());
        boolean toNhcb = f.bool("convert_classic_histograms_to_nhcb", g.convertClassicHistogramsToNhcb());
        String failureLog = f.string("scrape_failure_log_file", "");
        String metricsPath = f.string("metrics_path", ScrapeConfig.DEFAULT_METRICS_PATH);
        String scheme = f.string("scheme", ScrapeConfig.DEFAULT_SCHEME);
        boolean compression = f.bool("enable_compression", true);
        long bodySize = f.bytes("body_size_limit", 0);
        long sampleLimit = f.uint("sample_limit", 0), targetLimit = f.uint("target_limit", 0);
        long labelLimit = f.uint("label_limit", 0);
        long nameLen = f.uint("label_name_length_limit", 0), valueLen = f.uint("label_value_length_limit", 0);
        long bucketLimit = f.uint("native_histogram_bucket_limit", 0);
        double minBucketFactor = f.float64("native_histogram_min_bucket_factor", 0);
        long keepDropped = f.uint("keep_dropped_targets", 0);
        String validation = validationScheme(f, "metric_name_validation_scheme");
        String escaping = f.string("metric_name_escaping_scheme", "");
        boolean extraMetrics = f.bool("extra_scrape_metrics", g.extraScrapeMetrics());

        // ScrapeConfig.UnmarshalYAML
        if (job.isEmpty()) throw f.error("job_name", "job_name is empty");
        HttpClientConfig http = HttpClientDecoder.read(f, HttpClientConfig.DEFAULT);
        boolean noRelabel = f.list("relabel_configs", "[]*relabel.Config").isEmpty();
        ServiceDiscoveryConfigs sd = DiscoveryDecoder.read(f, noRelabel);
        List<RelabelConfig> relabel = RelabelDecoder.read(f, "relabel_configs", "empty or null target relabeling rule in scrape config");
        List<RelabelConfig> metricRelabel = RelabelDecoder.read(f, "metric_relabel_configs", "empty or null metric relabeling rule in scrape config");
        f.finish(UNSUPPORTED);

        // ScrapeConfig.Validate(globalConfig)
        String forJob = " for scrape config with job name " + DiscoveryDecoder.quote(job);
        if (interval == 0) interval = g.scrapeIntervalMs();
        if (timeout > interval) {
            throw f.error(f.has("scrape_timeout") ? "scrape_timeout" : "scrape_interval",
                    "scrape timeout greater than scrape interval" + forJob + "; lower scrape_timeout or raise scrape_interval");
        }
        if (timeout == 0) timeout = Math.min(g.scrapeTimeoutMs(), interval);
        if (bodySize == 0) bodySize = g.bodySizeLimitBytes();
        if (sampleLimit == 0) sampleLimit = g.sampleLimit();
        if (targetLimit == 0) targetLimit = g.targetLimit();
        if (labelLimit == 0) labelLimit = g.labelLimit();
        if (nameLen == 0) nameLen = g.labelNameLengthLimit();
        if (valueLen == 0) valueLen = g.labelValueLengthLimit();
        if (keepDropped == 0) keepDropped = g.keepDroppedTargets();
        if (failureLog.isEmpty()) failureLog = g.scrapeFailureLogFile();
        boolean scrapeNative = nativeHistograms != null ? nativeHistograms : g.scrapeNativeHistograms();
        if (protocols == null) {
            if (!g.scrapeProtocols().isEmpty()) protocols = g.scrapeProtocols();
            else protocols = scrapeNative ? ScrapeConfig.DEFAULT_PROTO_FIRST_SCRAPE_PROTOCOLS : ScrapeConfig.DEFAULT_SCRAPE_PROTOCOLS;
        }
        String protoError = validateProtocols(protocols);
        if (protoError != null) throw f.error("scrape_protocols", protoError + forJob);
        if (!fallback.isEmpty() && !ScrapeConfig.SCRAPE_PROTOCOL_HEADERS.containsKey(fallback)) {
            throw f.error("fallback_scrape_protocol", "invalid fallback_scrape_protocol" + forJob + ": "
                    + unknownProtocol(fallback));
        }
        boolean localUnset = validation.isEmpty();
        if (localUnset) validation = g.metricNameValidationScheme();
        if (escaping.isEmpty()) {
            if (localUnset) escaping = g.metricNameEscapingScheme();
            else escaping = validation.equals(GlobalConfig.LEGACY_VALIDATION) ? "underscores" : "allow-utf-8";
        }
        if (!ESCAPING_SCHEMES.contains(escaping)) {
            throw f.error("metric_name_escaping_scheme", "unknown scrape config name escaping method specified, must be one of "
                    + "'allow-utf-8', 'underscores', 'dots', or 'values', got " + DiscoveryDecoder.quote(escaping));
        }
        if (escaping.equals("allow-utf-8") && !validation.equals(GlobalConfig.UTF8_VALIDATION)) {
            throw f.error("metric_name_escaping_scheme", "utf8 metric names requested but validation scheme is not set to UTF8");
        }
        return new ScrapeConfig(job, interval, timeout, metricsPath, scheme, params, honorLabels, honorTimestamps,
                trackStaleness, compression, protocols, fallback, failureLog, scrapeNative, alwaysClassic, toNhcb,
                extraMetrics, bodySize, sampleLimit, targetLimit, labelLimit, nameLen, valueLen, bucketLimit,
                minBucketFactor, keepDropped, validation, escaping, http, sd, relabel, metricRelabel);
    }

    /** {@code params:} is Go's {@code url.Values}: each name maps to a list of values. */
    private static Map<String, List<String>> params(Fields f) throws ConfigException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Entry e : f.entries("params", "url.Values")) {
            out.put(e.key(), Fields.stringList(f.file, f.path("params") + "." + e.key(), e.value()));
        }
        return out;
    }

    /** Reads a {@code model.ValidationScheme}: "" (unset), "utf8" or "legacy". */
    static String validationScheme(Fields f, String key) throws ConfigException {
        String v = f.string(key, "");
        return switch (v) {
            case "", "unset" -> "";
            case "utf8", "legacy" -> v;
            default -> throw f.error(key, "unrecognized ValidationScheme: " + DiscoveryDecoder.quote(v) + "; use utf8 or legacy");
        };
    }

    /** Prometheus's {@code validateAcceptScrapeProtocols}; null when valid. */
    static String validateProtocols(List<String> protocols) {
        if (protocols.isEmpty()) return "scrape_protocols cannot be empty";
        Set<String> seen = new HashSet<>();
        for (String p : protocols) {
            if (!seen.add(p.toLowerCase(Locale.ROOT))) {
                return "duplicated protocol in scrape_protocols, got [" + String.join(" ", protocols) + "]";
            }
            if (!ScrapeConfig.SCRAPE_PROTOCOL_HEADERS.containsKey(p)) return "scrape_protocols: " + unknownProtocol(p);
        }
        return null;
    }

    private static String unknownProtocol(String p) {
        return "unknown scrape protocol " + p + ", supported: ["
                + String.join(" ", new TreeSet<>(ScrapeConfig.SCRAPE_PROTOCOL_HEADERS.keySet())) + "]";
    }

    /** Job names already seen, to report duplicates where the second one is. */
    static void checkDuplicate(Map<String, Entry> seen, Fields f, String job) throws ConfigException {
        Entry here = f.entry("job_name");
        Entry first = seen.putIfAbsent(job, here);
        if (first != null) {
            throw f.error("job_name", "found multiple scrape configs with job name " + DiscoveryDecoder.quote(job)
                    + " (first at line " + first.line() + "); job names must be unique");
        }
    }

    static List<ScrapeConfig> readAll(Fields top, GlobalConfig g) throws ConfigException {
        List<YamlNode> items = top.list("scrape_configs", "[]*config.ScrapeConfig");
        List<ScrapeConfig> out = new ArrayList<>(items.size());
        Map<String, Entry> seen = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = Fields.index("scrape_configs", i);
            YamlNode n = items.get(i);
            if (YamlNode.isEmptyItem(n)) throw Fields.error(top.file, n, path, "empty or null scrape config section");
            Fields f = Fields.of(top.file, path, n, "scrape config");
            ScrapeConfig sc = read(f, g);
            checkDuplicate(seen, f, sc.jobName());
            out.add(sc);
        }
        return out;
    }
}
