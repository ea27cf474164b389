package io.pyrometer.template;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's template functions ({@code DefaultFuncs} in prometheus/alertmanager
 * {@code template/template.go}): {@code toUpper toLower title trimSpace join match safeHtml
 * safeUrl urlUnescape reReplaceAll stringSlice routeLabels date tz now since humanizeDuration
 * toDate mustToDate toJson base64encode base64decode list append dict}.
 *
 * <p>Alertmanager parses its templates with {@code missingkey=zero}:
 * {@code Template.parse(name, text, AlertmanagerFunctions.create(), "missingkey=zero")}. The
 * {@code routeLabels} entry is a placeholder (as upstream's) that the router replaces per
 * execution with {@link Template#withFuncs}.
 */
public final class AlertmanagerFunctions {
    private AlertmanagerFunctions() {}

    /** A fresh, mutable function map (callers may add their own entries). */
    public static Map<String, TemplateFunction> create() {
        Map<String, TemplateFunction> f = new HashMap<>();
        f.put("toUpper", TypedFunction.of(a -> FuncSupport.mapCase((String) a.get(0), true), "string"));
        f.put("toLower", TypedFunction.of(a -> FuncSupport.mapCase((String) a.get(0), false), "string"));
        f.put("title", TypedFunction.of(a -> FuncSupport.title((String) a.get(0), true), "string"));
        f.put("trimSpace", TypedFunction.of(a -> FuncSupport.trimSpace((String) a.get(0)), "string"));
        f.put("join", TypedFunction.of(a -> {
            List<String> parts = new ArrayList<>();
            Collection<?> c = (Collection<?>) a.get(1);
            if (c != null) for (Object o : c) parts.add((String) o);
            return String.join((String) a.get(0), parts);
        }, "string", "[]string"));
        f.put("match", TypedFunction.of(a -> FuncSupport.compile((String) a.get(0)).matcher((String) a.get(1)).find(), "string", "string"));
        f.put("safeHtml", TypedFunction.of(a -> a.get(0), "string"));
        f.put("safeUrl", TypedFunction.of(a -> a.get(0), "string"));
        f.put("urlUnescape", TypedFunction.of(a -> queryUnescape((String) a.get(0)), "string"));
        f.put("reReplaceAll", TypedFunction.of(a -> FuncSupport.replaceAll(FuncSupport.mustCompile((String) a.get(0)),
                (String) a.get(2), (String) a.get(1)), "string", "string", "string"));
        f.put("stringSlice", TypedFunction.variadic(a -> new ArrayList<>(a), "string"));
        f.put("routeLabels", TypedFunction.of(a -> "", "string"));
        f.put("date", TypedFunction.of(a -> GoTime.format(GoTime.asTime(a.get(1)), (String) a.get(0)), "string", "time.Time"));
        f.put("tz", TypedFunction.of(a -> GoTime.asTime(a.get(1)).withZoneSameInstant(GoTime.loadLocation((String) a.get(0))),
                "string", "time.Time"));
        f.put("now", TypedFunction.of(a -> ZonedDateTime.now()));
        f.put("since", TypedFunction.of(a -> Duration.between(GoTime.asTime(a.get(0)).toInstant(), Instant.now()), "time.Time"));
        f.put("humanizeDuration", TypedFunction.of(a -> PrometheusFunctions.humanizeDuration(a.get(0)), "any"));
        f.put("toDate", TypedFunction.of(a -> {
            try {
                return GoTimeParse.parse((String) a.get(0), (String) a.get(1));
            } catch (TemplateException e) {
                return BuiltinMethods.GO_ZERO_TIME;
            }
        }, "string", "string"));
        f.put("mustToDate", TypedFunction.of(a -> GoTimeParse.parse((String) a.get(0), (String) a.get(1)), "string", "string"));
        f.put("toJson", TypedFunction.of(a -> GoJson.marshal(a.get(0)), "any"));
        f.put("base64encode", TypedFunction.of(a -> Base64.getUrlEncoder().encodeToString(((String) a.get(0)).getBytes(StandardCharsets.UTF_8)), "string"));
        f.put("base64decode", TypedFunction.of(a -> base64Decode((String) a.get(0)), "string"));
        f.put("list", TypedFunction.variadic(a -> new ArrayList<>(a), "any"));
        f.put("append", TypedFunction.variadic(a -> {
            List<Object> out = new ArrayList<>();
            if (a.get(0) != null) out.addAll((Collection<?>) a.get(0));
            out.addAll(a.subList(1, a.size()));
            return out;
        }, "[]any", "any"));
        f.put("dict", TypedFunction.variadic(a -> {
            if (a.size() % 2 != 0) throw new TemplateException("dict requires an even number of arguments");
            Values.AnyMap m = new Values.AnyMap();
            for (int i = 0; i < a.size(); i += 2) {
                if (!(a.get(i) instanceof String k)) throw new TemplateException("dict keys must be strings");
                m.put(k, a.get(i + 1));
            }
            return m;
        }, "any"));
        return f;
    }

    /** Go's {@code url.QueryUnescape}. */
    static String queryUnescape(String s) throws TemplateException {
        byte[] src = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[src.length];
        int n = 0;
        for (int i = 0; i < src.length; i++) {
            byte c = src[i];
            if (c == '%') {
                if (i + 2 >= src.length || Character.digit(src[i + 1], 16) < 0 || Character.digit(src[i + 2], 16) < 0) {
                    String bad = new String(src, i, Math.min(3, src.length - i), StandardCharsets.UTF_8);
                    throw new TemplateException("invalid URL escape " + GoStrconv.quote(bad));
                }
                out[n++] = (byte) (Character.digit(src[i + 1], 16) * 16 + Character.digit(src[i + 2], 16));
                i += 2;
            } else if (c == '+') {
                out[n++] = ' ';
            } else {
                out[n++] = c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static String base64Decode(String s) throws TemplateException {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' ) {
                if (i < s.length() - 2 || (i == s.length() - 2 && s.charAt(i + 1) != '=')) {
                    throw new TemplateException("illegal base64 data at input byte " + i);
                }
                continue;
            }
            if (alphabet.indexOf(c) < 0 && c != '\r' && c != '\n') throw new TemplateException("illegal base64 data at input byte " + i);
        }
        if (s.replace("\r", "").replace("\n", "").length() % 4 != 0) {
            throw new TemplateException("illegal base64 data at input byte " + (s.length() / 4 * 4));
        }
        try {
            return new String(Base64.getUrlDecoder().decode(s.replace("\r", "").replace("\n", "")), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TemplateException("illegal base64 data at input byte 0");
        }
    }
}
