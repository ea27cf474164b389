package io.pyrometer.web;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.Queryable;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/** {@code /api/v1/series}, {@code /api/v1/labels}, {@code /api/v1/label/<name>/values}. */
public final class SeriesApi {
    private static final String TRUNCATED = "results truncated due to limit";

    private final Queryable storage;
    private final Function<String, List<LabelMatcher>> selectorParser;

    public SeriesApi(Queryable storage, Function<String, List<LabelMatcher>> selectorParser) {
        this.storage = storage;
        this.selectorParser = selectorParser;
    }

    public void register(WebServer web) {
        web.json("/api/v1/series", true, this::series);
        web.json("/api/v1/labels", true, this::labels);
        web.json("/api/v1/label/:name/values", false, this::labelValues);
    }

    private List<List<LabelMatcher>> matchers(Request req) {
        List<List<LabelMatcher>> out = new ArrayList<>();
        for (String m : req.params("match[]")) {
            try {
                out.add(selectorParser.apply(m));
            } catch (IllegalArgumentException e) {
                throw ApiError.badData(e.getMessage());
            }
        }
        return out;
    }

    private byte[] series(Request req) {
        List<List<LabelMatcher>> sets = matchers(req);
        if (sets.isEmpty()) throw ApiError.badData("no match[] parameter provided");
        long start = TimeParams.time(req, "start", TimeParams.MIN_TIME_MS);
        long end = TimeParams.time(req, "end", TimeParams.MAX_TIME_MS);
        int limit = TimeParams.limit(req);
        TreeSet<Labels> found = new TreeSet<>();
        try (Querier q = storage.querier(start, end)) {
            for (List<LabelMatcher> ms : sets) {
                SeriesSet ss = q.select(false, SelectHints.range(start, end), ms);
                while (ss.next()) found.add(ss.at().labels());
                if (ss.err() != null) throw ApiError.execution(ss.err().getMessage());
            }
        }
        List<String> warnings = new ArrayList<>();
        List<Labels> list = new ArrayList<>(found);
        if (limit > 0 && list.size() > limit) {
            list = list.subList(0, limit);
            warnings.add(TRUNCATED);
        }
        List<Labels> result = list;
        return Json.success(g -> {
            g.writeStartArray();
            for (Labels l : result) Json.writeLabels(g, l);
            g.writeEndArray();
        }, warnings, List.of());
    }

    private byte[] labels(Request req) {
        List<List<LabelMatcher>> sets = matchers(req);
        long start = TimeParams.time(req, "start", TimeParams.MIN_TIME_MS);
        long end = TimeParams.time(req, "end", TimeParams.MAX_TIME_MS);
        TreeSet<String> names = new TreeSet<>();
        try (Querier q = storage.querier(start, end)) {
            if (sets.isEmpty()) names.addAll(q.labelNames(List.of()));
            for (List<LabelMatcher> ms : sets) names.addAll(q.labelNames(ms));
        }
        return strings(new ArrayList<>(names), TimeParams.limit(req));
    }

    private byte[] labelValues(Request req) {
        String name = req.pathParam("name");
        List<List<LabelMatcher>> sets = matchers(req);
        long start = TimeParams.time(req, "start", TimeParams.MIN_TIME_MS);
        long end = TimeParams.time(req, "end", TimeParams.MAX_TIME_MS);
        TreeSet<String> values = new TreeSet<>();
        try (Querier q = storage.querier(start, end)) {
            if (sets.isEmpty()) values.addAll(q.labelValues(name, List.of()));
            for (List<LabelMatcher> ms : sets) values.addAll(q.labelValues(name, ms));
        }
        return strings(new ArrayList<>(values), TimeParams.limit(req));
    }

    private static byte[] strings(List<String> list, int limit) {
        List<String> warnings = new ArrayList<>();
        List<String> out = list;
        if (limit > 0 && out.size() > limit) {
            out = out.subList(0, limit);
            warnings.add(TRUNCATED);
        }
        List<String> result = out;
        return Json.success(g -> {
            g.writeStartArray();
            for (String s : result) g.writeString(s);
            g.writeEndArray();
        }, warnings, List.of());
    }
}
