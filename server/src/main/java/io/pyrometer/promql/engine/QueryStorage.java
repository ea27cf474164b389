package io.pyrometer.promql.engine;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.promql.ast.AggregateExpr;
import io.pyrometer.promql.ast.AtModifier;
import io.pyrometer.promql.ast.BinaryExpr;
import io.pyrometer.promql.ast.Call;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.MatrixSelector;
import io.pyrometer.promql.ast.ParenExpr;
import io.pyrometer.promql.ast.StepInvariantExpr;
import io.pyrometer.promql.ast.SubqueryExpr;
import io.pyrometer.promql.ast.UnaryExpr;
import io.pyrometer.promql.ast.VectorSelector;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.Queryable;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.SeriesSet;
import java.util.List;

/**
 * The storage one query reads: a single {@link Querier} covering every selector's time range,
 * opened at the first selector and closed when the query ends, so every selector of the query sees
 * the same set of commits (one isolation state), as Prometheus's engine does ({@code
 * promql/engine.go}: {@code FindMinMaxTimes}, then one {@code q.Querier(mint, maxt)} for the whole
 * query and {@code populateSeries} for each selector).
 *
 * <p>Each selector still passes its own range in {@link SelectHints}; storage narrows its reads to
 * it. The range computed here is the union of the selectors' ranges as the evaluator computes them
 * (1 ms wider at the start of each): a wider querier costs only the blocks it opens, a narrower one
 * would force a second querier. Should a selector still ask for a range outside it (a bug in {@link #rangeOf}),
 * it is read through its own querier and counted in {@link #extraQueriers}, which the engine's
 * tests assert stays zero.
 *
 * <p>Not thread-safe: one instance per query, like the evaluator.
 */
final class QueryStorage implements Queryable, AutoCloseable {
    private final Queryable storage;
    private final long mint;
    private final long maxt;
    private Querier shared;
    private int extraQueriers;

    QueryStorage(Queryable storage, long mint, long maxt) {
        this.storage = storage;
        this.mint = mint;
        this.maxt = maxt;
    }

    /** The storage a query of {@code expr} over {@code [startMs, endMs]} reads. */
    static QueryStorage forQuery(Queryable storage, Expr expr, long startMs, long endMs, long lookbackMs) {
        long[] r = {Long.MAX_VALUE, Long.MIN_VALUE};
        rangeOf(expr, startMs, endMs, startMs, endMs, lookbackMs, false, r);
        return new QueryStorage(storage, r[0], r[1]);
    }

    /**
     * Widens {@code acc} ({mint, maxt}) by the samples the selectors under {@code e} may read when
     * {@code e} is evaluated at times in {@code [lo, hi]}; {@code qStart}/{@code qEnd} resolve
     * {@code @ start()} and {@code @ end()}.
     */
    static void rangeOf(Expr e, long lo, long hi, long qStart, long qEnd, long lookbackMs, boolean info, long[] acc) {
        switch (e) {
            case VectorSelector vs -> widen(vs, lo, hi, lookbackMs, vs.smoothed() ? lookbackMs : 0, qStart, qEnd, lookbackMs, info, acc);
            case MatrixSelector ms -> widen(ms.vs(), lo, hi, ms.rangeMs() + (ms.anchored() || ms.smoothed() ? lookbackMs : 0),
                    ms.smoothed() ? lookbackMs : 0, qStart, qEnd, lookbackMs, info, acc);
            case SubqueryExpr sq -> {
                long a = sub(at(sq.at(), lo, qStart, qEnd), sq.offsetMs());
                long b = sub(at(sq.at(), hi, qStart, qEnd), sq.offsetMs());
                rangeOf(sq.expr(), sub(Math.min(a, b), sq.rangeMs()), Math.max(a, b), qStart, qEnd, lookbackMs, info, acc);
            }
            case ParenExpr p -> rangeOf(p.expr(), lo, hi, qStart, qEnd, lookbackMs, info, acc);
            case StepInvariantExpr s -> rangeOf(s.expr(), lo, hi, qStart, qEnd, lookbackMs, info, acc);
            case UnaryExpr u -> rangeOf(u.expr(), lo, hi, qStart, qEnd, lookbackMs, info, acc);
            case AggregateExpr a -> {
                rangeOf(a.expr(), lo, hi, qStart, qEnd, lookbackMs, info, acc);
                if (a.param() != null) rangeOf(a.param(), lo, hi, qStart, qEnd, lookbackMs, info, acc);
            }
            case BinaryExpr b -> {
                rangeOf(b.lhs(), lo, hi, qStart, qEnd, lookbackMs, info, acc);
                rangeOf(b.rhs(), lo, hi, qStart, qEnd, lookbackMs, info, acc);
            }
            case Call c -> {
                // info() looks its info series up one lookback back from its first argument's selector
                boolean lookup = info || c.func().name().equals("info");
                for (Expr arg : c.args()) rangeOf(arg, lo, hi, qStart, qEnd, lookbackMs, lookup, acc);
            }
            default -> { } // literals, durations: no storage
        }
    }

