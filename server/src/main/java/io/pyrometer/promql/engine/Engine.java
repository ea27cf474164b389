package io.pyrometer.promql.engine;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.ast.DurationExprs;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.MatrixSelector;
import io.pyrometer.promql.ast.SubqueryExpr;
import io.pyrometer.promql.ast.ValueType;
import io.pyrometer.promql.engine.EvalValue.ScalarCol;
import io.pyrometer.promql.engine.EvalValue.Str;
import io.pyrometer.promql.engine.EvalValue.Vec;
import io.pyrometer.promql.parser.ParseException;
import io.pyrometer.promql.parser.Parser;
import io.pyrometer.promql.parser.ParserOptions;
import io.pyrometer.storage.Queryable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PromQL engine: Prometheus 3.x semantics over the {@code storage} interfaces.
 *
 * <pre>{@code
 * Engine engine = new Engine(EngineOptions.defaults());
 * QueryResult r = engine.instantQuery(storage, "sum by (job) (rate(http_requests_total[5m]))", nowMs);
 * QueryResult m = engine.rangeQuery(storage, "up", startMs, endMs, 15_000);
 * }</pre>
 *
 * <p>Each query reads storage through one {@link io.pyrometer.storage.Querier} opened for all its
 * selectors and closed when it ends ({@link QueryStorage}), so they all see the same commits.
 *
 * <p>Thread-safe: each query gets its own evaluator. Failures are {@link PromQLException}s whose
 * {@link PromQLException#type()} is the HTTP API's {@code errorType}.
 */
public final class Engine {
    /** Prometheus's API limit on the steps of a range query. */
    static final long MAX_POINTS_PER_SERIES = 11_000;

    private final EngineOptions opts;

    public Engine(EngineOptions opts) { this.opts = opts; }

    public EngineOptions options() { return opts; }

    /** Parses {@code query} with this engine's parser options; a syntax error is {@code BAD_DATA}. */
    public Expr parse(String query) {
        try {
            return Parser.parseExpr(query, opts.enableExperimentalFunctions() ? ParserOptions.EXPERIMENTAL : ParserOptions.DEFAULT);
        } catch (ParseException e) {
            // Prometheus checks where the range modifiers may be used while evaluating, so its
            // message has no position; keep that wording for clients matching on it.
            String text = e.errorText();
            if (text.startsWith("anchored modifier can only be used") || text.startsWith("smoothed modifier can only be used")) {
                throw PromQLException.badData(text);
            }
            throw PromQLException.badData(e.getMessage());
        }
    }

    public QueryResult instantQuery(Queryable q, String query, long timeMs) {
        return instantQuery(q, parse(query), query, timeMs, CancellationToken.NONE);
    }

    public QueryResult rangeQuery(Queryable q, String query, long startMs, long endMs, long stepMs) {
        return rangeQuery(q, parse(query), query, startMs, endMs, stepMs, CancellationToken.NONE);
    }

    /**
     * Evaluates a parsed expression at {@code timeMs}.
     *
     * @param queryText the original text, for annotation positions (may be null)
     */
    public QueryResult instantQuery(Queryable q, Expr parsed, String queryText, long timeMs, CancellationToken cancel) {
        Expr expr = resolveDurations(parsed, new DurationExprs.QueryTimes(timeMs, timeMs, 0));
        try (QueryStorage storage = QueryStorage.forQuery(q, expr, timeMs, timeMs, opts.lookbackDeltaMs())) {
            Evaluator ev = newEvaluator(storage, expr, queryText, timeMs, timeMs, 0, cancel);
            Grid g = Grid.instant(timeMs);
            Value value = switch (Evaluator.unwrap(expr)) {
                case MatrixSelector ms when expr.type() == ValueType.MATRIX -> rawMatrix(ev, ev.selectMatrix(ms, g));
                case SubqueryExpr sq when expr.type() == ValueType.MATRIX -> rawMatrix(ev, ev.evalSubquery(sq, g));
                default -> toInstantValue(ev, ev.eval(expr, g), timeMs);
            };
            return new QueryResult(value, ev.annos.warnings(), ev.annos.infos(), ev.stats());
        }
    }

    /** Evaluates a parsed expression at every step from {@code startMs} to {@code endMs}. */
    public QueryResult rangeQuery(Queryable q, Expr expr, String queryText, long startMs, long endMs, long stepMs,
                                  CancellationToken cancel) {
        if (stepMs <= 0) {
            throw PromQLException.badData("zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMs < startMs) throw PromQLException.badData("end timestamp must not be before start time");
        if ((endMs - startMs) / stepMs >= MAX_POINTS_PER_SERIES) {
            throw PromQLException.badData("exceeded maximum resolution of 11,000 points per timeseries. "
                    + "Try decreasing the query resolution (?step=XX)");
        }
        if (expr.type() != ValueType.VECTOR && expr.type() != ValueType.SCALAR) {
            throw PromQLException.badData("invalid expression type \"" + expr.type().documentedName()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        expr = resolveDurations(expr, new DurationExprs.QueryTimes(startMs, endMs, stepMs));
        try (QueryStorage storage = QueryStorage.forQuery(q, expr, startMs, endMs, opts.lookbackDeltaMs())) {
            Evaluator ev = newEvaluator(storage, expr, queryText, startMs, endMs, stepMs, cancel);
            Grid g = new Grid(startMs, endMs, stepMs);
            EvalValue v = ev.eval(expr, g);
            Value value = toMatrix(v, g);
            return new QueryResult(value, ev.annos.warnings(), ev.annos.infos(), ev.stats());
        }
    }

    /** Evaluates duration expressions that use {@code step()} or {@code range()}. */
    private static Expr resolveDurations(Expr expr, DurationExprs.QueryTimes times) {
        try {
            return DurationExprs.resolve(expr, times);
        } catch (IllegalArgumentException e) {
            throw PromQLException.badData(e.getMessage());
        }
    }

    private Evaluator newEvaluator(Queryable q, Expr expr, String text, long start, long end, long step, CancellationToken c) {
        long deadline = System.nanoTime() + opts.timeoutMs() * 1_000_000L;
        if (c.hasDeadline() && c.deadlineNanos() - deadline < 0) deadline = c.deadlineNanos();
        return new Evaluator(q, opts, text, start, end, step, deadline, c);
    }

    private Value toInstantValue(Evaluator ev, EvalValue v, long t) {
        return switch (v) {
            case ScalarCol s -> new Value.Scalar(t, s.v()[0]);
            case Str s -> new Value.StringValue(t, s.s());
            case Vec vec -> {
                List<Value.Sample> out = new ArrayList<>(vec.series().size());
                Set<Labels> seen = new HashSet<>();
                for (StepSeries s : vec.series()) {
                    if (!s.has(0)) continue;
                    Labels l = s.dropName ? Evaluator.dropMetadata(s.labels) : s.labels;
                    if (!seen.add(l)) throw PromQLException.execution("vector cannot contain metrics with the same labelset");
                    out.add(new Value.Sample(l, t, s.v[0]));
                }
                yield new Value.Vector(out);
            }
        };
    }

    private static Value rawMatrix(Evaluator ev, Evaluator.RangeArg ra) {
        List<Value.SeriesResult> out = new ArrayList<>();
        long start = ra.windowStart(0), end = ra.windowEnd()[0];
        long[] total = new long[1];
        ra.forEach((labels, dropName, tsAll, vsAll, n) -> {
            int lo = FunctionCalls.lowerBound(tsAll, n, start + 1);
            int hi = FunctionCalls.lowerBound(tsAll, n, end + 1);
            if (lo >= hi) return;
            total[0] += hi - lo;
            Labels l = dropName ? Evaluator.dropMetadata(labels) : labels;
            out.add(new Value.SeriesResult(l, java.util.Arrays.copyOfRange(tsAll, lo, hi), java.util.Arrays.copyOfRange(vsAll, lo, hi)));
        });
        long count = total[0];
        ev.checkTransient(count);
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        return new Value.Matrix(out);
    }

    /** A range result: series sorted by labels; same-named series merged after name removal. */
    private static Value toMatrix(EvalValue v, Grid g) {
        List<StepSeries> series = switch (v) {
            case ScalarCol s -> List.of(RangeEval.fromScalar(s));
            case Vec vec -> vec.series();
            case Str s -> throw PromQLException.badData("invalid expression type \"string\" for range query, must be Scalar or instant Vector");
        };
        Map<Labels, StepSeries> byLabels = new HashMap<>();
        List<StepSeries> merged = new ArrayList<>();
        for (StepSeries s : series) {
            if (s.isEmpty()) continue;
            Labels l = s.dropName ? Evaluator.dropMetadata(s.labels) : s.labels;
            StepSeries prev = byLabels.get(l);
            if (prev == null) {
                s.labels = l;
                byLabels.put(l, s);
                merged.add(s);
            } else {
                if (prev.overlaps(s)) throw PromQLException.execution("vector cannot contain metrics with the same labelset");
                prev.mergeFrom(s);
            }
        }
        merged.sort((a, b) -> a.labels.compareTo(b.labels));
        List<Value.SeriesResult> out = new ArrayList<>(merged.size());
        long[] allSteps = null; // shared by every series present at every step (read-only)
        for (StepSeries s : merged) {
            int c = s.count();
            if (c == s.steps()) {
                if (allSteps == null) {
                    allSteps = new long[c];
                    for (int i = 0; i < c; i++) allSteps[i] = g.t(i);
                }
                out.add(new Value.SeriesResult(s.labels, allSteps, s.v));
                continue;
            }
            long[] ts = new long[c];
            double[] vs = new double[c];
            int k = 0;
            for (int i = 0; i < s.steps(); i++) {
                if (s.has(i)) {
                    ts[k] = g.t(i);
                    vs[k++] = s.v[i];
                }
            }
            out.add(new Value.SeriesResult(s.labels, ts, vs));
        }
        return new Value.Matrix(out);
    }
}
