package io.pyrometer.promql.engine;

import io.pyrometer.model.Labels;
import io.pyrometer.model.Values;
import io.pyrometer.promql.ast.AggregateExpr;
import io.pyrometer.promql.ast.AtModifier;
import io.pyrometer.promql.ast.BinaryExpr;
import io.pyrometer.promql.ast.Call;
import io.pyrometer.promql.ast.DurationExpr;
import io.pyrometer.promql.ast.DurationExprs;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.MatrixSelector;
import io.pyrometer.promql.ast.NumberLiteral;
import io.pyrometer.promql.ast.ParenExpr;
import io.pyrometer.promql.ast.PosRange;
import io.pyrometer.promql.ast.StepInvariantExpr;
import io.pyrometer.promql.ast.StringLiteral;
import io.pyrometer.promql.ast.SubqueryExpr;
import io.pyrometer.promql.ast.UnaryExpr;
import io.pyrometer.promql.ast.VectorSelector;
import io.pyrometer.promql.engine.EvalValue.RawSeries;
import io.pyrometer.promql.engine.EvalValue.ScalarCol;
import io.pyrometer.promql.engine.EvalValue.Str;
import io.pyrometer.promql.engine.EvalValue.Vec;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.Queryable;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.Series;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Evaluates one query. Every node is evaluated over a whole {@link Grid} at once: a selector is
 * read from storage once for all steps, and each function, operator and aggregation works on
 * columns. Subtrees that do not depend on the step (an {@code @} modifier, literals) are evaluated
 * once and broadcast, as Prometheus's step-invariant optimisation does.
 *
 * <p>Not thread-safe: one instance per query.
 */
