package io.pyrometer.promql.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.VectorSelector;
import io.pyrometer.model.Values;
import io.pyrometer.promql.engine.CancellationToken;
import io.pyrometer.promql.engine.Engine;
import io.pyrometer.promql.engine.EngineOptions;
import io.pyrometer.promql.engine.PromQLException;
import io.pyrometer.promql.engine.QueryResult;
import io.pyrometer.promql.engine.Value;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.MemStorage;
import io.pyrometer.storage.Queryable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

/**
 * Runs every upstream PromQL test script ({@code *.test}) against {@link Engine} over
 * {@link MemStorage}: one dynamic test per eval, named {@code file:line}. Skipped cases come from
 * {@link ConformanceSkips} and show as JUnit skips; per-file counts are printed at the end.
 *
 * <p>System properties: {@code pyrometer.conformance.dir} (scripts; default
 * {@code ../../shared/conformance/promqltest} from {@code server/}), {@code pyrometer.conformance.filter}
 * (regex on file names, for working on one file).
 */
class PromqlConformanceTest {
    private static final Tally TALLY = new Tally("PromQL conformance");
    private static final Pattern QUERY_CONTEXT_FUNCS = Pattern.compile("(start|end|range|step)\\(\\)");

    static Path scriptDir() {
        String prop = System.getProperty("pyrometer.conformance.dir");
        Path dir = prop != null ? Path.of(prop) : Path.of("../../shared/conformance/promqltest");
        if (!Files.isDirectory(dir)) {
            fail("PromQL conformance scripts not found at " + dir.toAbsolutePath()
                    + "; set -Dpyrometer.conformance.dir=<dir with *.test files>");
        }
        return dir;
    }

    static Engine newEngine() {
        return new Engine(EngineOptions.defaults().withMaxSamples(10_000).withTimeoutMs(100_000)
                .withNoStepSubqueryIntervalMs(60_000).withExperimentalFunctions(true).withDelayedNameRemoval(true));
    }

    @TestFactory
    Stream<DynamicTest> conformance() throws IOException {
        return tests(files(), newEngine(), TALLY, (seg, f) -> Map.of("MemStorage", seg.storage()), seg -> { }).stream();
    }

