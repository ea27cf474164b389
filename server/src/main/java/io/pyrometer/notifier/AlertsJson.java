package io.pyrometer.notifier;

import io.pyrometer.model.Labels;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes alerts as the Alertmanager API v2 body Prometheus POSTs to {@code /api/v2/alerts}, byte
 * for byte as Go produces it: Prometheus builds {@code models.PostableAlerts}
 * (alertmanager {@code api/v2/models/postable_alert.go}) and {@code json.Marshal}s it, so
 * <ul>
 *   <li>fields come in the generated marshaller's order: {@code annotations} (left out when empty),
 *       {@code endsAt}, {@code startsAt}, then the embedded alert's {@code generatorURL} (left out when
 *       empty) and {@code labels};</li>
 *   <li>label sets are Go maps, so their keys are sorted by bytes (our {@link Labels} order);</li>
 *   <li>times are {@code strfmt.DateTime}: {@code 2006-01-02T15:04:05.000Z07:00} in UTC, and an unset
 *       time is Go's zero time {@code 0001-01-01T00:00:00.000Z} ({@code omitempty} does not omit a struct);</li>
 *   <li>strings are escaped as {@code encoding/json} does with HTML escaping on: {@code <}, {@code >},
 *       {@code &}, U+2028 and U+2029 as {@code \}{@code u....}, control characters as {@code \n},
 *       {@code \r}, {@code \t}, {@code \b}, {@code \f} or {@code \}{@code u00xx} (lower-case hex), and
 *       invalid UTF-16 (Go: invalid UTF-8) as U+FFFD.</li>
 * </ul>
 *
 * <pre>{@code
 * byte[] body = new AlertsJson().encode(batch);   // one encoder per sender thread: reuses its buffer
 * }</pre>
 *
 * <p>Not thread-safe; {@link #encode} returns a fresh array.
 */
public final class AlertsJson {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] ZERO_TIME = ascii("\"0001-01-01T00:00:00.000Z\"");

    private byte[] buf = new byte[16 * 1024];
    private int len;

    /** The JSON array for {@code alerts}; {@code []} when empty. */
    public byte[] encode(List<Alert> alerts) {
        len = 0;
        put((byte) '[');
        for (int i = 0, n = alerts.size(); i < n; i++) {
            if (i > 0) put((byte) ',');
            writeAlert(alerts.get(i));
        }
        put((byte) ']');
        return Arrays.copyOf(buf, len);
    }

    private void writeAlert(Alert a) {
        put((byte) '{');
        Labels ann = a.annotations();
        if (ann != null && !ann.isEmpty()) {
            raw("\"annotations\":");
            writeLabels(ann);
            put((byte) ',');
        }
        raw("\"endsAt\":");
        writeTime(a.endsAtMs());
        raw(",\"startsAt\":");
        writeTime(a.startsAtMs());
        String gen = a.generatorUrl();
        if (gen != null && !gen.isEmpty()) {
            raw(",\"generatorURL\":");
            writeString(gen);
        }
        raw(",\"labels\":");
        writeLabels(a.labels() == null ? Labels.EMPTY : a.labels());
        put((byte) '}');
    }

    private void writeLabels(Labels l) {
        put((byte) '{');
        for (int i = 0, n = l.size(); i < n; i++) {
            if (i > 0) put((byte) ',');
            writeString(l.name(i));
            put((byte) ':');
            writeString(l.value(i));
        }
        put((byte) '}');
    }

    /** {@code 0} is the unset (zero) time; anything else is epoch milliseconds, printed in UTC. */
    private void writeTime(long ms) {
        if (ms == 0) {
            raw(ZERO_TIME);
            return;
        }
        ensure(32);
        long days = Math.floorDiv(ms, 86_400_000L);
        long msOfDay = Math.floorMod(ms, 86_400_000L);
        // civil_from_days (H. Hinnant): proleptic Gregorian date of a day count since 1970-01-01
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        put((byte) '"');
        if (year < 0 || year > 9999) {
            raw(Long.toString(year)); // Go prints such years unpadded; never seen for real alerts
        } else {
            digits(year, 4);
        }
        put((byte) '-');
        digits(month, 2);
        put((byte) '-');
        digits(day, 2);
        put((byte) 'T');
        digits(msOfDay / 3_600_000, 2);
        put((byte) ':');
        digits(msOfDay / 60_000 % 60, 2);
        put((byte) ':');
        digits(msOfDay / 1000 % 60, 2);
        put((byte) '.');
        digits(msOfDay % 1000, 3);
        put((byte) 'Z');
        put((byte) '"');
    }

    private void digits(long v, int width) {
        ensure(width);
        for (int i = width - 1; i >= 0; i--) {
            buf[len + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += width;
    }

    /** Go's {@code encoding/json} string encoding with {@code escapeHTML}. */
    private void writeString(String s) {
        ensure(s.length() + 2);
        buf[len++] = '"';
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
                    if (len == buf.length) grow(1);
                    buf[len++] = (byte) c;
                } else {
                    escapeAscii(c);
                }
            } else if (c < 0x800) {
                ensure(2);
                buf[len++] = (byte) (0xc0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4);
                buf[len++] = (byte) (0xf0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(0xfffd);
            } else if (c == '\u2028' || c == '\u2029') {
                unicodeEscape(c);
            } else {
                ensure(3);
                buf[len++] = (byte) (0xe0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        put((byte) '"');
    }

    private void escapeAscii(char c) {
        switch (c) {
            case '"' -> raw("\\\"");
            case '\\' -> raw("\\\\");
            case '\n' -> raw("\\n");
            case '\r' -> raw("\\r");
            case '\t' -> raw("\\t");
            case '\b' -> raw("\\b");
            case '\f' -> raw("\\f");
            default -> unicodeEscape(c); // other control characters, < > &
        }
    }

    private void unicodeEscape(int c) {
        ensure(6);
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 0xf];
        buf[len++] = HEX[(c >> 8) & 0xf];
        buf[len++] = HEX[(c >> 4) & 0xf];
        buf[len++] = HEX[c & 0xf];
    }

    private void raw(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) buf[len++] = (byte) ascii.charAt(i);
    }

    private void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void put(byte b) {
        if (len == buf.length) grow(1);
        buf[len++] = b;
    }

    private void ensure(int n) {
        if (len + n > buf.length) grow(n);
    }

    private void grow(int n) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
