package io.pyrometer.promql.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.engine.Value;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compares a query result with an eval's expectations, as Prometheus's {@code evalCmd.compareResult}. */
final class ResultComparator {
    private ResultComparator() {}

    static void compare(TestScript.Eval ev, Value result, long stepMs) {
        compare(ev, result, stepMs, "query " + ev.expr);
    }

    static void compare(TestScript.Eval ev, Value result, long stepMs, String what) {
        try {
            compareOrThrow(ev, result);
        } catch (AssertionError e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
        }
    }

    private static void compareOrThrow(TestScript.Eval ev, Value result) {
        Map<Labels, TestScript.ExpectedSeries> expected = PromqlConformanceTest.expectedByLabels(ev);
        switch (result) {
            case Value.Matrix m -> compareMatrix(ev, m, expected);
            case Value.Vector v -> compareVector(ev, v, expected);
            case Value.Scalar s -> {
                if (ev.expectedScalar == null) fail("expected vector or matrix result, but got scalar " + s.v());
                if (!PromqlConformanceTest.almostEqual(ev.expectedScalar, s.v())) {
                    fail("expected scalar " + ev.expectedScalar + " but got " + s.v());
                }
            }
            case Value.StringValue s -> {
                if (!s.v().equals(ev.expectedString)) fail("expected string \"" + ev.expectedString + "\" but got \"" + s.v() + "\"");
            }
        }
    }

    private static void compareMatrix(TestScript.Eval ev, Value.Matrix m, Map<Labels, TestScript.ExpectedSeries> expected) {
        if (ev.isOrdered()) fail("expected ordered result, but query returned a matrix");
        if (ev.expectedScalar != null) fail("expected scalar result, but got matrix " + m.series());
        assertSorted(m);
        Set<Labels> seen = new HashSet<>();
        for (Value.SeriesResult s : m.series()) {
            TestScript.ExpectedSeries exp = expected.get(s.labels());
            if (exp == null) fail("unexpected metric " + s.labels() + " in result, has " + s);
            seen.add(s.labels());
            List<SeriesDesc.Item> items = exp.desc().items();
            int n = 0;
            long[] ts = new long[items.size()];
            double[] vs = new double[items.size()];
            for (int i = 0; i < items.size(); i++) {
                long t = ev.startMs + i * ev.stepMs;
                if (t > ev.endMs) fail("expected " + items.size() + " points for " + s.labels() + ", but query time range cannot return this many points");
                if (!items.get(i).omitted()) {
                    ts[n] = t;
                    vs[n++] = items.get(i).value();
                }
            }
            if (n != s.ts().length) fail("expected " + n + " float points for " + s.labels() + ", but got " + s);
            for (int i = 0; i < n; i++) {
                if (ts[i] != s.ts()[i]) fail("expected float value at index " + i + " for " + s.labels() + " to have timestamp " + ts[i] + ", but it had " + s.ts()[i] + " (result has " + s + ")");
                if (!PromqlConformanceTest.almostEqual(s.vs()[i], vs[i])) fail("expected float value at index " + i + " (t=" + ts[i] + ") for " + s.labels() + " to be " + vs[i] + ", but got " + s.vs()[i] + " (result has " + s + ")");
            }
        }
        for (Labels l : expected.keySet()) if (!seen.contains(l)) fail("expected metric " + l + " not found");
    }

    private static void compareVector(TestScript.Eval ev, Value.Vector v, Map<Labels, TestScript.ExpectedSeries> expected) {
        if (ev.expectedScalar != null) fail("expected scalar result, but got vector " + v.samples());
        Set<Labels> seen = new HashSet<>();
        for (int pos = 0; pos < v.samples().size(); pos++) {
            Value.Sample s = v.samples().get(pos);
            TestScript.ExpectedSeries exp = expected.get(s.labels());
            if (exp == null) fail("unexpected metric " + s.labels() + " in result, has value " + s.v());
            if (ev.isOrdered() && exp.pos() != pos + 1) fail("expected metric " + s.labels() + " at position " + exp.pos() + " but was at " + (pos + 1));
            SeriesDesc.Item e0 = exp.desc().items().getFirst();
            if (!PromqlConformanceTest.almostEqual(e0.value(), s.v())) fail("expected " + e0.value() + " for " + s.labels() + " but got " + s.v());
            if (!seen.add(s.labels())) fail("duplicate metric " + s.labels() + " in result");
        }
        for (Labels l : expected.keySet()) if (!seen.contains(l)) fail("expected metric " + l + " not found in " + v.samples());
    }

    static void assertSorted(Value.Matrix m) {
        List<Value.SeriesResult> s = m.series();
        for (int i = 0; i + 1 < s.size(); i++) {
            if (s.get(i).labels().compareTo(s.get(i + 1).labels()) > 0) {
                fail("matrix results should always be sorted by labels, but " + s.get(i + 1).labels() + " sorts before " + s.get(i).labels());
            }
        }
    }
}
