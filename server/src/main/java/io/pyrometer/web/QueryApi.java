package io.pyrometer.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.AstTree;
import io.pyrometer.promql.ast.Prettier;
import io.pyrometer.promql.engine.CancellationToken;
import io.pyrometer.promql.engine.Engine;
import io.pyrometer.promql.engine.PromQLException;
import io.pyrometer.promql.engine.QueryResult;
import io.pyrometer.promql.engine.Value;
import io.pyrometer.storage.Queryable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code /api/v1/query}, {@code /api/v1/query_range}, {@code /api/v1/format_query},
 * {@code /api/v1/query_exemplars}: Prometheus's parameters, JSON and errors. At most
 * {@code --query.max-concurrency} queries run at once; the others wait, and the wait counts
 * against their timeout.
 */
public final class QueryApi {
    /** Prometheus refuses range queries with more points than this per series. */
    static final long MAX_POINTS = 11_000;

    private final Engine engine;
    private final Queryable storage;
    private final Semaphore slots;

    public QueryApi(Engine engine, Queryable storage, int maxConcurrency) {
        this.engine = engine;
        this.storage = storage;
        this.slots = new Semaphore(Math.max(1, maxConcurrency), true);
    }

    /** Queries waiting for a slot now (for tests and debugging). */
    int queuedQueries() { return slots.getQueueLength(); }

    public void register(WebServer web) {
        web.json("/api/v1/query", true, this::instant);
        web.json("/api/v1/query_range", true, this::range);
        web.json("/api/v1/format_query", true, this::format);
        web.json("/api/v1/parse_query", true, this::parseQuery);
        web.json("/api/v1/query_exemplars", true, this::exemplars);
    }

    private static String query(Request req) {
        String q = req.param("query");
        return q == null ? "" : q;
    }

    /** The engine for this request: {@code lookback_delta} may replace the default. */
    private Engine engineFor(Request req) {
        String v = req.param("lookback_delta");
        long lookback = 0;
        if (v != null && !v.isEmpty()) {
            try {
                lookback = TimeParams.parseDurationMs(v);
            } catch (IllegalArgumentException ex) {
                throw ApiError.badData("error parsing lookback delta duration: " + ex.getMessage()); // Prometheus 3's extractQueryOpts
            }
        }
        return lookback > 0 ? new Engine(engine.options().withLookbackDeltaMs(lookback)) : engine;
    }

    /**
     * The request's time budget, queue wait included: {@code --query.timeout}, or the {@code timeout}
     * parameter when smaller. As in Prometheus any given value counts, so {@code 0} or a negative
     * one times the query out at once.
     */
    private long timeoutMs(Request req) {
        long max = engine.options().timeoutMs();
        String v = req.param("timeout");
        if (v == null || v.isEmpty()) return max;
        return Math.clamp(TimeParams.durationMs(req, "timeout", max), 0, max);
    }

    private Expr parse(Engine e, String q) {
        try {
            return e.parse(q);
        } catch (PromQLException ex) {
            throw ApiError.badData("invalid parameter \"query\": " + ex.getMessage());
        }
    }

    private byte[] instant(Request req) {
        long startNanos = System.nanoTime();
        Engine e = engineFor(req);
        long t = TimeParams.time(req, "time", System.currentTimeMillis());
        long timeoutMs = timeoutMs(req);
        String q = query(req);
        Expr expr = parse(e, q);
        long t0 = System.nanoTime();
        QueryResult r = run(req, startNanos, timeoutMs, cancel -> e.instantQuery(storage, expr, q, t, cancel));
        return render(req, r, t0);
    }

