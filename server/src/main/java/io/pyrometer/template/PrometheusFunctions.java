package io.pyrometer.template;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * Prometheus's template function library ({@code template/template.go} in prometheus/prometheus):
 * {@code query first label value strvalue args reReplaceAll safeHtml match title toUpper toLower
 * graphLink tableLink sortByLabel stripPort stripDomain humanize humanize1024 humanizeDuration
 * humanizePercentage humanizeTimestamp toTime toDuration now pathPrefix externalURL parseDuration
 * urlQueryEscape}, with Prometheus's outputs and errors.
 */
public final class PrometheusFunctions {
    private PrometheusFunctions() {}

    /** Prometheus's {@code *template.sample}: {@code .Labels} and {@code .Value}. */
    static final class Sample implements GoObject {
        final Map<String, String> labels;
        final Object value;

        Sample(Map<String, String> labels, Object value) {
            this.labels = labels;
            this.value = value;
        }

        @Override
        public Object field(String name) throws TemplateException {
            return switch (name) {
                case "Labels" -> labels;
                case "Value" -> value;
                default -> throw GoObject.noSuchField(this, name);
            };
        }

        @Override
        public String typeName() { return "*template.sample"; }

        @Override
        public String toString() { return "&{" + GoFmt.formatV(labels) + " " + GoFmt.formatV(value) + "}"; }
    }

    /** Prometheus's {@code template.queryResult} ({@code []*sample}). */
    static final class QueryResult extends ArrayList<Object> implements GoObject {
        QueryResult() { }

        QueryResult(List<Object> c) { super(c); }

        @Override
        public Object field(String name) throws TemplateException { throw GoObject.noSuchField(this, name); }

        @Override
        public String typeName() { return "template.queryResult"; }
    }

    private static final String SAMPLE = "*template.sample";
    private static final String QUERY_RESULT = "template.queryResult";

    /**
     * The functions for one expansion: {@code query} runs at {@code timestampMs} through
     * {@code queryFunc} (may be null when templates never query), {@code now} returns
     * {@code timestampMs} in seconds, {@code externalURL}/{@code pathPrefix} come from
     * {@code externalUrl} (may be null or empty).
     */
    public static Map<String, TemplateFunction> create(long timestampMs, QueryFunc queryFunc, String externalUrl) {
        Map<String, TemplateFunction> f = new HashMap<>();
        f.put("query", TypedFunction.of(a -> query((String) a.get(0), timestampMs, queryFunc), "string"));
        f.put("first", TypedFunction.of(a -> {
            List<?> v = (List<?>) a.get(0);
            if (v != null && !v.isEmpty()) return v.get(0);
            throw new TemplateException("first() called on vector with no elements");
        }, QUERY_RESULT));
        f.put("label", TypedFunction.of(a -> {
            Sample s = sample(a.get(1));
            String v = s.labels.get((String) a.get(0));
            return v == null ? "" : v;
        }, "string", SAMPLE));
        f.put("value", TypedFunction.of(a -> sample(a.get(0)).value, SAMPLE));
        f.put("strvalue", TypedFunction.of(a -> {
            String v = sample(a.get(0)).labels.get("__value__");
            return v == null ? "" : v;
        }, SAMPLE));
        f.put("args", TypedFunction.variadic(a -> {
            Values.AnyMap m = new Values.AnyMap();
            for (int i = 0; i < a.size(); i++) m.put("arg" + i, a.get(i));
            return m;
        }, "any"));
        f.put("reReplaceAll", TypedFunction.of(a -> FuncSupport.replaceAll(FuncSupport.mustCompile((String) a.get(0)),
                (String) a.get(2), (String) a.get(1)), "string", "string", "string"));
        f.put("safeHtml", TypedFunction.of(a -> a.get(0), "string"));
        f.put("match", TypedFunction.of(a -> FuncSupport.compile((String) a.get(0)).matcher((String) a.get(1)).find(), "string", "string"));
        f.put("title", TypedFunction.of(a -> FuncSupport.title((String) a.get(0), false), "string"));
        f.put("toUpper", TypedFunction.of(a -> FuncSupport.mapCase((String) a.get(0), true), "string"));
        f.put("toLower", TypedFunction.of(a -> FuncSupport.mapCase((String) a.get(0), false), "string"));
        f.put("graphLink", TypedFunction.of(a -> "/graph?g0.expr=" + Builtins.queryEscape((String) a.get(0)) + "&g0.tab=0", "string"));
        f.put("tableLink", TypedFunction.of(a -> "/graph?g0.expr=" + Builtins.queryEscape((String) a.get(0)) + "&g0.tab=1", "string"));
        f.put("sortByLabel", TypedFunction.of(a -> {
            String label = (String) a.get(0);
            List<Object> v = new ArrayList<>((List<?>) a.get(1));
            v.sort((x, y) -> GoFmt.compareGoStrings(labelOf(x, label), labelOf(y, label)));
            return new QueryResult(v);
        }, "string", QUERY_RESULT));
        f.put("stripPort", TypedFunction.of(a -> {
            String hp = (String) a.get(0);
            String[] split = FuncSupport.splitHostPort(hp);
            return split == null ? hp : split[0];
        }, "string"));
        f.put("stripDomain", TypedFunction.of(a -> stripDomain((String) a.get(0)), "string"));
        f.put("humanize", TypedFunction.of(a -> humanize(FuncSupport.convertToFloat(a.get(0))), "any"));
        f.put("humanize1024", TypedFunction.of(a -> humanize1024(FuncSupport.convertToFloat(a.get(0))), "any"));
        f.put("humanizeDuration", TypedFunction.of(a -> humanizeDuration(a.get(0)), "any"));
        f.put("humanizePercentage", TypedFunction.of(a -> FuncSupport.sprintf("%.4g%%", FuncSupport.convertToFloat(a.get(0)) * 100), "any"));
        f.put("humanizeTimestamp", TypedFunction.of(a -> humanizeTimestamp(a.get(0)), "any"));
        f.put("toTime", TypedFunction.of(a -> floatToTime(FuncSupport.convertToFloat(a.get(0))), "any"));
        f.put("toDuration", TypedFunction.of(a -> Duration.ofNanos(goFloatToInt64(FuncSupport.convertToFloat(a.get(0)) * 1e9)), "any"));
        f.put("now", TypedFunction.of(a -> timestampMs / 1000.0));
        URI url = parseUrl(externalUrl);
        f.put("pathPrefix", TypedFunction.of(a -> url == null || url.getRawPath() == null ? "" : url.getPath()));
        f.put("externalURL", TypedFunction.of(a -> externalUrl == null ? "" : externalUrl));
        f.put("parseDuration", TypedFunction.of(a -> parseDurationSeconds((String) a.get(0)), "string"));
        f.put("urlQueryEscape", TypedFunction.of(a -> Builtins.queryEscape((String) a.get(0)), "string"));
        return f;
    }

