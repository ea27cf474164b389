package io.pyrometer.promql.engine;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.ast.Call;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.engine.EvalValue.ScalarCol;
import io.pyrometer.promql.engine.EvalValue.Vec;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link RangeFunctions} over a range-vector argument for every step. The window of each
 * step is found by two cursors moving forward through the series' samples, so a range query
 * costs one pass over the data per series, not one per step.
 */
final class RangeEval {
    private RangeEval() {}

    static Vec eval(Evaluator ev, Call c, Grid g, RangeFunctions fn) {
        List<Expr> args = c.args();
        int matrixIdx = fn == RangeFunctions.QUANTILE_OVER_TIME ? 1 : 0;
        Expr matrixArg = args.get(matrixIdx);
        double[] p0 = null, p1 = null;
        switch (fn) {
            case QUANTILE_OVER_TIME -> p0 = ev.scalarArg(args.get(0), g).v();
            case PREDICT_LINEAR -> p0 = ev.scalarArg(args.get(1), g).v();
            case DOUBLE_EXPONENTIAL_SMOOTHING -> {
                p0 = ev.scalarArg(args.get(1), g).v();
                p1 = ev.scalarArg(args.get(2), g).v();
            }
            default -> { }
        }
        Evaluator.RangeArg ra = ev.rangeArg(matrixArg, g);
        Run run = new Run(ev, fn, ra, g, p0, p1, args.get(0), matrixArg);
        ra.forEach(run);
        long peakWindow = 0;
        for (long x : run.windowSamples) peakWindow = Math.max(peakWindow, x);
        ev.checkTransient(peakWindow);
        Vec v = new Vec(run.out);
        if (!ev.opts.enableDelayedNameRemoval()) Aggregations.failOnDuplicateLabels(v);
        return v;
    }

    /** One function application over every series of a range argument. */
    private static final class Run implements Evaluator.RawConsumer {
        final Evaluator ev;
        final RangeFunctions fn;
        final Evaluator.RangeArg ra;
        final Grid g;
        final double[] p0, p1;
        final Expr paramArg, matrixArg;
        final long[] windowSamples;
        final RangeFunctions.Window w = new RangeFunctions.Window();
        final boolean keepName, counterCheck;
        final List<StepSeries> out = new ArrayList<>();
        boolean quantileWarned;
        String lastCheckedName;

        Run(Evaluator ev, RangeFunctions fn, Evaluator.RangeArg ra, Grid g, double[] p0, double[] p1, Expr paramArg, Expr matrixArg) {
            this.ev = ev;
            this.fn = fn;
            this.ra = ra;
            this.g = g;
            this.p0 = p0;
            this.p1 = p1;
            this.paramArg = paramArg;
            this.matrixArg = matrixArg;
            this.windowSamples = new long[g.steps()];
            w.rangeMs = ra.rangeMs();
            w.anchored = ra.anchored;
            w.smoothed = ra.smoothed;
            keepName = fn == RangeFunctions.LAST_OVER_TIME || fn == RangeFunctions.FIRST_OVER_TIME;
            counterCheck = fn == RangeFunctions.RATE || fn == RangeFunctions.INCREASE;
        }

