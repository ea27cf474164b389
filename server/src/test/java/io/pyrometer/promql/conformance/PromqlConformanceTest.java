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
    private static final Map<String, int[]> COUNTS = new TreeMap<>(); // file -> passed, failed, skipped
    private static final Map<String, Integer> SKIP_REASONS = new TreeMap<>();
    private static final List<String> FAILURES = new ArrayList<>();
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
        Path dir = scriptDir();
        Pattern filter = Pattern.compile(System.getProperty("pyrometer.conformance.filter", ".*"));
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".test"))
                    .filter(p -> filter.matcher(p.getFileName().toString()).find()).sorted().toList();
        }
        Engine engine = newEngine();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            try {
                tests.addAll(testsFor(f, engine));
            } catch (RuntimeException e) {
                String name = f.getFileName().toString();
                tests.add(DynamicTest.dynamicTest(name + ":parse", () -> {
                    throw new AssertionError("cannot parse " + name + ": " + e.getMessage(), e);
                }));
            }
        }
        return tests.stream();
    }

    private static List<DynamicTest> testsFor(Path path, Engine engine) throws IOException {
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
                    out.add(DynamicTest.dynamicTest(file + ":" + ev.line(), () -> run(file, s, ev, engine, ignored)));
                }
            }
        }
        return out;
    }

    private static void run(String file, Segment seg, TestScript.Eval ev, Engine engine, boolean ignored) {
        int[] cnt = COUNTS.computeIfAbsent(file, k -> new int[3]);
        String reason = ignored ? "between ignore and resume in the script" : ConformanceSkips.reasonFor(file, ev.line(), ev.expr);
        if (reason == null && (ev.expectsHistograms || seg.readsHistograms(engine, ev.expr))) reason = ConformanceSkips.NATIVE_HISTOGRAMS;
        if (reason != null) {
            cnt[2]++;
            SKIP_REASONS.merge(reason, 1, Integer::sum);
            Assumptions.abort(reason);
        }
        try {
            new EvalRunner(engine, seg.storage(), ev).run();
            cnt[0]++;
        } catch (TestAbortedException e) {
            cnt[2]++;
            throw e;
        } catch (Throwable t) {
            cnt[1]++;
            String msg = String.valueOf(t.getMessage());
            FAILURES.add(file + ":" + ev.line() + " " + ev.expr + "\n      " + (msg.length() > 400 ? msg.substring(0, 400) + "..." : msg));
            throw new AssertionError(file + ":" + ev.line() + " " + ev.expr + ": " + msg, t);
        }
    }

    @AfterAll
    static void summary() {
        int p = 0, f = 0, s = 0;
        StringBuilder sb = new StringBuilder("\nPromQL conformance failures:\n");
        for (String failure : FAILURES) sb.append("  ").append(failure).append('\n');
        sb.append("\nPromQL conformance (passed/failed/skipped):\n");
        for (Map.Entry<String, int[]> e : COUNTS.entrySet()) {
            int[] c = e.getValue();
            sb.append(String.format("  %-28s %4d / %4d / %4d%n", e.getKey(), c[0], c[1], c[2]));
            p += c[0];
            f += c[1];
            s += c[2];
        }
        sb.append(String.format("  %-28s %4d / %4d / %4d%n", "TOTAL", p, f, s));
        sb.append("Skip reasons:\n");
        SKIP_REASONS.forEach((r, n) -> sb.append(String.format("  %4d  %s%n", n, r)));
        System.out.println(sb);
    }

    /**
     * The data loaded since the last {@code clear}. Loads are immutable snapshots so an eval sees
     * exactly the loads before it, whatever order JUnit runs the tests in.
     */
    static final class Segment {
        final Map<Labels, TreeMap<Long, Double>> data;
        final Set<Labels> histogramSeries;
        private MemStorage storage;

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
        private final MemStorage storage;
        private final TestScript.Eval ev;

        EvalRunner(Engine engine, MemStorage storage, TestScript.Eval ev) {
            this.engine = engine;
            this.storage = storage;
            this.ev = ev;
        }

        void run() {
            if (ev.isRange) runRange();
            else runInstant();
        }

        private void runRange() {
            QueryResult res;
            try {
                res = engine.rangeQuery(storage, ev.expr, ev.startMs, ev.endMs, ev.stepMs);
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
                res = parsed == null ? engine.instantQuery(storage, expr, t)
                        : engine.instantQuery(storage, parsed, ev.expr, t, CancellationToken.NONE);
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
                rr = parsed == null ? engine.rangeQuery(storage, expr, t - 60_000, t + 60_000, 60_000)
                        : engine.rangeQuery(storage, parsed, ev.expr, t - 60_000, t + 60_000, 60_000, CancellationToken.NONE);
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