    private static URI parseUrl(String s) {
        if (s == null || s.isEmpty()) return null;
        try {
            return new URI(s);
        } catch (Exception e) {
            return null;
        }
    }

    private static Sample sample(Object o) throws TemplateException {
        if (o instanceof Sample s) return s;
        throw new TemplateException("runtime error: invalid memory address or nil pointer dereference");
    }

    private static String labelOf(Object s, String label) {
        if (s instanceof Sample x) {
            String v = x.labels.get(label);
            return v == null ? "" : v;
        }
        return "";
    }

    private static QueryResult query(String q, long timestampMs, QueryFunc queryFunc) throws TemplateException {
        if (queryFunc == null) throw new TemplateException("no query engine available to the template");
        List<QueryFunc.Sample> vector;
        try {
            vector = queryFunc.query(q, timestampMs);
        } catch (Exception e) {
            throw new TemplateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        QueryResult r = new QueryResult();
        if (vector != null) {
            for (QueryFunc.Sample s : vector) r.add(new Sample(new TreeMap<>(s.labels()), s.value()));
        }
        return r;
    }

    private static String stripDomain(String hostPort) {
        String[] split = FuncSupport.splitHostPort(hostPort);
        String host = split == null ? hostPort : split[0];
        String port = split == null ? "" : split[1];
        if (FuncSupport.isIp(host)) return hostPort;
        int dot = host.indexOf('.');
        if (dot >= 0) host = host.substring(0, dot);
        if (!port.isEmpty()) return FuncSupport.joinHostPort(host, port);
        return host;
    }

    private static final String[] BIG = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
    private static final String[] SMALL = {"m", "u", "n", "p", "f", "a", "z", "y"};
    private static final String[] BIG1024 = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};

