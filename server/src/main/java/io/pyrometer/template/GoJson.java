package io.pyrometer.template;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Map;

/**
 * Go's {@code encoding/json.Marshal} over the value model: maps with sorted keys, HTML-safe string
 * escaping ({@code <} as {@code \u003c}), Go's float format (plain decimal unless the magnitude is
 * below 1e-6 or at least 1e21), times as RFC 3339 with nanoseconds, durations as nanoseconds.
 */
final class GoJson {
    private GoJson() {}

    static String marshal(Object v) throws TemplateException {
        StringBuilder b = new StringBuilder();
        write(b, v, 0);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, int depth) throws TemplateException {
        if (depth > 1000) throw new TemplateException("json: unsupported value: encountered a cycle");
        switch (v) {
            case null -> b.append("null");
            case String s -> string(b, s);
            case Boolean x -> b.append(x);
            case Long l -> b.append(l);
            case Integer i -> b.append(i);
            case Double d -> number(b, d);
            case Float f -> number(b, (double) f);
            case Instant i -> string(b, GoTime.format(GoTime.utc(i), "2006-01-02T15:04:05.999999999Z07:00"));
            case ZonedDateTime z -> string(b, GoTime.format(z, "2006-01-02T15:04:05.999999999Z07:00"));
            case Duration d -> b.append(GoTime.durationNanos(d));
            case GoObject g -> {
                Object j = g.jsonValue();
                if (j instanceof GoObject) string(b, j.toString());
                else write(b, j, depth + 1);
            }
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<String, Object> e : GoFmt.sortedEntries(m)) {
                    if (!first) b.append(',');
                    first = false;
                    string(b, e.getKey());
                    b.append(':');
                    write(b, e.getValue(), depth + 1);
                }
                b.append('}');
            }
            case Collection<?> c -> {
                b.append('[');
                boolean first = true;
                for (Object e : c) {
                    if (!first) b.append(',');
                    first = false;
                    write(b, e, depth + 1);
                }
                b.append(']');
            }
            case TemplateFunction f -> throw new TemplateException("json: unsupported type: " + GoFmt.typeName(f));
            default -> string(b, v.toString());
        }
    }

    private static void number(StringBuilder b, double d) throws TemplateException {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new TemplateException("json: unsupported value: " + GoFmt.formatFloat(d, 'g', -1));
        }
        double abs = Math.abs(d);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
            String s = GoFmt.formatFloat(d, 'e', -1);
            // Go's encoder trims "e-07" to "e-7".
            int n = s.length();
            if (n >= 4 && s.charAt(n - 4) == 'e' && s.charAt(n - 3) == '-' && s.charAt(n - 2) == '0') {
                s = s.substring(0, n - 2) + s.charAt(n - 1);
            }
            b.append(s);
        } else {
            b.append(GoFmt.formatFloat(d, 'f', -1));
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '<', '>', '&', '\u2028', '\u2029' -> b.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
