package io.pyrometer.alerting.notify;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * A JSON writer whose output is byte for byte what Go's {@code json.NewEncoder(w).Encode(v)} writes
 * for the payloads Alertmanager sends: no spaces, map keys sorted, HTML-sensitive characters
 * escaped ({@code <}, {@code >}, {@code &} as {@code \u003c}..., {@code SetEscapeHTML} is on by
 * default), U+2028/U+2029 escaped, a trailing newline from {@code Encode}, and {@code time.Time} in
 * RFC 3339 with nanoseconds and trailing zeros dropped. Not thread-safe; one per payload.
 *
 * <pre>{@code
 * String s = new GoJson().beginObject().name("version").value("4").endObject().encodeEnd().toString();
 * }</pre>
 */
final class GoJson {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final StringBuilder sb = new StringBuilder(512);
    /** Whether the next value in the current object or array needs a comma before it. */
    private boolean needComma;

    GoJson beginObject() {
        comma();
        sb.append('{');
        needComma = false;
        return this;
    }

    GoJson endObject() {
        sb.append('}');
        needComma = true;
        return this;
    }

    GoJson beginArray() {
        comma();
        sb.append('[');
        needComma = false;
        return this;
    }

    GoJson endArray() {
        sb.append(']');
        needComma = true;
        return this;
    }

    GoJson name(String name) {
        comma();
        string(name);
        sb.append(':');
        needComma = false;
        return this;
    }

    GoJson value(String s) {
        comma();
        string(s);
        needComma = true;
        return this;
    }

    GoJson value(long v) {
        comma();
        sb.append(v);
        needComma = true;
        return this;
    }

    GoJson value(boolean v) {
        comma();
        sb.append(v);
        needComma = true;
        return this;
    }

    GoJson nullValue() {
        comma();
        sb.append("null");
        needComma = true;
        return this;
    }

    /** Go's {@code time.Time.MarshalJSON}; null is Go's zero time {@code 0001-01-01T00:00:00Z}. */
    GoJson value(Instant t) {
        return value(rfc3339Nano(t));
    }

    /** A {@code map[string]string}: keys in Go's sorted order (the map is expected to be sorted already). */
    GoJson value(Map<String, String> m) {
        beginObject();
        for (Map.Entry<String, String> e : m.entrySet()) name(e.getKey()).value(e.getValue());
        return endObject();
    }

    /** A {@code []string}; null is {@code null} as for a nil slice. */
    GoJson value(List<String> l) {
        if (l == null) return nullValue();
        beginArray();
        for (String s : l) value(s);
        return endArray();
    }

    /** Ends the value as {@code Encoder.Encode} does: with a newline. */
    GoJson encodeEnd() {
        sb.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    private void comma() {
        if (needComma) sb.append(',');
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> hex(c);
                default -> {
                    if (c < 0x20) hex(c);
                    else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        sb.append("\\ufffd"); // a lone surrogate is invalid UTF-8 to Go: replaced
                    } else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    private void hex(char c) {
        sb.append("\\u");
        String h = Integer.toHexString(c);
        for (int k = h.length(); k < 4; k++) sb.append('0');
        sb.append(h);
    }

    /** Go's {@code time.RFC3339Nano} layout in UTC: fraction without trailing zeros, {@code Z} as the zone. */
    static String rfc3339Nano(Instant t) {
        if (t == null) return "0001-01-01T00:00:00Z";
        StringBuilder b = new StringBuilder(SECONDS.format(t));
        int nanos = t.getNano();
        if (nanos != 0) {
            String f = String.format("%09d", nanos);
            int end = f.length();
            while (f.charAt(end - 1) == '0') end--;
            b.append('.').append(f, 0, end);
        }
        return b.append('Z').toString();
    }
}
