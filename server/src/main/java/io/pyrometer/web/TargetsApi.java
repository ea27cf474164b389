package io.pyrometer.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pyrometer.model.Durations;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.scrape.ScrapeManager;
import io.pyrometer.scrape.Target;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code /api/v1/targets}, {@code /api/v1/targets/metadata} and {@code /api/v1/metadata} in
 * Prometheus's JSON shapes.
 */
public final class TargetsApi {
    private final ScrapeManager scrape;
    private final Function<String, List<LabelMatcher>> selectorParser;

    /**
     * @param selectorParser parses a series selector such as {@code {job="node"}} (for
     *                       {@code match_target}); throws IllegalArgumentException when invalid
     */
    public TargetsApi(ScrapeManager scrape, Function<String, List<LabelMatcher>> selectorParser) {
        this.scrape = scrape;
        this.selectorParser = selectorParser;
    }

    public void register(WebServer web) {
        web.json("/api/v1/targets", false, this::targets);
        web.json("/api/v1/targets/metadata", false, this::targetMetadata);
        web.json("/api/v1/metadata", false, this::metadata);
    }

    private byte[] targets(Request req) {
        String state = req.param("state");
        if (state == null || state.isEmpty()) state = "any";
        state = state.toLowerCase(java.util.Locale.ROOT);
        if (!state.equals("any") && !state.equals("active") && !state.equals("dropped")) state = "any";
        List<String> pools = req.params("scrapePool");
        boolean active = !state.equals("dropped"), dropped = !state.equals("active");
        Map<String, List<Target>> act = scrape.activeTargets();
        Map<String, List<Labels>> drop = scrape.droppedTargets();
        Map<String, Integer> counts = scrape.droppedCounts();
        return Json.success(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("activeTargets");
            if (active) {
                for (Map.Entry<String, List<Target>> e : act.entrySet()) {
                    if (!pools.isEmpty() && !pools.contains(e.getKey())) continue;
                    for (Target t : e.getValue()) writeActive(g, t);
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("droppedTargets");
            if (dropped) {
                for (Map.Entry<String, List<Labels>> e : drop.entrySet()) {
                    if (!pools.isEmpty() && !pools.contains(e.getKey())) continue;
                    for (Labels l : e.getValue()) {
                        g.writeStartObject();
                        g.writeFieldName("discoveredLabels");
                        Json.writeLabels(g, l);
                        g.writeStringField("scrapePool", e.getKey());
                        g.writeEndObject();
                    }
                }
            }
            g.writeEndArray();
            g.writeObjectFieldStart("droppedTargetCounts");
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                if (!pools.isEmpty() && !pools.contains(e.getKey())) continue;
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void writeActive(JsonGenerator g, Target t) throws IOException {
        g.writeStartObject();
        g.writeFieldName("discoveredLabels");
        Json.writeLabels(g, t.discoveredLabels());
        g.writeFieldName("labels");
        Json.writeLabels(g, t.publicLabels());
        g.writeStringField("scrapePool", t.scrapePool());
        g.writeStringField("scrapeUrl", t.url().toString());
        g.writeStringField("globalUrl", t.url().toString());
        g.writeStringField("lastError", t.lastError());
        g.writeStringField("lastScrape", t.lastScrapeMs() == 0 ? "0001-01-01T00:00:00Z" : Instant.ofEpochMilli(t.lastScrapeMs()).toString());
        g.writeNumberField("lastScrapeDuration", t.lastScrapeDurationSeconds());
        g.writeStringField("health", t.health().json());
        g.writeStringField("scrapeInterval", Durations.format(t.intervalMs()));
        g.writeStringField("scrapeTimeout", Durations.format(t.timeoutMs()));
        g.writeEndObject();
    }

    private static int intParam(Request req, String name, int dflt) {
        String v = req.param(name);
        if (v == null || v.isEmpty()) return dflt;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiError.badData("invalid " + name + ": \"" + v + "\" is not an integer");
        }
    }

    private byte[] targetMetadata(Request req) {
        int limit = intParam(req, "limit", -1);
        String metric = req.param("metric");
        String matchTarget = req.param("match_target");
        List<LabelMatcher> matchers = List.of();
        if (matchTarget != null && !matchTarget.isEmpty()) {
            try {
                matchers = selectorParser.apply(matchTarget);
            } catch (IllegalArgumentException e) {
                throw ApiError.badData(e.getMessage());
            }
        }
        List<LabelMatcher> ms = matchers;
        List<Target> selected = new ArrayList<>();
        for (List<Target> ts : scrape.activeTargets().values()) {
            for (Target t : ts) {
                if (matchesAll(t.publicLabels(), ms)) selected.add(t);
            }
        }
        return Json.success(g -> {
            g.writeStartArray();
            int n = 0;
            outer:
            for (Target t : selected) {
                for (Map.Entry<String, Target.Metadata> e : new TreeMap<>(t.metadata()).entrySet()) {
                    if (metric != null && !metric.isEmpty() && !metric.equals(e.getKey())) continue;
                    if (limit >= 0 && n >= limit) break outer;
                    g.writeStartObject();
                    g.writeFieldName("target");
                    Json.writeLabels(g, t.publicLabels());
                    if (metric == null || metric.isEmpty()) g.writeStringField("metric", e.getKey());
                    g.writeStringField("type", e.getValue().type());
                    g.writeStringField("help", e.getValue().help());
                    g.writeStringField("unit", e.getValue().unit());
                    g.writeEndObject();
                    n++;
                }
            }
            g.writeEndArray();
        });
    }

    private static boolean matchesAll(Labels l, List<LabelMatcher> ms) {
        for (LabelMatcher m : ms) if (!m.matches(l.get(m.name()))) return false;
        return true;
    }

    private byte[] metadata(Request req) {
        int limit = intParam(req, "limit", -1);
        int perMetric = intParam(req, "limit_per_metric", -1);
        String metric = req.param("metric");
        Map<String, List<Target.Metadata>> byMetric = new TreeMap<>();
        for (List<Target> ts : scrape.activeTargets().values()) {
            for (Target t : ts) {
                for (Map.Entry<String, Target.Metadata> e : t.metadata().entrySet()) {
                    if (metric != null && !metric.isEmpty() && !metric.equals(e.getKey())) continue;
                    List<Target.Metadata> list = byMetric.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                    if (!list.contains(e.getValue())) list.add(e.getValue());
                }
            }
        }
        Map<String, List<Target.Metadata>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Target.Metadata>> e : byMetric.entrySet()) {
            if (limit >= 0 && out.size() >= limit) break;
            List<Target.Metadata> l = e.getValue();
            out.put(e.getKey(), perMetric >= 0 && l.size() > perMetric ? l.subList(0, perMetric) : l);
        }
        return Json.success(g -> {
            g.writeStartObject();
            for (Map.Entry<String, List<Target.Metadata>> e : out.entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (Target.Metadata m : e.getValue()) {
                    g.writeStartObject();
                    g.writeStringField("type", m.type());
                    g.writeStringField("help", m.help());
                    g.writeStringField("unit", m.unit());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }
}
