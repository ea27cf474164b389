package io.pyrometer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Prints API results as {@code promtool query} does: {@code -o promql} is Go's
 * {@code common/model} {@code String()} of the value ({@code name{a="b"} => 1 @[1700000000]}),
 * {@code -o json} is Go's {@code json.Encoder} output of the same value.
 */
final class ToolQueryPrinter {
    private final boolean json;
    private final PrintStream out;

    ToolQueryPrinter(String format, PrintStream out) {
        this.json = format.equals("json");
        this.out = out;
    }

    /** {@code data} of a query or query_range response: {@code {"resultType": ..., "result": ...}}. */
    void printValue(JsonNode data) {
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        StringBuilder sb = new StringBuilder();
        switch (type) {
            case "vector" -> vector(sb, result);
            case "matrix" -> matrix(sb, result);
            case "scalar" -> sb.append(json ? pairJson(result) : "scalar: " + pair(result));
            case "string" -> sb.append(json ? stringJson(result) : result.path(1).asText());
            default -> sb.append(json ? "null" : "<nil>");
        }
        out.println(sb);
    }

    /** A series response: one label set per line. */
    void printSeries(JsonNode data) {
        if (json) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < data.size(); i++) {
                if (i > 0) sb.append(',');
                metricJson(sb, data.get(i));
            }
            out.println(sb.append(']'));
            return;
        }
        for (JsonNode ls : data) out.println(labelSet(ls));
    }

    /** A label values response: one value per line. */
    void printLabelValues(JsonNode data) {
        if (json) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < data.size(); i++) {
                if (i > 0) sb.append(',');
                goJsonString(sb, data.get(i).asText());
            }
            out.println(sb.append(']'));
            return;
        }
        for (JsonNode v : data) out.println(v.asText());
    }

    private void vector(StringBuilder sb, JsonNode result) {
        if (json) sb.append('[');
        for (int i = 0; i < result.size(); i++) {
            JsonNode s = result.get(i);
            if (json) {
                if (i > 0) sb.append(',');
                sb.append("{\"metric\":");
                metricJson(sb, s.path("metric"));
                sb.append(s.has("histogram") ? ",\"histogram\":" + s.path("histogram") : ",\"value\":" + pairJson(s.path("value"))).append('}');
            } else {
                if (i > 0) sb.append('\n');
                sb.append(metric(s.path("metric"))).append(" => ");
                sb.append(s.has("histogram") ? histogram(s.path("histogram")) : pair(s.path("value")));
            }
        }
        if (json) sb.append(']');
    }

    private void matrix(StringBuilder sb, JsonNode result) {
        List<JsonNode> streams = new ArrayList<>();
        result.forEach(streams::add);
        if (json) {
            sb.append('[');
            for (int i = 0; i < streams.size(); i++) {
                JsonNode s = streams.get(i);
                if (i > 0) sb.append(',');
                sb.append("{\"metric\":");
                metricJson(sb, s.path("metric"));
                if (s.has("values") || !s.has("histograms")) {
                    sb.append(",\"values\":[");
                    JsonNode vs = s.path("values");
                    for (int j = 0; j < vs.size(); j++) sb.append(j > 0 ? "," : "").append(pairJson(vs.get(j)));
                    sb.append(']');
                }
                if (s.has("histograms")) sb.append(",\"histograms\":").append(s.path("histograms"));
                sb.append('}');
            }
            sb.append(']');
            return;
        }
        streams.sort((a, b) -> before(a.path("metric"), b.path("metric")) ? -1 : before(b.path("metric"), a.path("metric")) ? 1 : 0);
        for (int i = 0; i < streams.size(); i++) {
            JsonNode s = streams.get(i);
            if (i > 0) sb.append('\n');
            sb.append(metric(s.path("metric"))).append(" =>");
            for (JsonNode p : s.path("values")) sb.append('\n').append(pair(p));
            for (JsonNode h : s.path("histograms")) sb.append('\n').append(histogram(h.path(1))).append(" @[").append(h.path(0).asText()).append(']');
        }
    }

    /** {@code model.SamplePair.String()}: {@code value @[seconds]}. */
    private static String pair(JsonNode p) {
        return value(p.path(1).asText()) + " @[" + time(p.path(0)) + "]";
    }

    private static String pairJson(JsonNode p) {
        StringBuilder sb = new StringBuilder("[").append(time(p.path(0))).append(',');
        goJsonString(sb, value(p.path(1).asText()));
        return sb.append(']').toString();
    }

    private static String stringJson(JsonNode p) {
        StringBuilder sb = new StringBuilder("[").append(time(p.path(0))).append(',');
        goJsonString(sb, p.path(1).asText());
        return sb.append(']').toString();
    }

    /** The API's value string re-read as a float and printed as Go's 'f' format, like model.SampleValue. */
    private static String value(String s) {
        double v = switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
        return ToolFormat.goF(v);
    }

    private static String time(JsonNode t) {
        return ToolFormat.seconds(Math.round(t.asDouble() * 1000));
    }

    private static String histogram(JsonNode h) {
        StringBuilder sb = new StringBuilder("Count: ").append(h.path("count").asText()).append(", Sum: ").append(h.path("sum").asText())
                .append(", Buckets: [");
        JsonNode bs = h.path("buckets");
        for (int i = 0; i < bs.size(); i++) {
            JsonNode b = bs.get(i);
            if (i > 0) sb.append(',');
            int boundaries = b.path(0).asInt();
            sb.append(boundaries == 1 || boundaries == 3 ? '(' : '[').append(b.path(1).asText()).append(',').append(b.path(2).asText())
                    .append(boundaries == 0 || boundaries == 3 ? ')' : ']').append(':').append(b.path(3).asText());
        }
        return sb.append(']').toString();
    }

    /** {@code model.Metric.String()}: {@code name{a="1", b="2"}}, {@code name}, or {@code {}}. */
    static String metric(JsonNode m) {
        String name = m.has("__name__") ? m.path("__name__").asText() : "";
        List<String> pairs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getKey().equals("__name__")) pairs.add(quotedPair(e.getKey(), e.getValue().asText()));
        }
        if (pairs.isEmpty()) return m.has("__name__") ? name : "{}";
        pairs.sort(null);
        return name + "{" + String.join(", ", pairs) + "}";
    }

    /** {@code model.LabelSet.String()}: every pair, sorted, {@code {__name__="x", a="1"}}. */
    static String labelSet(JsonNode m) {
        List<String> pairs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            var e = it.next();
            pairs.add(quotedPair(e.getKey(), e.getValue().asText()));
        }
        pairs.sort(null);
        return "{" + String.join(", ", pairs) + "}";
    }

    private static String quotedPair(String name, String value) {
        StringBuilder sb = new StringBuilder(name).append('=');
        io.pyrometer.model.Labels.appendQuoted(sb, value);
        return sb.toString();
    }

    /** {@code model.LabelSet.Before}: fewer labels first, then by values over the sorted union of names. */
    static boolean before(JsonNode a, JsonNode b) {
        if (a.size() != b.size()) return a.size() < b.size();
        TreeSet<String> names = new TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            if (!a.has(n)) return true;
            if (!b.has(n)) return false;
            int c = a.path(n).asText().compareTo(b.path(n).asText());
            if (c != 0) return c < 0;
        }
        return false;
    }

    /** Go encodes a map with its keys sorted. */
    private static void metricJson(StringBuilder sb, JsonNode m) {
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            var e = it.next();
            sorted.put(e.getKey(), e.getValue().asText());
        }
        sb.append('{');
        boolean first = true;
        for (var e : sorted.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            goJsonString(sb, e.getKey());
            sb.append(':');
            goJsonString(sb, e.getValue());
        }
        sb.append('}');
    }

    /** A JSON string as Go's encoder writes it, HTML-safe: {@code < > &} and U+2028/9 as {@code \\u} escapes. */
    static void goJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
