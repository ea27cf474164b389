package io.pyrometer.rules;

import io.pyrometer.model.Labels;
import io.pyrometer.notifier.AlertSender;
import io.pyrometer.promql.parser.ParserOptions;
import io.pyrometer.storage.Appendable;
import io.pyrometer.storage.Queryable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Runs the rule groups of the configured rule files (Prometheus's {@code rules/manager.go}).
 *
 * <pre>{@code
 * RuleManager m = new RuleManager(opts);
 * m.update(60_000, 0, Labels.EMPTY, List.of("/etc/prometheus/rules/*.yml")); // throws on a bad file
 * m.start();
 * }</pre>
 *
 * <p>A reload ({@link #update}) first loads and validates every file; any error leaves the running
 * groups untouched. Groups whose definition did not change keep running; changed ones take over
 * the state of the group with the same file and name (active alerts, series for staleness);
 * removed groups stop and, two intervals later, mark their series stale.
 */
public final class RuleManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RuleManager.class.getName());

    /**
     * What the groups need.
     *
     * @param clock              wall clock in ms (a manual one in tests)
     * @param resendDelayMs      {@code --rules.alert.resend-delay}
     * @param outageToleranceMs  {@code --rules.alert.for-outage-tolerance}
     * @param gracePeriodMs      {@code --rules.alert.for-grace-period}
     * @param externalUrl        {@code --web.external-url}, for {@code $externalURL} and generator URLs
     */
    public record Options(QueryFunction queryFunction, Appendable appendable, Queryable queryable, AlertSender sender,
                          LongSupplier clock, RuleMetrics metrics, long resendDelayMs, long outageToleranceMs,
                          long gracePeriodMs, String externalUrl, ParserOptions parserOptions) {}

    private final Options opts;
    private final Object lock = new Object();
    /** Guarded by {@code lock}; replaced (never mutated) on update so readers can iterate a snapshot. */
    private volatile Map<String, RuleGroup> groups = Map.of();
    private volatile List<Path> files = List.of();
    private boolean running;
    private boolean restored;
    private boolean closed;

    public RuleManager(Options opts) {
        this.opts = opts;
    }

    public Options options() { return opts; }

    /** The groups, sorted by file then name as Prometheus's API lists them. */
    public List<RuleGroup> groups() {
        List<RuleGroup> out = new ArrayList<>(groups.values());
        out.sort(Comparator.comparing(RuleGroup::file).thenComparing(RuleGroup::name));
        return out;
    }

    /** The rule files the last successful update read (what the config watcher hashes). */
    public List<Path> files() { return files; }

    /** Expands {@code rule_files} globs as Go's {@code filepath.Glob}: sorted matches, none is no error. */
    public static List<Path> expand(List<String> patterns) throws RuleFileException {
        List<Path> out = new ArrayList<>();
        for (String pattern : patterns) {
            if (!pattern.contains("*") && !pattern.contains("?") && !pattern.contains("[")) {
                Path p = Path.of(pattern);
                if (Files.exists(p)) out.add(p);
                continue;
            }
            Path p = Path.of(pattern);
            Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
            PathMatcher m;
            try {
                m = FileSystems.getDefault().getPathMatcher("glob:" + p.getFileName());
            } catch (IllegalArgumentException e) {
                throw new RuleFileException(List.of("error retrieving rule files for " + pattern + ": syntax error in pattern"));
            }
            if (!Files.isDirectory(dir)) continue;
            List<Path> matches = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path f : ds) if (m.matches(f.getFileName())) matches.add(f);
            } catch (IOException e) {
                continue; // Go's Glob ignores I/O errors
            }
            matches.sort(Comparator.comparing(Path::toString));
            out.addAll(matches);
        }
        return out;
    }

    /** Reads and validates every file; all errors of all files are reported together. */
    public static Map<Path, List<RuleGroupDef>> loadFiles(List<Path> files, ParserOptions popts) throws RuleFileException {
        Map<Path, List<RuleGroupDef>> out = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (Path f : files) {
            try {
                out.put(f, RuleFileLoader.load(f, popts));
            } catch (RuleFileException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) throw new RuleFileException(errors);
        return out;
    }

    /**
     * Loads the rule files named by {@code patterns} and swaps the running groups for them
     * (Prometheus's {@code Manager.Update}); on any error nothing changes.
     */
    public void update(long evalIntervalMs, long queryOffsetMs, Labels externalLabels, List<String> patterns) throws RuleFileException {
        List<Path> paths = expand(patterns);
        Map<Path, List<RuleGroupDef>> loaded = loadFiles(paths, opts.parserOptions());
        synchronized (lock) {
            if (closed) return;
            boolean shouldRestore = !restored;
            Map<String, RuleGroup> next = new LinkedHashMap<>();
            for (Map.Entry<Path, List<RuleGroupDef>> e : loaded.entrySet()) {
                String file = e.getKey().toString();
                for (RuleGroupDef def : e.getValue()) {
                    RuleGroup g = build(file, def, evalIntervalMs, queryOffsetMs, externalLabels, shouldRestore);
                    next.put(g.key(), g);
                }
            }
            Map<String, RuleGroup> old = new LinkedHashMap<>(groups);
            Map<String, RuleGroup> result = new LinkedHashMap<>();
            for (RuleGroup g : next.values()) {
                RuleGroup o = old.remove(g.key());
                if (o != null && o.sameDefinition(g) && sameExternal(o, externalLabels)) {
                    result.put(g.key(), o);
                    continue;
                }
                if (o != null) {
                    o.stop();
                    g.copyState(o);
                }
                result.put(g.key(), g);
                if (running) g.start();
            }
            for (RuleGroup o : old.values()) {
                o.stop();
                removeGroup(o);
            }
            groups = result;
            files = List.copyOf(paths);
            externalLabelsInUse = externalLabels;
            restored = true;
        }
    }

    private Labels externalLabelsInUse = Labels.EMPTY;

    private boolean sameExternal(RuleGroup o, Labels externalLabels) {
        return externalLabelsInUse.equals(externalLabels);
    }

    /** A removed group's series are marked stale two intervals later, so a renamed rule can take them over first. */
    private void removeGroup(RuleGroup o) {
        opts.metrics().remove(o.key());
        if (!running) {
            o.markAllStale(opts.clock().getAsLong());
            return;
        }
        long stopMs = opts.clock().getAsLong();
        Thread.ofVirtual().name("rule-group-stale " + o.key()).start(() -> {
            try {
                Thread.sleep(2 * o.intervalMs());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                if (closed) return;
            }
            o.markAllStale(stopMs);
        });
    }

    private RuleGroup build(String file, RuleGroupDef def, long evalIntervalMs, long queryOffsetMs, Labels externalLabels,
                            boolean shouldRestore) {
        List<Rule> rules = new ArrayList<>(def.rules().size());
        for (RuleDef r : def.rules()) {
            Labels.Builder b = Labels.builder();
            for (Map.Entry<String, String> l : def.labels().entrySet()) b.set(l.getKey(), l.getValue());
            for (Map.Entry<String, String> l : r.labels().entrySet()) b.set(l.getKey(), l.getValue());
            Labels labels = b.build();
            if (r.isAlert()) {
                rules.add(new AlertingRule(r.alert(), r.expr(), r.forMs(), r.keepFiringForMs(), labels, r.annotations(),
                        externalLabels, opts.externalUrl(), !shouldRestore));
            } else {
                rules.add(new RecordingRule(r.record(), r.expr(), labels));
            }
        }
        long interval = def.intervalMs() > 0 ? def.intervalMs() : evalIntervalMs;
        long offset = def.queryOffsetMs() >= 0 ? def.queryOffsetMs() : queryOffsetMs;
        return new RuleGroup(file, def, rules, interval, offset, opts, shouldRestore);
    }

    /**
     * Marks every alerting rule restored without reading {@code ALERTS_FOR_STATE}, so {@code ALERTS}
     * series are written from the first evaluation (what {@code promtool test rules} does).
     */
    public void markRestored() {
        for (RuleGroup g : groups.values()) {
            g.shouldRestore = false;
            for (Rule r : g.rules()) if (r instanceof AlertingRule ar) ar.setRestored();
        }
    }

    /** Starts evaluating (after storage is ready, as Prometheus's {@code Manager.Run}). */
    public void start() {
        synchronized (lock) {
            if (running || closed) return;
            running = true;
            for (RuleGroup g : groups.values()) g.start();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            for (RuleGroup g : groups.values()) g.stop();
        }
        LOG.log(System.Logger.Level.INFO, "Rule manager stopped");
    }

    /** A group definition with the rules' source positions cleared, for "did it change" comparisons. */
    static RuleGroupDef withoutPositions(RuleGroupDef d) {
        List<RuleDef> rules = new ArrayList<>(d.rules().size());
        for (RuleDef r : d.rules()) {
            rules.add(new RuleDef(r.record(), r.alert(), r.expr(), r.forMs(), r.keepFiringForMs(), r.labels(), r.annotations(),
                    0, 0, 0, 0));
        }
        return new RuleGroupDef(d.name(), d.intervalMs(), d.queryOffsetMs(), d.limit(), d.labels(), rules, 0, 0);
    }
}
