package io.pyrometer.config;

import io.pyrometer.config.YamlNode.Entry;
import io.pyrometer.model.Labels;
import java.util.List;
import java.util.function.UnaryOperator;

/** Reads {@code global:} and {@code storage:} as Prometheus's {@code GlobalConfig.UnmarshalYAML} and {@code StorageConfig} do. */
final class GlobalDecoder {
    private GlobalDecoder() {}

    /**
     * @param env looks up environment variables for {@code ${VAR}} in external label values (Prometheus
     *            expands them at load time); returns null when unset
     */
    static GlobalConfig read(Fields f, UnaryOperator<String> env) throws ConfigException {
        GlobalConfig d = GlobalConfig.DEFAULT;
        long interval = f.durationMs("scrape_interval", 0);
        long timeout = f.durationMs("scrape_timeout", 0);
        List<String> protocols = f.has("scrape_protocols") ? f.strings("scrape_protocols") : null;
        long evaluation = f.durationMs("evaluation_interval", 0);
        long ruleQueryOffset = f.durationMs("rule_query_offset", 0);
        String queryLog = f.string("query_log_file", "");
        String failureLog = f.string("scrape_failure_log_file", "");
        String validation = ScrapeDecoder.validationScheme(f, "metric_name_validation_scheme");
        if (validation.isEmpty()) validation = d.metricNameValidationScheme();
        Labels external = externalLabels(f, validation.equals(GlobalConfig.LEGACY_VALIDATION), env);
        long bodySize = f.bytes("body_size_limit", 0);
        long sampleLimit = f.uint("sample_limit", 0), targetLimit = f.uint("target_limit", 0);
        long labelLimit = f.uint("label_limit", 0);
        long nameLen = f.uint("label_name_length_limit", 0), valueLen = f.uint("label_value_length_limit", 0);
        long keepDropped = f.uint("keep_dropped_targets", 0);
        String escaping = f.string("metric_name_escaping_scheme", "");
        boolean scrapeNative = f.bool("scrape_native_histograms", false);
        boolean toNhcb = f.bool("convert_classic_histograms_to_nhcb", false);
        boolean alwaysClassic = f.bool("always_scrape_classic_histograms", false);
        boolean extra = f.bool("extra_scrape_metrics", false);
        f.finish();

        if (interval == 0) interval = d.scrapeIntervalMs();
        if (timeout > interval) {
            throw f.error("scrape_timeout", "global scrape timeout greater than scrape interval; lower scrape_timeout or raise scrape_interval");
        }
        if (timeout == 0) timeout = Math.min(d.scrapeTimeoutMs(), interval);
        if (evaluation == 0) evaluation = d.evaluationIntervalMs();
        if (protocols != null) {
            String err = ScrapeDecoder.validateProtocols(protocols);
            if (err != null) throw f.error("scrape_protocols", err + " for global config");
        }
        if (escaping.isEmpty()) {
            escaping = validation.equals(GlobalConfig.LEGACY_VALIDATION) ? "underscores" : "allow-utf-8";
        } else if (!ScrapeDecoder.ESCAPING_SCHEMES.contains(escaping)) {
            throw f.error("metric_name_escaping_scheme", "unknown global name escaping method specified, must be one of "
                    + "'allow-utf-8', 'underscores', 'dots', or 'values', got " + DiscoveryDecoder.quote(escaping));
        }
        return new GlobalConfig(interval, timeout, protocols == null ? List.of() : protocols, evaluation, ruleQueryOffset,
                queryLog, failureLog, external, bodySize, sampleLimit, targetLimit, labelLimit, nameLen, valueLen,
                keepDropped, validation, escaping, scrapeNative, toNhcb, alwaysClassic, extra);
    }

    private static Labels externalLabels(Fields f, boolean legacy, UnaryOperator<String> env) throws ConfigException {
        List<Entry> entries = f.entries("external_labels", "labels.Labels");
        if (entries.isEmpty()) return Labels.EMPTY;
        Labels.Builder b = Labels.builder();
        for (Entry e : entries) {
            String path = f.path("external_labels") + "." + e.key();
            if (!DiscoveryDecoder.validLabelName(e.key(), legacy)) {
                throw new ConfigException(f.file, e.line(), e.column(), path, DiscoveryDecoder.quote(e.key()) + " is not a valid label name"
                        + (legacy ? " (metric_name_validation_scheme is legacy: use [a-zA-Z_][a-zA-Z0-9_]*)" : ""));
            }
            b.set(e.key(), expand(Fields.scalarText(f.file, path, e.value(), "string"), env));
        }
        return b.build();
    }

    /** Go's {@code os.Expand} as Prometheus applies it to external label values: {@code $VAR}, {@code ${VAR}}, {@code $$}. */
    static String expand(String s, UnaryOperator<String> env) {
        if (s.indexOf('$') < 0) return s;
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 >= s.length()) {
                sb.append(c);
                i++;
                continue;
            }
            char n = s.charAt(i + 1);
            String name;
            int next;
            if (n == '{') {
                int end = s.indexOf('}', i + 2);
                if (end < 0) { // bad syntax: os.Expand drops "${"
                    i += 2;
                    continue;
                }
                name = s.substring(i + 2, end);
                next = end + 1;
            } else if (n == '$') {
                name = "$";
                next = i + 2;
            } else {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                if (j == i + 1) { // "$" followed by a non-name character: kept as is
                    sb.append(c);
                    i++;
                    continue;
                }
                name = s.substring(i + 1, j);
                next = j;
            }
            if (name.equals("$")) sb.append('$');
            else {
                String v = env.apply(name);
                if (v != null) sb.append(v);
            }
            i = next;
        }
        return sb.toString();
    }

    static StorageConfig storage(Fields f) throws ConfigException {
        StorageConfig d = StorageConfig.DEFAULT;
        long ooo = 0, retentionTime = 0, retentionSize = 0, maxExemplars = d.maxExemplars();
        if (f.has("tsdb")) {
            Fields t = Fields.of(f.file, f.path("tsdb"), f.get("tsdb"), "storage.tsdb");
            ooo = t.durationMs("out_of_order_time_window", 0);
            if (t.has("retention")) {
                Fields r = Fields.of(t.file, t.path("retention"), t.get("retention"), "storage.tsdb.retention");
                retentionTime = r.durationMs("time", 0);
                retentionSize = r.bytes("size", 0);
                r.finish();
            }
            t.finish();
        }
        if (f.has("exemplars")) {
            Fields e = Fields.of(f.file, f.path("exemplars"), f.get("exemplars"), "storage.exemplars");
            maxExemplars = e.int64("max_exemplars", d.maxExemplars());
            e.finish();
        }
        f.finish();
        return new StorageConfig(ooo, retentionTime, retentionSize, maxExemplars);
    }
}
