package io.pyrometer.scrape;

import io.pyrometer.config.ScrapeConfig;
import io.pyrometer.discovery.TargetGroup;
import io.pyrometer.model.Durations;
import io.pyrometer.model.Labels;
import io.pyrometer.model.relabel.RelabelConfig;
import io.pyrometer.model.relabel.Relabeler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a discovered target into the label set it is scraped with, as Prometheus 3's
 * {@code scrape.PopulateLabels} / {@code TargetsFromGroup}:
 * <ol>
 *   <li>target labels, then group labels the target does not set;</li>
 *   <li>{@code job}, {@code __scrape_interval__}, {@code __scrape_timeout__}, {@code __metrics_path__},
 *       {@code __scheme__} and {@code __param_<name>} (first value) from the scrape config unless set;</li>
 *   <li>{@code relabel_configs}; a {@code keep}/{@code drop} may drop the target;</li>
 *   <li>checks: {@code __address__} present and without {@code /}, interval and timeout parse, are not
 *       zero, and timeout &lt;= interval;</li>
 *   <li>{@code __meta_*} removed; {@code instance} defaults to {@code __address__} (no default port is
 *       added: Prometheus 3);</li>
 *   <li>label names and values must be valid UTF-8.</li>
 * </ol>
 * The other {@code __}-prefixed labels ({@code __address__}, {@code __scheme__}, {@code __metrics_path__},
 * {@code __scrape_interval__}, {@code __scrape_timeout__}, {@code __param_*}, and any temporary
 * {@code __tmp_*} a relabel step left) stay in {@link Result#labels()} because the scrape loop needs
 * them; {@link #publicLabels} is what gets attached to scraped series.
 *
 * <pre>{@code
 * for (TargetLabels.Result r : TargetLabels.fromGroup(group, job)) {
 *     if (r.error() != null) log(r.error());          // "instance 0 in group file.json:0: no address"
 *     else if (r.labels() != null) startLoop(r.labels());
 * }
 * }</pre>
 */
public final class TargetLabels {
    public static final String JOB = "job";
    public static final String INSTANCE = "instance";
    public static final String ADDRESS = "__address__";
    public static final String SCHEME = "__scheme__";
    public static final String METRICS_PATH = "__metrics_path__";
    public static final String SCRAPE_INTERVAL = "__scrape_interval__";
    public static final String SCRAPE_TIMEOUT = "__scrape_timeout__";
    public static final String PARAM_PREFIX = "__param_";
    public static final String META_PREFIX = "__meta_";
    public static final String RESERVED_PREFIX = "__";

    private TargetLabels() {}

    /**
     * The outcome for one target.
     *
     * @param labels           final labels (with the internal {@code __} ones), or null when dropped or invalid
     * @param discoveredLabels the labels before relabeling (what the targets page shows as "discovered")
     * @param error            why the target is invalid, in Prometheus's words; null when fine or dropped
     */
    public record Result(Labels labels, Labels discoveredLabels, String error) {
        /** Dropped by relabeling (not an error). */
        public boolean dropped() { return labels == null && error == null; }
    }

    /** {@code PopulateDiscoveredLabels}: target + group labels + scrape config defaults, before relabeling. */
    public static Labels discoveredLabels(ScrapeConfig cfg, Labels target, Labels group) {
        Labels.Builder lb = Labels.builder();
        populateDiscovered(lb, cfg, target, group);
        return lb.build();
    }

    /** {@code PopulateLabels} for one target. */
    public static Result populate(ScrapeConfig cfg, Labels target, Labels group) {
        return populate(Labels.builder(), new Relabeler(), cfg, target, group);
    }

    /** Like {@link #populate(ScrapeConfig, Labels, Labels)}, reusing the caller's builder and relabeler. */
    public static Result populate(Labels.Builder lb, Relabeler relabeler, ScrapeConfig cfg, Labels target, Labels group) {
        populateDiscovered(lb, cfg, target, group);
        Labels discovered = lb.build();
        if (!relabeler.apply(lb, cfg.relabelConfigs())) return new Result(null, discovered, null);
        String error = check(lb);
        if (error != null) return new Result(null, discovered, error);

        // meta labels go after relabeling; other internal labels stay for the scrape loop
        for (int i = lb.size() - 1; i >= 0; i--) {
            String name = lb.nameAt(i);
            if (name.startsWith(META_PREFIX)) lb.del(name);
        }
        if (lb.get(INSTANCE).isEmpty()) lb.set(INSTANCE, lb.get(ADDRESS));
        Labels res = lb.build();
        for (int i = 0; i < res.size(); i++) {
            if (!RelabelConfig.isValidUtf8LabelName(res.name(i))) {
                return new Result(null, discovered, "invalid label name " + quote(res.name(i)));
            }
            if (!validUtf8(res.value(i))) {
                return new Result(null, discovered, "invalid label value for " + quote(res.name(i)) + ": " + quote(res.value(i)));
            }
        }
        return new Result(res, discovered, null);
    }

    /**
     * {@code TargetsFromGroup}: one result per target of the group; errors are prefixed with
     * {@code instance <i> in group <source>: } as Prometheus logs them.
     */
    public static List<Result> fromGroup(TargetGroup group, ScrapeConfig cfg) {
        List<Result> out = new ArrayList<>(group.targets().size());
        Labels.Builder lb = Labels.builder();
        Relabeler relabeler = new Relabeler();
        for (int i = 0; i < group.targets().size(); i++) {
            Result r = populate(lb, relabeler, cfg, group.targets().get(i), group.labels());
            if (r.error() != null) {
                r = new Result(null, r.discoveredLabels(), "instance " + i + " in group " + group.source() + ": " + r.error());
            }
            out.add(r);
        }
        return out;
    }

    /** The labels a target attaches to its series: everything not starting with {@code __} ({@code Target.Labels}). */
    public static Labels publicLabels(Labels labels) {
        Labels.Builder b = Labels.builder();
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.name(i).startsWith(RESERVED_PREFIX)) b.set(labels.name(i), labels.value(i));
        }
        return b.build();
    }

    private static void populateDiscovered(Labels.Builder lb, ScrapeConfig cfg, Labels target, Labels group) {
        lb.reset(target);
        for (int i = lb.size() - 1; i >= 0; i--) {
            if (lb.valueAt(i).isEmpty()) lb.del(lb.nameAt(i)); // an empty value means absent, as Go's Builder.Set
        }
        for (int i = 0; i < group.size(); i++) {
            if (!target.has(group.name(i))) lb.set(group.name(i), group.value(i));
        }
        setIfEmpty(lb, JOB, cfg.jobName());
        setIfEmpty(lb, SCRAPE_INTERVAL, Durations.format(cfg.scrapeIntervalMs()));
        setIfEmpty(lb, SCRAPE_TIMEOUT, Durations.format(cfg.scrapeTimeoutMs()));
        setIfEmpty(lb, METRICS_PATH, cfg.metricsPath());
        setIfEmpty(lb, SCHEME, cfg.scheme());
        for (Map.Entry<String, List<String>> p : cfg.params().entrySet()) {
            if (!p.getValue().isEmpty()) setIfEmpty(lb, PARAM_PREFIX + p.getKey(), p.getValue().getFirst());
        }
    }

    private static void setIfEmpty(Labels.Builder lb, String name, String value) {
        if (lb.get(name).isEmpty()) lb.set(name, value);
    }

    /** The checks between relabeling and meta-label removal; null when all pass. */
    private static String check(Labels.Builder lb) {
        String addr = lb.get(ADDRESS);
        if (addr.isEmpty()) return "no address";
        if (addr.indexOf('/') >= 0) return quote(addr) + " is not a valid hostname";
        String interval = lb.get(SCRAPE_INTERVAL);
        long intervalMs;
        try {
            intervalMs = Durations.parseMs(interval);
        } catch (IllegalArgumentException e) {
            return "error parsing scrape interval: " + e.getMessage();
        }
        if (intervalMs == 0) return "scrape interval cannot be 0";
        String timeout = lb.get(SCRAPE_TIMEOUT);
        long timeoutMs;
        try {
            timeoutMs = Durations.parseMs(timeout);
        } catch (IllegalArgumentException e) {
            return "error parsing scrape timeout: " + e.getMessage();
        }
        if (timeoutMs == 0) return "scrape timeout cannot be 0";
        if (timeoutMs > intervalMs) {
            return "scrape timeout cannot be greater than scrape interval (" + quote(timeout) + " > " + quote(interval) + ")";
        }
        return null;
    }

    private static boolean validUtf8(String s) {
        return s.isEmpty() || RelabelConfig.isValidUtf8LabelName(s);
    }

    /**
     * Go's {@code %q}: printable text as is, {@code \"} {@code \\} {@code \n} {@code \t} escaped, and a lone
     * surrogate (invalid UTF-8 in Go) as the {@code \x} bytes Go would show.
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (pairedHigh) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append(String.format("\\x%02x\\x%02x\\x%02x", 0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)));
            } else {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    case '\r' -> sb.append("\\r");
                    default -> {
                        if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
                        else sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