    static String humanize(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) return FuncSupport.sprintf("%.4g", v);
        String prefix = "";
        if (Math.abs(v) >= 1) {
            for (String p : BIG) {
                if (Math.abs(v) < 1000) break;
                prefix = p;
                v /= 1000;
            }
            return FuncSupport.sprintf("%.4g%s", v, prefix);
        }
        for (String p : SMALL) {
            if (Math.abs(v) >= 1) break;
            prefix = p;
            v *= 1000;
        }
        return FuncSupport.sprintf("%.4g%s", v, prefix);
    }

    static String humanize1024(double v) {
        if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) return FuncSupport.sprintf("%.4g", v);
        String prefix = "";
        for (String p : BIG1024) {
            if (Math.abs(v) < 1024) break;
            prefix = p;
            v /= 1024;
        }
        return FuncSupport.sprintf("%.4g%s", v, prefix);
    }

    /** prometheus/common's {@code HumanizeDuration} (seconds in, {@code 1d 2h 3m 4s} out). */
    static String humanizeDuration(Object i) throws TemplateException {
        double v = FuncSupport.convertToFloat(i);
        if (Double.isNaN(v) || Double.isInfinite(v)) return FuncSupport.sprintf("%.4g", v);
        if (v == 0) return FuncSupport.sprintf("%.4gs", v);
        if (Math.abs(v) >= 1) {
            String sign = "";
            if (v < 0) {
                sign = "-";
                v = -v;
            }
            long duration = goFloatToInt64(v);
            long seconds = duration % 60;
            long minutes = (duration / 60) % 60;
            long hours = (duration / 60 / 60) % 24;
            long days = duration / 60 / 60 / 24;
            if (days != 0) return FuncSupport.sprintf("%s%dd %dh %dm %ds", sign, days, hours, minutes, seconds);
            if (hours != 0) return FuncSupport.sprintf("%s%dh %dm %ds", sign, hours, minutes, seconds);
            if (minutes != 0) return FuncSupport.sprintf("%s%dm %ds", sign, minutes, seconds);
            return FuncSupport.sprintf("%s%.4gs", sign, v);
        }
        String prefix = "";
        for (String p : SMALL) {
            if (Math.abs(v) >= 1) break;
            prefix = p;
            v *= 1000;
        }
        return FuncSupport.sprintf("%.4g%ss", v, prefix);
    }

    static String humanizeTimestamp(Object i) throws TemplateException {
        double v = FuncSupport.convertToFloat(i);
        if (Double.isNaN(v) || Double.isInfinite(v)) return FuncSupport.sprintf("%.4g", v);
        return GoTime.timeString(GoTime.utc(floatToTime(v)));
    }

    /** Prometheus's floatToTime: seconds to a UTC time, nanosecond resolution. */
    static Instant floatToTime(double v) throws TemplateException {
        if (Double.isNaN(v) || Double.isInfinite(v)) throw new TemplateException("value is NaN or Inf");
        double ts = v * 1e9;
        if (ts > 0x1p63 || ts < -0x1p63) {
            throw new TemplateException(GoFmt.formatV(v) + " cannot be represented as a nanoseconds timestamp since it overflows int64");
        }
        long nanos = goFloatToInt64(ts);
        // model.TimeFromUnixNano keeps millisecond precision (Go's integer division truncates).
        long ms = nanos / 1_000_000L;
        return Instant.ofEpochMilli(ms);
    }

    /** Go's float64 to int64 conversion (truncation; out of range saturates on amd64 to MinInt64). */
    static long goFloatToInt64(double v) {
        if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) return Long.MIN_VALUE;
        return (long) v;
    }

    private static final java.util.regex.Pattern DURATION_PART = java.util.regex.Pattern.compile("([0-9]+)([^0-9]+)");
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MS = {365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60_000L, 1000L, 1L};

    /** prometheus/common's {@code ParseDurationAllowNegative}, in seconds. */
    static double parseDurationSeconds(String s) throws TemplateException {
        boolean neg = !s.isEmpty() && s.charAt(0) == '-';
        String body = neg ? s.substring(1) : s;
        if (body.equals("0")) return 0;
        if (body.isEmpty()) throw new TemplateException("empty duration string");
        Matcher m = DURATION_PART.matcher(body);
        int pos = 0;
        int lastUnit = -1;
        long ms = 0;
        while (pos < body.length()) {
            if (!m.find(pos) || m.start() != pos) throw new TemplateException("not a valid duration string: " + GoStrconv.quote(body));
            String unit = m.group(2);
            int u = -1;
            for (int k = 0; k < UNITS.length; k++) if (UNITS[k].equals(unit)) u = k;
            if (u < 0) throw new TemplateException("unknown unit " + GoStrconv.quote(unit) + " in duration " + GoStrconv.quote(body));
            if (u <= lastUnit) throw new TemplateException("not a valid duration string: " + GoStrconv.quote(body));
            lastUnit = u;
            long v;
            try {
                v = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new TemplateException("not a valid duration string: " + GoStrconv.quote(body));
            }
            if (v > Long.MAX_VALUE / 1_000_000L / UNIT_MS[u]) throw new TemplateException("duration out of range");
            ms += v * UNIT_MS[u];
            if (ms > Long.MAX_VALUE / 1_000_000L) throw new TemplateException("duration out of range");
            pos = m.end();
        }
        double secs = ms / 1000.0;
        return neg ? -secs : secs;
    }
}