final class Evaluator {
    /** Functions whose result depends on the evaluation time even with constant arguments. */
    static final Set<String> AT_MODIFIER_UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week",
            "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");

    final Queryable queryable;
    final EngineOptions opts;
    final Annotations annos;
    final long queryStartMs;
    final long queryEndMs;
    final boolean rangeQuery;
    final long queryStepMs;
    private final long deadlineNanos;
    private final CancellationToken cancel;
    private long currentSamples;
    private long peakSamples;
    private long totalSamples;

    Evaluator(Queryable queryable, EngineOptions opts, String query, long queryStartMs, long queryEndMs,
              long queryStepMs, long deadlineNanos, CancellationToken cancel) {
        this.queryable = queryable;
        this.opts = opts;
        this.annos = new Annotations(query);
        this.queryStartMs = queryStartMs;
        this.queryEndMs = queryEndMs;
        this.rangeQuery = queryStepMs > 0;
        this.queryStepMs = queryStepMs;
        this.deadlineNanos = deadlineNanos;
        this.cancel = cancel;
    }

    QueryResult.Stats stats() { return new QueryResult.Stats(totalSamples, peakSamples); }

    // ---- limits ------------------------------------------------------------------------------

    /** Fails the query when it ran past its deadline or was cancelled. Cheap; call per series. */
    void check(String where) {
        checkNow(where);
    }

    /** {@code where} is for debugging; the message says "expression evaluation" as Prometheus's does. */
    void checkNow(String where) {
        if (cancel.isCancelled()) throw PromQLException.canceled("expression evaluation");
        if (System.nanoTime() - deadlineNanos > 0) throw PromQLException.timeout("expression evaluation");
    }

    /** Accounts {@code n} samples now held in memory; fails over {@code maxSamples}. */
    void addSamples(long n) {
        currentSamples += n;
        totalSamples += n;
        if (currentSamples > opts.maxSamples()) throw PromQLException.tooManySamples();
        if (currentSamples > peakSamples) peakSamples = currentSamples;
    }

    void checkTransient(long n) {
        if (currentSamples + n > opts.maxSamples()) throw PromQLException.tooManySamples();
        if (currentSamples + n > peakSamples) peakSamples = currentSamples + n;
    }

    void releaseSamples(long n) { currentSamples -= n; }

    void release(EvalValue v) {
        if (v instanceof Vec vec) {
            long n = 0;
            for (StepSeries s : vec.series()) n += s.count();
            releaseSamples(n);
        }
    }

    long countOf(Vec v) {
        long n = 0;
        for (StepSeries s : v.series()) n += s.count();
        return n;
    }

    // ---- names -------------------------------------------------------------------------------

    /** Marks the metric name for removal (delayed, Prometheus 3) or removes it now. */
    void dropName(StepSeries s) {
        if (opts.enableDelayedNameRemoval()) s.dropName = true;
        else s.labels = dropMetadata(s.labels);
    }

    /**
     * The labels without {@code __name__}, {@code __type__} and {@code __unit__}: what Prometheus
     * removes when an operation changes a metric's meaning ({@code DropReserved(IsMetadataLabel)}).
     */
    static Labels dropMetadata(Labels l) {
        if (!l.has(Labels.METRIC_NAME) && !l.has("__type__") && !l.has("__unit__")) return l;
        return l.without(Labels.METRIC_NAME, "__type__", "__unit__");
    }

    // ---- dispatch ----------------------------------------------------------------------------

    EvalValue eval(Expr e, Grid g) {
        check("evaluation");
        if (g.steps() > 1 && !(e instanceof NumberLiteral || e instanceof StringLiteral) && isStepInvariant(e)) {
            EvalValue one = evalNode(e, Grid.instant(g.startMs()));
            return broadcast(one, g.steps());
        }
        return evalNode(e, g);
    }

    private EvalValue evalNode(Expr e, Grid g) {
        return switch (e) {
            case NumberLiteral n -> fill(n.value(), g.steps());
            case StringLiteral s -> new Str(s.value());
            case ParenExpr p -> eval(p.expr(), g);
            case StepInvariantExpr s -> eval(s.expr(), g);
            case DurationExpr d -> fill(durationSeconds(d), g.steps());
            case UnaryExpr u -> evalUnary(u, g);
            case VectorSelector vs -> selectVector(vs, g, false);
            case MatrixSelector ms -> throw PromQLException.execution("unexpected range vector " + ms + " in this position");
            case SubqueryExpr sq -> throw PromQLException.execution("unexpected subquery " + sq + " in this position");
            case Call c -> FunctionCalls.eval(this, c, g);
            case AggregateExpr a -> Aggregations.eval(this, a, g);
            case BinaryExpr b -> BinaryOps.eval(this, b, g);
        };
    }

    private double durationSeconds(DurationExpr d) {
        try {
            return DurationExprs.evalSeconds(d, new DurationExprs.QueryTimes(queryStartMs, queryEndMs, queryStepMs));
        } catch (IllegalArgumentException e) {
            throw PromQLException.badData(e.getMessage());
        }
    }

    static ScalarCol fill(double v, int steps) {
        double[] a = new double[steps];
        Arrays.fill(a, v);
        return new ScalarCol(a);
    }

    private EvalValue evalUnary(UnaryExpr u, Grid g) {
        EvalValue v = eval(u.expr(), g);
        if (u.op() != '-') return v;
        switch (v) {
            case ScalarCol s -> {
                double[] out = new double[s.v().length];
                for (int i = 0; i < out.length; i++) out[i] = -s.v()[i];
                return new ScalarCol(out);
            }
            case Vec vec -> {
                for (StepSeries s : vec.series()) {
                    for (int i = 0; i < s.v.length; i++) if (s.has(i)) s.v[i] = -s.v[i];
                    dropName(s);
                }
                return vec;
            }
            case Str s -> throw PromQLException.execution("unary minus on a string");
        }
    }

    /** Whether {@code e} evaluates to the same value at every step (Prometheus's preprocessExpr). */
    boolean isStepInvariant(Expr e) {
        return switch (e) {
            case NumberLiteral n -> true;
            case StringLiteral s -> true;
            case DurationExpr d -> !DurationExprs.dependsOnQuery(d);
            case ParenExpr p -> isStepInvariant(p.expr());
            case StepInvariantExpr s -> true;
            case UnaryExpr u -> isStepInvariant(u.expr());
            case VectorSelector vs -> vs.at() != null;
            case MatrixSelector ms -> ms.vs().at() != null;
            case SubqueryExpr sq -> sq.at() != null;
            case AggregateExpr a -> isStepInvariant(a.expr()) && (a.param() == null || isStepInvariant(a.param()));
            case BinaryExpr b -> isStepInvariant(b.lhs()) && isStepInvariant(b.rhs());
            case Call c -> {
                if (AT_MODIFIER_UNSAFE.contains(c.func().name())) yield false;
                for (Expr a : c.args()) if (!isStepInvariant(a)) yield false;
                yield true;
            }
        };
    }

    private EvalValue broadcast(EvalValue one, int steps) {
        return switch (one) {
            case ScalarCol s -> fill(s.v()[0], steps);
            case Str s -> s;
            case Vec v -> {
                List<StepSeries> out = new ArrayList<>(v.series().size());
                long n = 0;
                for (StepSeries s : v.series()) {
                    StepSeries b = new StepSeries(s.labels, steps);
                    b.dropName = s.dropName;
                    if (s.has(0)) {
                        for (int i = 0; i < steps; i++) b.set(i, s.v[0]);
                        n += steps;
                    }
                    out.add(b);
                }
                release(v);
                addSamples(n);
                yield new Vec(out);
            }
        };
    }

    // ---- selectors ---------------------------------------------------------------------------

    /** The time an {@code @} modifier pins evaluation to, or {@code stepT} when there is none. */
    long evalTime(AtModifier at, long stepT) {
        if (at == null) return stepT;
        return switch (at.kind()) {
            case START -> queryStartMs;
            case END -> queryEndMs;
            case TIMESTAMP -> at.timestampMs();
        };
    }

    /**
     * An instant-vector selector at every step: the newest sample in {@code (t - lookback, t]},
     * unless it is a staleness marker. With {@code timestamps} the value is the sample's
     * timestamp in seconds (for {@code timestamp()}).
     */
    Vec selectVector(VectorSelector vs, Grid g, boolean timestamps) {
        if (vs.smoothed() && !timestamps) return selectSmoothed(vs, g);
        int n = g.steps();
        long[] te = new long[n];
        for (int i = 0; i < n; i++) te[i] = evalTime(vs.at(), g.t(i)) - vs.offsetMs();
        return selectVectorAt(vs, te, g.stepMs(), timestamps);
    }

    /** A selector evaluated at explicit (non-decreasing) reference times, one per step. */
    Vec selectVectorAt(VectorSelector vs, long[] te, long stepMs, boolean timestamps) {
        int n = te.length;
        long lookback = opts.lookbackDeltaMs();
        long mint = min(te) - lookback + 1, maxt = max(te);
        List<StepSeries> out = new ArrayList<>();
        long count = 0;
        try (Querier q = queryable.querier(mint, maxt)) {
            SeriesSet set = q.select(false, new SelectHints(mint, maxt, stepMs, null, 0), vs.matchers());
            SampleIterator it = null;
            while (set.next()) {
                check("series selection");
                Series series = set.at();
                it = series.iterator(it);
                StepSeries s = new StepSeries(series.labels(), n);
                fillLookback(it, te, lookback, timestamps, s);
                failOnIteratorError(it);
                if (!s.isEmpty()) {
                    out.add(s);
                    count += s.count();
                    addSamples(s.count());
                }
            }
            failOnSetError(set);
        }
        return new Vec(out);
    }

    /**
     * The experimental {@code smoothed} instant selector: the value at each step is interpolated
     * between the newest sample at or before it and the oldest after it, both within the
     * lookback delta; with only an earlier sample, that sample's value.
     */
    private Vec selectSmoothed(VectorSelector vs, Grid g) {
        int n = g.steps();
        long[] te = new long[n];
        for (int i = 0; i < n; i++) te[i] = evalTime(vs.at(), g.t(i)) - vs.offsetMs();
        long lookback = opts.lookbackDeltaMs();
        long mint = min(te) - lookback + 1, maxt = max(te) + lookback;
        List<StepSeries> out = new ArrayList<>();
        try (Querier q = queryable.querier(mint, maxt)) {
            SeriesSet set = q.select(false, new SelectHints(mint, maxt, g.stepMs(), null, 0), vs.matchers());
            SampleIterator it = null;
            while (set.next()) {
                check("series selection");
                Series series = set.at();
                it = series.iterator(it);
                StepSeries s = new StepSeries(series.labels(), n);
                long[] ts = new long[16];
                double[] vals = new double[16];
                int k = 0;
                for (ValueType vt = it.seek(mint); vt != ValueType.NONE && it.atT() <= maxt; vt = it.next()) {
                    if (vt != ValueType.FLOAT || Values.isStaleNaN(it.atV())) continue;
                    if (k == ts.length) {
                        ts = Arrays.copyOf(ts, k * 2);
                        vals = Arrays.copyOf(vals, k * 2);
                    }
                    ts[k] = it.atT();
                    vals[k++] = it.atV();
                }
                failOnIteratorError(it);
                for (int i = 0; i < n; i++) {
                    long t = te[i];
                    int next = FunctionCalls.lowerBound(ts, k, t + 1); // first sample after t
                    int prev = next - 1;
                    if (prev < 0 || ts[prev] <= t - lookback) continue;
                    if (ts[prev] == t || next >= k || ts[next] > t + lookback) s.set(i, vals[prev]);
                    else s.set(i, ExtendedRanges.interpolate(ts[prev], vals[prev], ts[next], vals[next], t, false));
                }
                if (!s.isEmpty()) {
                    out.add(s);
                    addSamples(s.count());
                }
            }
            failOnSetError(set);
        }
        return new Vec(out);
    }

    private static void fillLookback(SampleIterator it, long[] te, long lookback, boolean timestamps, StepSeries s) {
        boolean hasPrev = false;
        long pt = 0;
        double pv = 0;
        ValueType vt = it.next();
        long prevTe = Long.MIN_VALUE;
        for (int i = 0; i < te.length; i++) {
            long t = te[i];
            if (t < prevTe) return; // cannot happen for selectors: times only grow or stay
            prevTe = t;
            while (vt != ValueType.NONE && it.atT() <= t) {
                if (vt == ValueType.FLOAT) {
                    pt = it.atT();
                    pv = it.atV();
                    hasPrev = true;
                }
                vt = it.next();
            }
            if (hasPrev && pt > t - lookback && !Values.isStaleNaN(pv)) s.set(i, timestamps ? pt / 1000.0 : pv);
        }
    }

    /** Receives the raw samples of one series; the arrays are only valid during the call. */
    interface RawConsumer {
        void accept(Labels labels, boolean dropName, long[] ts, double[] vs, int n);
    }

    /**
     * A range-vector argument for every step: the window end per step plus the series, handed
     * out one at a time so a matrix selector never holds more than one series' samples.
     */
    abstract static class RangeArg {
        final long rangeMs;
        final long[] windowEnd;
        /**
         * Extra milliseconds loaded before each window ({@code anchored}, {@code smoothed}) and
         * after it ({@code smoothed}): the lookback delta, as Prometheus loads them.
         */
        long extendBeforeMs, extendAfterMs;
        boolean anchored, smoothed;

        RangeArg(long rangeMs, long[] windowEnd) {
            this.rangeMs = rangeMs;
            this.windowEnd = windowEnd;
        }

        long rangeMs() { return rangeMs; }

        long[] windowEnd() { return windowEnd; }

        long windowStart(int i) { return windowEnd[i] - rangeMs; }

        abstract void forEach(RawConsumer c);
    }

    static Expr unwrap(Expr e) {
        while (true) {
            if (e instanceof ParenExpr p) e = p.expr();
            else if (e instanceof StepInvariantExpr s) e = s.expr();
            else return e;
        }
    }

    RangeArg rangeArg(Expr arg, Grid g) {
        Expr e = unwrap(arg);
        return switch (e) {
            case MatrixSelector ms -> selectMatrix(ms, g);
            case SubqueryExpr sq -> evalSubquery(sq, g);
            default -> throw PromQLException.execution("expected range vector, got " + e);
        };
    }

    RangeArg selectMatrix(MatrixSelector ms, Grid g) {
        VectorSelector vs = ms.vs();
        int n = g.steps();
        long[] ends = new long[n];
        for (int i = 0; i < n; i++) ends[i] = evalTime(vs.at(), g.t(i)) - vs.offsetMs();
        long range = ms.rangeMs();
        long before = ms.anchored() || ms.smoothed() ? opts.lookbackDeltaMs() : 0;
        long after = ms.smoothed() ? opts.lookbackDeltaMs() : 0;
        long mint = min(ends) - range - before + 1, maxt = max(ends) + after;
        SelectHints hints = new SelectHints(mint, maxt, g.stepMs(), null, range);
        RangeArg arg = new RangeArg(range, ends) {
            @Override
            void forEach(RawConsumer c) {
                try (Querier q = queryable.querier(mint, maxt)) {
                    SeriesSet set = q.select(false, hints, vs.matchers());
                    SampleIterator it = null;
                    long[] ts = new long[64];
                    double[] vals = new double[64];
                    while (set.next()) {
                        check("series selection");
                        Series series = set.at();
                        it = series.iterator(it);
                        int k = 0;
                        ValueType vt = it.seek(mint);
                        while (vt != ValueType.NONE && it.atT() <= maxt) {
                            if (vt == ValueType.FLOAT) {
                                double v = it.atV();
                                if (!Values.isStaleNaN(v)) {
                                    if (k == ts.length) {
                                        ts = Arrays.copyOf(ts, k * 2);
                                        vals = Arrays.copyOf(vals, k * 2);
                                    }
                                    ts[k] = it.atT();
                                    vals[k++] = v;
                                }
                            }
                            vt = it.next();
                        }
                        failOnIteratorError(it);
                        if (k > 0) c.accept(series.labels(), false, ts, vals, k);
                    }
                    failOnSetError(set);
                }
            }
        };
        arg.extendBeforeMs = before;
        arg.extendAfterMs = after;
        arg.anchored = ms.anchored();
        arg.smoothed = ms.smoothed();
        return arg;
    }

    /** Evaluates a subquery on its own step grid, aligned as Prometheus aligns it. */
    RangeArg evalSubquery(SubqueryExpr sq, Grid g) {
        int n = g.steps();
        long[] ends = new long[n];
        for (int i = 0; i < n; i++) ends[i] = evalTime(sq.at(), g.t(i)) - sq.offsetMs();
        long step = sq.stepMs() > 0 ? sq.stepMs() : opts.noStepSubqueryIntervalMs();
        long range = sq.rangeMs();
        long start0 = min(ends) - range;
        long innerStart = step * (start0 / step);
        if (innerStart <= start0) innerStart += step;
        long innerEnd = max(ends);
        List<RawSeries> out = new ArrayList<>();
        if (innerStart <= innerEnd) {
            if ((innerEnd - innerStart) / step >= opts.maxSamples()) throw PromQLException.tooManySamples();
            Grid inner = new Grid(innerStart, innerEnd, step);
            EvalValue v = eval(sq.expr(), inner);
            switch (v) {
                case ScalarCol s -> out.add(new RawSeries(Labels.EMPTY, false, inner.steps() == 0 ? new long[0] : times(inner), s.v(), s.v().length));
                case Vec vec -> {
                    for (StepSeries s : vec.series()) out.add(toRaw(s, inner));
                    release(vec);
                }
                case Str s -> throw PromQLException.execution("subquery over a string");
            }
        }
        return new RangeArg(range, ends) {
            @Override
            void forEach(RawConsumer c) {
                for (RawSeries r : out) c.accept(r.labels(), r.dropName(), r.ts(), r.vs(), r.n());
            }
        };
    }

    private static long[] times(Grid g) {
        long[] t = new long[g.steps()];
        for (int i = 0; i < t.length; i++) t[i] = g.t(i);
        return t;
    }

    static RawSeries toRaw(StepSeries s, Grid g) {
        int c = s.count();
        long[] ts = new long[c];
        double[] vs = new double[c];
        int k = 0;
        for (int i = 0; i < s.steps(); i++) {
            if (s.has(i)) {
                ts[k] = g.t(i);
                vs[k++] = s.v[i];
            }
        }
        return new RawSeries(s.labels, s.dropName, ts, vs, c);
    }

    private static void failOnIteratorError(SampleIterator it) {
        if (it != null && it.err() != null) throw PromQLException.execution("error reading samples: " + it.err().getMessage());
    }

    private void failOnSetError(SeriesSet set) {
        if (set.err() != null) throw PromQLException.execution("error selecting series: " + set.err().getMessage());
        for (String w : set.warnings()) annos.warn(w, PosRange.NONE);
    }

    static long min(long[] a) {
        long m = Long.MAX_VALUE;
        for (long x : a) m = Math.min(m, x);
        return m;
    }

    static long max(long[] a) {
        long m = Long.MIN_VALUE;
        for (long x : a) m = Math.max(m, x);
        return m;
    }

    /** Helpers to read scalar / string arguments. */
    ScalarCol scalarArg(Expr e, Grid g) {
        EvalValue v = eval(e, g);
        if (v instanceof ScalarCol s) return s;
        throw PromQLException.execution("expected scalar argument, got " + e);
    }

    static String stringArg(Expr e) {
        Expr u = unwrap(e);
        if (u instanceof StringLiteral s) return s.value();
        throw PromQLException.execution("expected string literal, got " + e);
    }

    Vec vectorArg(Expr e, Grid g) {
        EvalValue v = eval(e, g);
        if (v instanceof Vec vec) return vec;
        throw PromQLException.execution("expected instant vector, got " + e);
    }
}