        @Override
        public void accept(Labels labels, boolean dropName, long[] ts, double[] vs, int count) {
            ev.check("range function evaluation");
            int n = g.steps();
            StepSeries s = new StepSeries(labels, n);
            s.dropName = dropName;
            w.ts = ts;
            w.vs = vs;
            if (counterCheck) w.resetsUpTo = countResets(vs, count, w.resetsUpTo);
            int lo = 0, hi = 0;
            long prevEnd = Long.MIN_VALUE;
            long[] ends = ra.windowEnd();
            long range = ra.rangeMs();
            for (int i = 0; i < n; i++) {
                long end = ends[i], start = end - range;
                if (end < prevEnd) {
                    lo = 0;
                    hi = 0;
                }
                prevEnd = end;
                long loadEnd = end + ra.extendAfterMs, loadStart = start - ra.extendBeforeMs;
                while (hi < count && ts[hi] <= loadEnd) hi++;
                if (lo > hi) lo = hi;
                while (lo < hi && ts[lo] <= loadStart) lo++;
                if (lo == hi) continue;
                windowSamples[i] += hi - lo;
                w.lo = lo;
                w.hi = hi;
                w.rangeStart = start;
                w.rangeEnd = end;
                w.stepT = g.t(i);
                if (p0 != null) w.p0 = p0[i];
                if (p1 != null) w.p1 = p1[i];
                if (fn == RangeFunctions.QUANTILE_OVER_TIME && !quantileWarned && (Double.isNaN(w.p0) || w.p0 < 0 || w.p0 > 1)) {
                    ev.annos.invalidQuantile(w.p0, paramArg.pos());
                    quantileWarned = true;
                }
                if (fn == RangeFunctions.DOUBLE_EXPONENTIAL_SMOOTHING) validateSmoothing(w.p0, w.p1);
                double r = fn.apply(w);
                if (!RangeFunctions.isNone(r)) s.set(i, r);
            }
            if (s.isEmpty()) return;
            if (!keepName) ev.dropName(s);
            if (counterCheck && !labels.metricName().equals(lastCheckedName)) {
                String name = labels.metricName();
                lastCheckedName = name; // annotations are deduplicated anyway; skip re-formatting
                if (!name.isEmpty() && !name.endsWith("_total") && !name.endsWith("_sum") && !name.endsWith("_count")
                        && !name.endsWith("_bucket")) {
                    ev.annos.possibleNonCounter(name, matrixArg.pos());
                }
            }
            out.add(s);
            ev.addSamples(s.count());
        }
    }

    /** Prefix counts of counter resets, into {@code reuse} when it is big enough. */
    private static int[] countResets(double[] vs, int n, int[] reuse) {
        int[] out = reuse != null && reuse.length >= n ? reuse : new int[Math.max(n, 64)];
        int c = 0;
        if (n > 0) out[0] = 0;
        for (int i = 1; i < n; i++) {
            if (vs[i] < vs[i - 1]) c++;
            out[i] = c;
        }
        return out;
    }

    private static void validateSmoothing(double sf, double tf) {
        if (sf <= 0 || sf >= 1 || Double.isNaN(sf)) {
            throw PromQLException.execution(String.format("invalid smoothing factor. Expected: 0 < sf < 1, got: %f", sf));
        }
        if (tf <= 0 || tf >= 1 || Double.isNaN(tf)) {
            throw PromQLException.execution(String.format("invalid trend factor. Expected: 0 < tf < 1, got: %f", tf));
        }
    }

    /** {@code absent_over_time}: 1 at the steps where no series has a sample in the window. */
    static Vec absentOverTime(Evaluator ev, Call c, Grid g) {
        Evaluator.RangeArg ra = ev.rangeArg(c.args().get(0), g);
        int n = g.steps();
        StepSeries out = new StepSeries(FunctionCalls.absentLabels(c.args().get(0)), n);
        boolean[] covered = new boolean[n];
        ra.forEach((labels, dropName, ts, vs, count) -> {
            for (int i = 0; i < n; i++) {
                long end = ra.windowEnd()[i], start = end - ra.rangeMs();
                int lo = FunctionCalls.lowerBound(ts, count, start + 1);
                if (lo < count && ts[lo] <= end) covered[i] = true;
            }
        });
        for (int i = 0; i < n; i++) if (!covered[i]) out.set(i, 1);
        List<StepSeries> l = new ArrayList<>(1);
        if (!out.isEmpty()) {
            l.add(out);
            ev.addSamples(out.count());
        }
        return new Vec(l);
    }

    /** A scalar column as a one-series vector with empty labels (for subqueries over scalars). */
    static StepSeries fromScalar(ScalarCol s) {
        StepSeries out = new StepSeries(Labels.EMPTY, s.v().length);
        for (int i = 0; i < s.v().length; i++) out.set(i, s.v()[i]);
        return out;
    }
}