    private byte[] range(Request req) {
        long startNanos = System.nanoTime();
        Engine e = engineFor(req);
        // the order and wording of Prometheus 3's queryRange (web/api/v1/api.go)
        long start = TimeParams.requiredTime(req, "start");
        long end = TimeParams.requiredTime(req, "end");
        if (end < start) throw ApiError.badData("invalid parameter \"end\": end timestamp must not be before start time");
        String stepText = req.param("step");
        long step;
        try {
            step = TimeParams.parseDurationMs(stepText == null ? "" : stepText);
        } catch (IllegalArgumentException ex) {
            throw ApiError.badData("invalid parameter \"step\": " + ex.getMessage());
        }
        if (step <= 0) {
            throw ApiError.badData("invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if ((end - start) / step > MAX_POINTS) {
            throw ApiError.badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
        long timeoutMs = timeoutMs(req);
        String q = query(req);
        Expr expr = parse(e, q);
        if (expr.type() != io.pyrometer.promql.ast.ValueType.VECTOR && expr.type() != io.pyrometer.promql.ast.ValueType.SCALAR) {
            // Prometheus 3 refuses it when creating the query, as a bad "query" parameter (2.42: no prefix)
            throw ApiError.badData("invalid parameter \"query\": invalid expression type \"" + expr.type().documentedName()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        long t0 = System.nanoTime();
        QueryResult r = run(req, startNanos, timeoutMs, cancel -> e.rangeQuery(storage, expr, q, start, end, step, cancel));
        return render(req, r, t0);
    }

    private interface QueryCall {
        QueryResult call(CancellationToken cancel);
    }

    /**
     * Runs under a concurrency slot, within {@code timeoutMs} from {@code startNanos}: time spent
     * waiting for a slot is taken from what the evaluation gets, as Prometheus's one context
     * deadline does. Cancelled when the client goes away.
     */
    private QueryResult run(Request req, long startNanos, long timeoutMs, QueryCall call) {
        CancellationToken cancel = CancellationToken.withTimeout(timeoutMs - (System.nanoTime() - startNanos) / 1_000_000);
        req.context().request().connection().closeHandler(v -> cancel.cancel());
        long waitNanos = timeoutMs * 1_000_000L - (System.nanoTime() - startNanos);
        // a budget spent before queueing (timeout=0s): Prometheus's queue answers this (or, by Go's
        // random select, "query timed out in query execution"); never start evaluating
        if (waitNanos <= 0) throw ApiError.timeout("query timed out in query queue");
        boolean acquired;
        try {
            acquired = slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw ApiError.canceled("query was canceled in query queue");
        }
        if (!acquired) throw ApiError.timeout("query timed out in query queue");
        try {
            return call.call(cancel);
        } catch (PromQLException ex) {
            throw switch (ex.type()) {
                case BAD_DATA -> ApiError.badData(ex.getMessage());
                case EXECUTION -> ApiError.execution(ex.getMessage());
                case TIMEOUT -> ApiError.timeout(ex.getMessage());
                case CANCELED -> ApiError.canceled(ex.getMessage());
            };
        } finally {
            slots.release();
        }
    }

    private static byte[] render(Request req, QueryResult r, long startNanos) {
        String statsParam = req.param("stats");
        boolean stats = statsParam != null && !statsParam.isEmpty(); // any value, as Prometheus (per-step stats need a feature flag)
        double evalSeconds = (System.nanoTime() - startNanos) / 1e9;
        return Json.success(g -> {
            g.writeStartObject();
            g.writeStringField("resultType", r.value().typeName());
            g.writeFieldName("result");
            writeValue(g, r.value());
            if (stats) {
                g.writeObjectFieldStart("stats");
                g.writeObjectFieldStart("timings");
                String secs = Floats.goJson(evalSeconds); // Go's encoding/json float: 0.000209762, not 2.09762E-4
                g.writeFieldName("evalTotalTime");
                g.writeRawValue(secs);
                g.writeNumberField("resultSortTime", 0);
                g.writeNumberField("queryPreparationTime", 0);
                g.writeFieldName("innerEvalTime");
                g.writeRawValue(secs);
                g.writeNumberField("execQueueTime", 0);
                g.writeFieldName("execTotalTime");
                g.writeRawValue(secs);
                g.writeEndObject();
                g.writeObjectFieldStart("samples");
                g.writeNumberField("totalQueryableSamples", r.stats().totalSamples());
                g.writeNumberField("peakSamples", r.stats().peakSamples());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
        }, r.warnings(), r.infos());
    }

    static void writeValue(JsonGenerator g, Value v) throws IOException {
        switch (v) {
            case Value.Scalar s -> writePoint(g, s.t(), Floats.plain(s.v())); // promql.Scalar.MarshalJSON: always 'f'
            case Value.StringValue s -> writePoint(g, s.t(), s.v());
            case Value.Vector vec -> {
                g.writeStartArray();
                for (Value.Sample s : vec.samples()) {
                    g.writeStartObject();
                    g.writeFieldName("metric");
                    Json.writeLabels(g, s.labels());
                    g.writeFieldName("value");
                    writePoint(g, s.t(), Floats.format(s.v()));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            case Value.Matrix m -> {
                g.writeStartArray();
                StringBuilder ts = new StringBuilder(16);
                for (Value.SeriesResult s : m.series()) {
                    g.writeStartObject();
                    g.writeFieldName("metric");
                    Json.writeLabels(g, s.labels());
                    g.writeArrayFieldStart("values");
                    for (int i = 0; i < s.size(); i++) {
                        g.writeStartArray();
                        ts.setLength(0);
                        Floats.appendTimestamp(ts, s.ts()[i]);
                        g.writeRawValue(ts.toString());
                        g.writeString(Floats.format(s.vs()[i]));
                        g.writeEndArray();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
        }
    }

    private static void writePoint(JsonGenerator g, long t, String v) throws IOException {
        g.writeStartArray();
        g.writeRawValue(Floats.timestamp(t));
        g.writeString(v);
        g.writeEndArray();
    }

    private byte[] format(Request req) {
        Expr expr = parse(engine, query(req));
        String out = Prettier.prettify(expr);
        return Json.success(g -> g.writeString(out));
    }

    /** The syntax tree as the Prometheus UI's explain view reads it. */
    private byte[] parseQuery(Request req) {
        Object tree = AstTree.toMap(parse(engine, query(req)));
        return Json.success(g -> {
            g.setCodec(MAPPER);
            g.writeObject(tree);
        });
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Pyrometer stores no exemplars yet: a valid query gets an empty list, as from a Prometheus without any. */
    private byte[] exemplars(Request req) {
        // Prometheus 3's queryExemplars: times first, then the query, whose error has no parameter prefix
        long start = TimeParams.time(req, "start", TimeParams.MIN_TIME_MS);
        long end = TimeParams.time(req, "end", TimeParams.MAX_TIME_MS);
        if (end < start) throw ApiError.badData("end timestamp must not be before start timestamp");
        try {
            engine.parse(query(req));
        } catch (PromQLException ex) {
            throw ApiError.badData(ex.getMessage());
        }
        return Json.success(g -> {
            g.writeStartArray();
            g.writeEndArray();
        }, List.of(), List.of());
    }
}
