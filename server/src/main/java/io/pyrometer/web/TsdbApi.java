package io.pyrometer.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.tsdb.DB;
import io.pyrometer.tsdb.head.CardinalityStats;
import io.pyrometer.tsdb.head.Head;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code /api/v1/status/tsdb} and the admin API ({@code /api/v1/admin/tsdb/snapshot},
 * {@code delete_series}, {@code clean_tombstones}, each by POST or PUT); admin endpoints answer 503
 * {@code unavailable} unless {@code --web.enable-admin-api}, as in Prometheus.
 */
public final class TsdbApi {
    private final DB db;
    private final boolean adminEnabled;
    private final Function<String, List<LabelMatcher>> selectorParser;

    public TsdbApi(DB db, boolean adminEnabled, Function<String, List<LabelMatcher>> selectorParser) {
        this.db = db;
        this.adminEnabled = adminEnabled;
        this.selectorParser = selectorParser;
    }

    public void register(WebServer web) {
        web.json("/api/v1/status/tsdb", false, this::status);
        for (HttpMethod m : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT}) {
            web.json(m, "/api/v1/admin/tsdb/snapshot", this::snapshot);
            web.json(m, "/api/v1/admin/tsdb/delete_series", this::deleteSeries);
            web.json(m, "/api/v1/admin/tsdb/clean_tombstones", this::cleanTombstones);
        }
    }

    private void requireAdmin() {
        if (!adminEnabled) throw ApiError.unavailable("admin APIs disabled");
    }

    private byte[] status(Request req) {
        Head.HeadStats s = db.headStats();
        CardinalityStats c = s.cardinality();
        return Json.success(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("headStats");
            g.writeNumberField("numSeries", s.numSeries());
            g.writeNumberField("numLabelPairs", s.numLabelPairs());
            g.writeNumberField("chunkCount", s.numChunks());
            g.writeNumberField("minTime", s.numSeries() == 0 ? Long.MAX_VALUE : s.minTimeMs());
            g.writeNumberField("maxTime", s.numSeries() == 0 ? Long.MIN_VALUE : s.maxTimeMs());
            g.writeEndObject();
            writeStats(g, "seriesCountByMetricName", c.seriesCountByMetricName());
            writeStats(g, "labelValueCountByLabelName", c.labelValueCountByLabelName());
            writeStats(g, "memoryInBytesByLabelName", c.memoryInBytesByLabelName());
            writeStats(g, "seriesCountByLabelValuePair", c.seriesCountByLabelValuePair());
            g.writeEndObject();
        });
    }

    private static void writeStats(JsonGenerator g, String field, List<CardinalityStats.Stat> stats) throws IOException {
        g.writeArrayFieldStart(field);
        for (CardinalityStats.Stat st : stats) {
            g.writeStartObject();
            g.writeStringField("name", st.name());
            g.writeNumberField("value", st.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private byte[] snapshot(Request req) throws IOException {
        requireAdmin();
        String skip = req.param("skip_head");
        boolean skipHead = skip != null && (skip.equals("true") || skip.equals("1") || skip.equals("t") || skip.equals("T")
                || skip.equals("TRUE") || skip.equals("True"));
        if (skip != null && !skipHead && !List.of("", "false", "0", "f", "F", "FALSE", "False").contains(skip)) {
            throw ApiError.badData("unable to parse boolean 'skip_head' argument: invalid syntax \"" + skip + "\"");
        }
        Path dir = db.snapshot(db.dir().resolve("snapshots"), !skipHead);
        String name = dir.getFileName().toString();
        return Json.success(g -> {
            g.writeStartObject();
            g.writeStringField("name", name);
            g.writeEndObject();
        });
    }

    /** Rewrites blocks with tombstones ({@link DB#cleanTombstones()}); 204 No Content, or 500 naming the block that failed. */
    private byte[] cleanTombstones(Request req) throws IOException {
        requireAdmin();
        db.cleanTombstones();
        req.context().response().setStatusCode(204).end();
        return new byte[0];
    }

    private byte[] deleteSeries(Request req) throws IOException {
        requireAdmin();
        List<String> match = req.params("match[]");
        if (match.isEmpty()) throw ApiError.badData("no match[] parameter provided");
        long start = TimeParams.time(req, "start", TimeParams.MIN_TIME_MS);
        long end = TimeParams.time(req, "end", TimeParams.MAX_TIME_MS);
        List<List<LabelMatcher>> sets = new ArrayList<>();
        for (String m : match) {
            try {
                sets.add(selectorParser.apply(m));
            } catch (IllegalArgumentException e) {
                throw ApiError.badData(e.getMessage());
            }
        }
        for (List<LabelMatcher> ms : sets) db.delete(start, end, ms);
        req.context().response().setStatusCode(204).end();
        return new byte[0];
    }
}