    private static long at(AtModifier at, long t, long qStart, long qEnd) {
        if (at == null) return t;
        return switch (at.kind()) {
            case START -> qStart;
            case END -> qEnd;
            case TIMESTAMP -> at.timestampMs();
        };
    }

    /**
     * A selector evaluated at reference times {@code t} in {@code [lo, hi]} (before {@code @} and
     * {@code offset}) reads {@code [t - before, t + after]}: {@code before} is the lookback of an
     * instant selector or the range of a matrix selector (plus a lookback for {@code anchored} and
     * {@code smoothed}), {@code after} a lookback for {@code smoothed}. Under {@code info()} the
     * info series are read at the same times over one lookback. As the evaluator's selectors.
     */
    private static void widen(VectorSelector vs, long lo, long hi, long before, long after, long qStart, long qEnd,
                              long lookbackMs, boolean info, long[] acc) {
        long a = sub(at(vs.at(), lo, qStart, qEnd), vs.offsetMs());
        long b = sub(at(vs.at(), hi, qStart, qEnd), vs.offsetMs());
        long from = sub(Math.min(a, b), info ? Math.max(before, lookbackMs) : before);
        long to = sub(Math.max(a, b), -after);
        acc[0] = Math.min(acc[0], from);
        acc[1] = Math.max(acc[1], to);
    }

    /** {@code a - b}, saturating at the ends of {@code long} ({@code @} timestamps can be extreme). */
    private static long sub(long a, long b) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        return r;
    }

    @Override
    public Querier querier(long minTimeMs, long maxTimeMs) {
        if (minTimeMs < mint || maxTimeMs > maxt) {
            extraQueriers++;
            return storage.querier(minTimeMs, maxTimeMs);
        }
        if (shared == null) shared = storage.querier(mint, maxt);
        return view;
    }

    /** Selectors that were read through a querier of their own (0 unless {@link #rangeOf} is wrong). */
    int extraQueriers() { return extraQueriers; }

    /** Whether the shared querier was opened (a query without selectors opens none). */
    boolean opened() { return shared != null; }

    long minTimeMs() { return mint; }

    long maxTimeMs() { return maxt; }

    /** The shared querier as each selector sees it: closing it is left to the query. */
    private final Querier view = new Querier() {
        @Override
        public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
            return shared.select(sortSeries, hints, matchers);
        }

        @Override
        public List<String> labelValues(String name, List<LabelMatcher> matchers) { return shared.labelValues(name, matchers); }

        @Override
        public List<String> labelNames(List<LabelMatcher> matchers) { return shared.labelNames(matchers); }

        @Override
        public void close() { }
    };

    @Override
    public void close() {
        if (shared != null) {
            Querier q = shared;
            shared = null;
            q.close();
        }
    }
}
