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
        return applyGlobals(readRaw(f, g), g, f);
    }

    /**
     * What the entry says, checked as {@code ScrapeConfig.UnmarshalYAML} does; keys left unset read as
     * 0, "" or an empty list, for {@link #applyGlobals} to fill in.
     */
    private static ScrapeConfig readRaw(Fields f, GlobalConfig g) throws ConfigException {
        String job = f.string("job_name", "");
        boolean honorLabels = f.bool("honor_labels", false);
        boolean honorTimestamps = f.bool("honor_timestamps", true);
        boolean trackStaleness = f.bool("track_timestamps_staleness", false);
        Map<String, List<String>> params = params(f);
        long interval = f.durationMs("scrape_interval", 0);
        long timeout = f.durationMs("scrape_timeout", 0);
        List<String> protocols = f.strings("scrape_protocols");
        String fallback = f.string("fallback_scrape_protocol", "");
        boolean nativeHistograms = f.bool("scrape_native_histograms", g.scrapeNativeHistograms());
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

        if (job.isEmpty()) throw f.error("job_name", "job_name is empty");
        HttpClientConfig http = HttpClientDecoder.read(f, HttpClientConfig.DEFAULT);
        boolean noRelabel = f.list("relabel_configs", "[]*relabel.Config").isEmpty();
        ServiceDiscoveryConfigs sd = DiscoveryDecoder.read(f, noRelabel);
        List<RelabelConfig> relabel = RelabelDecoder.read(f, "relabel_configs", "empty or null target relabeling rule in scrape config");
        List<RelabelConfig> metricRelabel = RelabelDecoder.read(f, "metric_relabel_configs", "empty or null metric relabeling rule in scrape config");
        f.finish(UNSUPPORTED);
        return new ScrapeConfig(job, interval, timeout, metricsPath, scheme, params, honorLabels, honorTimestamps,
                trackStaleness, compression, protocols, fallback, failureLog, nativeHistograms, alwaysClassic, toNhcb,
                extraMetrics, bodySize, sampleLimit, targetLimit, labelLimit, nameLen, valueLen, bucketLimit,
                minBucketFactor, keepDropped, validation, escaping, http, sd, relabel, metricRelabel);
    }

    /** Prometheus's {@code ScrapeConfig.Validate(globalConfig)}: global defaults in, then the cross-key checks. */
    private static ScrapeConfig applyGlobals(ScrapeConfig r, GlobalConfig g, Fields f) throws ConfigException {
        String forJob = " for scrape config with job name " + DiscoveryDecoder.quote(r.jobName());
        long interval = r.scrapeIntervalMs() == 0 ? g.scrapeIntervalMs() : r.scrapeIntervalMs();
        if (r.scrapeTimeoutMs() > interval) {
            throw f.error("scrape_timeout", "scrape timeout greater than scrape interval" + forJob
                    + "; lower scrape_timeout or raise scrape_interval");
        }
        long timeout = r.scrapeTimeoutMs() == 0 ? Math.min(g.scrapeTimeoutMs(), interval) : r.scrapeTimeoutMs();
        List<String> protocols = r.scrapeProtocols();
        if (!f.has("scrape_protocols")) {
            if (!g.scrapeProtocols().isEmpty()) protocols = g.scrapeProtocols();
            else if (r.scrapeNativeHistograms()) protocols = ScrapeConfig.DEFAULT_PROTO_FIRST_SCRAPE_PROTOCOLS;
            else protocols = ScrapeConfig.DEFAULT_SCRAPE_PROTOCOLS;
        }
        String protoError = validateProtocols(protocols);
        if (protoError != null) throw f.error("scrape_protocols", protoError + forJob);
        String fallback = r.fallbackScrapeProtocol();
        if (!fallback.isEmpty() && !ScrapeConfig.SCRAPE_PROTOCOL_HEADERS.containsKey(fallback)) {
            throw f.error("fallback_scrape_protocol", "invalid fallback_scrape_protocol" + forJob + ": " + unknownProtocol(fallback));
        }
        boolean localUnset = r.metricNameValidationScheme().isEmpty();
        String validation = localUnset ? g.metricNameValidationScheme() : r.metricNameValidationScheme();
        String escaping = r.metricNameEscapingScheme();
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
        return new ScrapeConfig(r.jobName(), interval, timeout, r.metricsPath(), r.scheme(), r.params(), r.honorLabels(),
                r.honorTimestamps(), r.trackTimestampsStaleness(), r.enableCompression(), protocols, fallback,
                or(r.scrapeFailureLogFile(), g.scrapeFailureLogFile()), r.scrapeNativeHistograms(),
                r.alwaysScrapeClassicHistograms(), r.convertClassicHistogramsToNhcb(), r.extraScrapeMetrics(),
                or(r.bodySizeLimitBytes(), g.bodySizeLimitBytes()), or(r.sampleLimit(), g.sampleLimit()),
                or(r.targetLimit(), g.targetLimit()), or(r.labelLimit(), g.labelLimit()),
                or(r.labelNameLengthLimit(), g.labelNameLengthLimit()), or(r.labelValueLengthLimit(), g.labelValueLengthLimit()),
                r.nativeHistogramBucketLimit(), r.nativeHistogramMinBucketFactor(), or(r.keepDroppedTargets(), g.keepDroppedTargets()),
                validation, escaping, r.http(), r.discovery(), r.relabelConfigs(), r.metricRelabelConfigs());
    }

    /** Prometheus's "0 means take the global value". */
    private static long or(long local, long global) { return local != 0 ? local : global; }

    private static String or(String local, String global) { return !local.isEmpty() ? local : global; }

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