    /** The script files to run: {@code pyrometer.conformance.filter} applied, sorted. */
    static List<Path> files() throws IOException {
        Path dir = scriptDir();
        Pattern filter = Pattern.compile(System.getProperty("pyrometer.conformance.filter", ".*"));
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".test"))
                    .filter(p -> filter.matcher(p.getFileName().toString()).find()).sorted().toList();
        }
    }

    /**
     * Where an eval reads its data: the segment's storages for one script file, by name (an eval
     * runs on each in turn).
     */
    interface StorageOf {
        Map<String, Queryable> of(Segment seg, String file);
    }

    /** Counts the queriers each query opens: a query must open one (one isolation state). */
    static final class CountingQueryable implements Queryable {
        private final Queryable q;
        int opened;

        CountingQueryable(Queryable q) { this.q = q; }

        @Override
        public io.pyrometer.storage.Querier querier(long minTimeMs, long maxTimeMs) {
            opened++;
            return q.querier(minTimeMs, maxTimeMs);
        }
    }

    /**
     * One dynamic test per eval of {@code files}, reading each segment's data through
     * {@code storage}; {@code done} runs once the last eval of a segment has run (to release it).
     */
    static List<DynamicTest> tests(List<Path> files, Engine engine, Tally tally, StorageOf storage,
                                   java.util.function.Consumer<Segment> done) throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            try {
                tests.addAll(testsFor(f, engine, tally, storage, done));
            } catch (RuntimeException e) {
                String name = f.getFileName().toString();
                tests.add(DynamicTest.dynamicTest(name + ":parse", () -> {
                    throw new AssertionError("cannot parse " + name + ": " + e.getMessage(), e);
                }));
            }
        }
        return tests;
    }

    private static List<DynamicTest> testsFor(Path path, Engine engine, Tally tally, StorageOf storage,
                                              java.util.function.Consumer<Segment> done) throws IOException {
        String file = path.getFileName().toString();
        List<TestScript.Command> cmds = TestScript.parse(Files.readString(path));
        List<DynamicTest> out = new ArrayList<>();
        Segment seg = new Segment();
        boolean ignoring = false;
        for (TestScript.Command c : cmds) {
            switch (c) {
                case TestScript.Clear cl -> seg = new Segment();
                case TestScript.Load l -> seg = seg.with(l);
                case TestScript.Ignore ig -> ignoring = ig.ignore();
                case TestScript.Eval ev -> {
                    Segment s = seg;
                    boolean ignored = ignoring;
                    s.evals++;
                    out.add(DynamicTest.dynamicTest(file + ":" + ev.line(), () -> {
                        try {
                            run(file, s, ev, engine, ignored, tally, storage);
                        } finally {
                            if (--s.evals == 0) done.accept(s);
                        }
                    }));
                }
            }
        }
        return out;
    }

    private static void run(String file, Segment seg, TestScript.Eval ev, Engine engine, boolean ignored, Tally tally, StorageOf storage) {
        int[] cnt = tally.counts.computeIfAbsent(file, k -> new int[3]);
        String reason = ignored ? "between ignore and resume in the script" : ConformanceSkips.reasonFor(file, ev.line(), ev.expr);
        if (reason == null && (ev.expectsHistograms || seg.readsHistograms(engine, ev.expr))) reason = ConformanceSkips.NATIVE_HISTOGRAMS;
        if (reason != null) {
            cnt[2]++;
            tally.skipReasons.merge(reason, 1, Integer::sum);
            Assumptions.abort(reason);
        }
        try {
            for (Map.Entry<String, Queryable> st : storage.of(seg, file).entrySet()) {
                try {
                    new EvalRunner(engine, st.getValue(), ev).run();
                } catch (TestAbortedException e) {
                    throw e;
                } catch (Throwable t) {
                    throw new AssertionError("on " + st.getKey() + ": " + t.getMessage(), t);
                }
            }
            cnt[0]++;
        } catch (TestAbortedException e) {
            cnt[2]++;
            throw e;
        } catch (Throwable t) {
            cnt[1]++;
            String msg = String.valueOf(t.getMessage());
            tally.failures.add(file + ":" + ev.line() + " " + ev.expr + "\n      " + (msg.length() > 400 ? msg.substring(0, 400) + "..." : msg));
            throw new AssertionError(file + ":" + ev.line() + " " + ev.expr + ": " + msg, t);
        }
    }

    @AfterAll
    static void summary() { TALLY.print(); }

    /** Passed, failed and skipped evals per file, skip reasons and failures of one run. */
    static final class Tally {
        final String title;
        final Map<String, int[]> counts = new TreeMap<>(); // file -> passed, failed, skipped
        final Map<String, Integer> skipReasons = new TreeMap<>();
        final List<String> failures = new ArrayList<>();

        Tally(String title) { this.title = title; }

        void print() {
            int p = 0, f = 0, s = 0;
            StringBuilder sb = new StringBuilder("\n" + title + " failures:\n");
            for (String failure : failures) sb.append("  ").append(failure).append('\n');
            sb.append("\n" + title + " (passed/failed/skipped):\n");
            for (Map.Entry<String, int[]> e : counts.entrySet()) {
                int[] c = e.getValue();
                sb.append(String.format("  %-28s %4d / %4d / %4d%n", e.getKey(), c[0], c[1], c[2]));
                p += c[0];
                f += c[1];
                s += c[2];
            }
            sb.append(String.format("  %-28s %4d / %4d / %4d%n", "TOTAL", p, f, s));
            sb.append("Skip reasons:\n");
            skipReasons.forEach((r, n) -> sb.append(String.format("  %4d  %s%n", n, r)));
            System.out.println(sb);
        }
    }

    /**
     * The data loaded since the last {@code clear}. Loads are immutable snapshots so an eval sees
     * exactly the loads before it, whatever order JUnit runs the tests in.
     */
    static final class Segment {
        final Map<Labels, TreeMap<Long, Double>> data;
        final Set<Labels> histogramSeries;
        private MemStorage storage;
        /** Evals of this segment not run yet (the last one releases what the segment opened). */
        int evals;

        Segment() { this(new LinkedHashMap<>(), new HashSet<>()); }

        private Segment(Map<Labels, TreeMap<Long, Double>> data, Set<Labels> hist) {
            this.data = data;
            this.histogramSeries = hist;
        }

        Segment with(TestScript.Load load) {
            Map<Labels, TreeMap<Long, Double>> d = new LinkedHashMap<>();
            data.forEach((k, v) -> d.put(k, new TreeMap<>(v)));
            Set<Labels> hist = new HashSet<>(histogramSeries);
            Map<Labels, SeriesDesc> byLabels = new LinkedHashMap<>();
            for (SeriesDesc sd : load.series()) byLabels.put(sd.labels(), sd); // later line replaces
            for (SeriesDesc sd : byLabels.values()) {
                if (sd.hasHistograms()) {
                    hist.add(sd.labels());
                    continue;
                }
                TreeMap<Long, Double> m = d.computeIfAbsent(sd.labels(), k -> new TreeMap<>());
                for (int i = 0; i < sd.items().size(); i++) {
                    SeriesDesc.Item it = sd.items().get(i);
                    if (!it.omitted()) m.put(i * load.stepMs(), it.value());
                }
            }
            if (load.withNhcb()) {
                for (SeriesDesc sd : load.series()) {
                    String n = sd.labels().metricName();
                    for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
                        if (n.endsWith(suffix)) {
                            hist.add(sd.labels().toBuilder().del("le")
                                    .set(Labels.METRIC_NAME, n.substring(0, n.length() - suffix.length())).build());
                        }
                    }
                }
            }
            return new Segment(d, hist);
        }

        synchronized MemStorage storage() {
            if (storage == null) {
                storage = new MemStorage();
                Appender app = storage.appender();
                data.forEach((l, m) -> m.forEach((t, v) -> app.append(0, l, t, v)));
                app.commit();
            }
            return storage;
        }

        /** Whether a selector of {@code expr} matches a series that was loaded with native histograms. */
        boolean readsHistograms(Engine engine, String expr) {
            if (histogramSeries.isEmpty()) return false;
            Expr e;
            try {
                e = engine.parse(expr);
            } catch (PromQLException ex) {
                // Unparsable here: fall back to looking for a histogram metric's name in the text.
                for (Labels l : histogramSeries) {
                    String name = l.metricName();
                    if (!name.isEmpty() && Pattern.compile("(?<![A-Za-z0-9_:])" + Pattern.quote(name) + "(?![A-Za-z0-9_:])").matcher(expr).find()) {
                        return true;
                    }
                }
                return false;
            }
            List<VectorSelector> selectors = new ArrayList<>();
            AstWalk.selectors(e, selectors);
            for (VectorSelector vs : selectors) {
                for (Labels l : histogramSeries) {
                    boolean all = true;
                    for (LabelMatcher m : vs.matchers()) {
                        if (!m.matches(l.get(m.name()))) {
                            all = false;
                            break;
                        }
                    }
                    if (all) return true;
                }
            }
            return false;
        }
    }

    /** Executes one eval as Prometheus's {@code test.execEval} does and asserts the outcome. */
    static final class EvalRunner {
        private final Engine engine;
        private final Queryable storage;
        private final TestScript.Eval ev;

        EvalRunner(Engine engine, Queryable storage, TestScript.Eval ev) {
            this.engine = engine;
            this.storage = storage;
            this.ev = ev;
        }

        void run() {
            if (ev.isRange) runRange();
            else runInstant();
        }

        /** Runs one query; on a {@link CountingQueryable}, fails when it opened more than one querier. */
        private QueryResult counted(java.util.function.Supplier<QueryResult> query) {
            if (!(storage instanceof CountingQueryable c)) return query.get();
            c.opened = 0;
            QueryResult r = query.get();
            if (c.opened > 1) fail("one query opened " + c.opened + " queriers: its selectors saw different commits");
            return r;
        }

        private void runRange() {
            QueryResult res;
            try {
                res = counted(() -> engine.rangeQuery(storage, ev.expr, ev.startMs, ev.endMs, ev.stepMs));
            } catch (PromQLException e) {
                checkFailure(e);
                return;
            }
            if (ev.isFail()) fail("expected error evaluating query \"" + ev.expr + "\" but got none");
            checkAnnotations(res);
            ResultComparator.compare(ev, res.value(), ev.stepMs);
        }

        private void runInstant() {
            runInstantCase(null, ev.expr, ev.evalMs);
            // The @ variants test the engine's @ handling, not storage: once, on MemStorage.
            if (storage instanceof CountingQueryable) return;
            // start()/end()/range()/step() depend on the query, not on @: no @ variants for them.
            if (QUERY_CONTEXT_FUNCS.matcher(ev.expr).find()) return;
            Expr parsed;
            try {
                parsed = engine.parse(ev.expr);
            } catch (PromQLException e) {
                return; // already checked by the plain run (expect fail)
            }
            for (AtModifierCases.Case c : AtModifierCases.of(parsed, ev.evalMs)) runInstantCase(c.expr(), c.expr().toString(), c.evalMs());
        }

        private void runInstantCase(Expr parsed, String expr, long t) {
            QueryResult res;
            try {
                res = counted(() -> parsed == null ? engine.instantQuery(storage, expr, t)
                        : engine.instantQuery(storage, parsed, ev.expr, t, CancellationToken.NONE));
            } catch (PromQLException e) {
                checkFailure(e);
                return;
            }
            if (ev.isFail()) fail("expected error evaluating query \"" + expr + "\" but got none");
            checkAnnotations(res);
            ResultComparator.compare(ev, res.value(), ev.stepMs, "query " + expr + " at " + t);
            if (ev.excludeFromRangeQuery || QUERY_CONTEXT_FUNCS.matcher(expr).find()) return;
            QueryResult rr;
            try {
                rr = counted(() -> parsed == null ? engine.rangeQuery(storage, expr, t - 60_000, t + 60_000, 60_000)
                        : engine.rangeQuery(storage, parsed, ev.expr, t - 60_000, t + 60_000, 60_000, CancellationToken.NONE));
            } catch (PromQLException e) {
                throw new AssertionError("error evaluating query \"" + expr + "\" in range mode: " + e.getMessage(), e);
            }
            if (ev.isOrdered()) return;
            Value.Matrix mat = (Value.Matrix) rr.value();
            ResultComparator.assertSorted(mat);
            List<Value.Sample> vec = new ArrayList<>();
            for (Value.SeriesResult s : mat.series()) {
                for (int i = 0; i < s.ts().length; i++) {
                    if (s.ts()[i] == t) {
                        vec.add(new Value.Sample(s.labels(), t, s.vs()[i]));
                        break;
                    }
                }
            }
            Value asInstant = res.value() instanceof Value.Scalar
                    ? new Value.Scalar(t, vec.isEmpty() ? Double.NaN : vec.getFirst().v())
                    : new Value.Vector(vec);
            ResultComparator.compare(ev, asInstant, ev.stepMs, "range mode of " + expr + " at " + t);
        }

        private void checkFailure(PromQLException e) {
            if (!ev.isFail()) {
                throw new AssertionError("error evaluating query \"" + ev.expr + "\" (line " + ev.line() + "): " + e.getMessage(), e);
            }
            String msg = e.getMessage();
            if (ev.expectedFailMessage != null && !ev.expectedFailMessage.equals(msg)) {
                fail("expected error \"" + ev.expectedFailMessage + "\" but got: " + msg);
            }
            if (ev.expectedFailRegexp != null && !ev.expectedFailRegexp.matcher(msg).find()) {
                fail("expected error matching " + ev.expectedFailRegexp + " but got: " + msg);
            }
            List<TestScript.Expect> f = ev.expects(TestScript.ExpectType.FAIL);
            if (!f.isEmpty() && !f.getFirst().matches(msg)) fail("expected error matching \"" + f.getFirst() + "\" but got: " + msg);
        }

        private void checkAnnotations(QueryResult res) {
            if (ev.warn && res.warnings().isEmpty()) fail("expected warnings but got none");
            if (ev.info && res.infos().isEmpty()) fail("expected info annotations but got none");
            checkKind("warn", ev.expects(TestScript.ExpectType.WARN), res.warnings());
            checkKind("info", ev.expects(TestScript.ExpectType.INFO), res.infos());
            if (!ev.expects(TestScript.ExpectType.NO_WARN).isEmpty() && !res.warnings().isEmpty()) {
                fail("unexpected warning annotations: " + res.warnings());
            }
            if (!ev.expects(TestScript.ExpectType.NO_INFO).isEmpty() && !res.infos().isEmpty()) {
                fail("unexpected info annotations: " + res.infos());
            }
        }

        private static void checkKind(String kind, List<TestScript.Expect> expected, List<String> actual) {
            if (expected.isEmpty()) return;
            if (actual.isEmpty()) fail("expected " + kind + " annotations but none were found");
            for (TestScript.Expect e : expected) {
                if (actual.stream().noneMatch(e::matches)) {
                    fail("expected " + kind + " annotation matching \"" + e + "\" but found: " + actual);
                }
            }
            for (String a : actual) {
                if (expected.stream().noneMatch(e -> e.matches(a))) fail("unexpected " + kind + " annotation \"" + a + "\"");
            }
        }
    }

    /** Values equal as Prometheus's {@code util/almost.Equal} with epsilon 1e-6. */
    static boolean almostEqual(double a, double b) {
        if (Values.isStaleNaN(a) || Values.isStaleNaN(b)) return Values.isStaleNaN(a) && Values.isStaleNaN(b);
        if (Double.isNaN(a) && Double.isNaN(b)) return true;
        if (a == b) return true;
        double minNormal = Double.MIN_NORMAL;
        double absSum = Math.abs(a) + Math.abs(b);
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || absSum < minNormal) return diff < 1e-6 * minNormal;
        return diff / Math.min(absSum, Double.MAX_VALUE) < 1e-6;
    }

    static Map<Labels, TestScript.ExpectedSeries> expectedByLabels(TestScript.Eval ev) {
        Map<Labels, TestScript.ExpectedSeries> m = new HashMap<>();
        for (TestScript.ExpectedSeries e : ev.expected) m.put(e.desc().labels(), e);
        return m;
    }
}
