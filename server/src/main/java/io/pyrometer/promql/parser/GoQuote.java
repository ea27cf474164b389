package io.pyrometer.promql.parser;

import io.pyrometer.promql.ast.Printer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Go's {@code %q}, {@code %#U} and {@code strconv.Unquote}, for Prometheus-identical messages and strings. */
final class GoQuote {
    private GoQuote() {}

    /** {@code %q} of a string. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        Printer.appendQuoted(sb, s);
        return sb.toString();
    }

    /** {@code %q} of a rune: {@code '}'}, {@code '\n'}, {@code '\''}. Use -1 for end of input. */
    static String quoteRune(int cp) {
        if (cp < 0) return "'\uFFFD'";
        if (cp == '\'') return "'\\''";
        if (cp == '"') return "'\"'";
        String q = quote(new String(Character.toChars(cp)));
        return "'" + q.substring(1, q.length() - 1) + "'";
    }

    /** {@code %#U}: {@code U+0067 'g'}; a printable character is shown as is, even a quote. */
    static String unicode(int cp) {
        if (cp < 0) return "U+FFFFFFFFFFFFFFFF";
        String hex = String.format("U+%04X", cp);
        String q = quote(new String(Character.toChars(cp)));
        boolean printable = q.length() == 3 || cp == '"' || cp == '\\' || (q.length() > 3 && q.charAt(1) != '\\');
        return printable ? hex + " '" + new String(Character.toChars(cp)) + "'" : hex;
    }

    /**
     * Unquotes a lexed string token (double, single or back quotes) as Go's {@code strconv.Unquote};
     * the lexer has already validated the escapes.
     *
     * @throws IllegalArgumentException when the text is not a valid literal
     */
    static String unquote(String lit) {
        if (lit.length() < 2) throw new IllegalArgumentException("invalid syntax");
        char q = lit.charAt(0);
        if (lit.charAt(lit.length() - 1) != q) throw new IllegalArgumentException("invalid syntax");
        String body = lit.substring(1, lit.length() - 1);
        if (q == '`') {
            if (body.indexOf('`') >= 0) throw new IllegalArgumentException("invalid syntax");
            return body.replace("\r", "");
        }
        if (q != '"' && q != '\'') throw new IllegalArgumentException("invalid syntax");
        if (body.indexOf('\\') < 0) {
            if (body.indexOf(q) >= 0 || body.indexOf('\n') >= 0) throw new IllegalArgumentException("invalid syntax");
            return body;
        }
        Bytes out = new Bytes(body.length() + 8);
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == q || c == '\n') throw new IllegalArgumentException("invalid syntax");
            if (c != '\\') {
                int cp = body.codePointAt(i);
                out.appendUtf8(cp);
                i += Character.charCount(cp);
                continue;
            }
            i = unescape(body, i + 1, q, out);
        }
        return out.decode();
    }

    /**
     * A growable byte buffer: Go strings are bytes, so {@code "\xc5"} is one (invalid UTF-8) byte.
     * {@link #decode()} keeps such bytes as lone surrogates U+DC80..U+DCFF ("surrogate escape"), which
     * {@link Printer#appendQuoted} prints back as {@code \xNN} and which validity checks reject.
     */
    private static final class Bytes {
        private byte[] b;
        private int n;

        Bytes(int cap) { b = new byte[cap]; }

        void append(int v) {
            if (n == b.length) b = Arrays.copyOf(b, n * 2 + 8);
            b[n++] = (byte) v;
        }

        void appendUtf8(int cp) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            if (cp < 0x80) {
                append(cp);
            } else if (cp < 0x800) {
                append(0xC0 | (cp >> 6));
                append(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                append(0xE0 | (cp >> 12));
                append(0x80 | ((cp >> 6) & 0x3F));
                append(0x80 | (cp & 0x3F));
            } else {
                append(0xF0 | (cp >> 18));
                append(0x80 | ((cp >> 12) & 0x3F));
                append(0x80 | ((cp >> 6) & 0x3F));
                append(0x80 | (cp & 0x3F));
            }
        }

        String decode() {
            StringBuilder sb = new StringBuilder(n);
            int i = 0;
            while (i < n) {
                int len = sequenceLength(i);
                if (len == 0) {
                    sb.append((char) (0xDC00 | (b[i] & 0xFF)));
                    i++;
                    continue;
                }
                sb.append(new String(b, i, len, StandardCharsets.UTF_8));
                i += len;
            }
            return sb.toString();
        }

        /** Length of the valid UTF-8 sequence at {@code i}, or 0 when it is not valid. */
        private int sequenceLength(int i) {
            int c = b[i] & 0xFF;
            if (c < 0x80) return 1;
            int len;
            int min;
            if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; }
            else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; }
            else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; }
            else return 0;
            if (i + len > n) return 0;
            int cp = c & (0x3F >> (len - 1));
            for (int k = 1; k < len; k++) {
                int d = b[i + k] & 0xFF;
                if ((d & 0xC0) != 0x80) return 0;
                cp = (cp << 6) | (d & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
            return len;
        }
    }

    /** Appends the escape starting after the backslash at {@code i}; returns the index after it. */
    private static int unescape(String s, int i, char quote, Bytes sb) {
        if (i >= s.length()) throw new IllegalArgumentException("invalid syntax");
        char c = s.charAt(i);
        switch (c) {
            case 'a' -> sb.append(7);
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'v' -> sb.append(11);
            case '\\' -> sb.append('\\');
            case '\'', '"' -> {
                if (c != quote) throw new IllegalArgumentException("invalid syntax");
                sb.append(c);
            }
            case 'x' -> { return hexEscape(s, i + 1, 2, sb, true); }
            case 'u' -> { return hexEscape(s, i + 1, 4, sb, false); }
            case 'U' -> { return hexEscape(s, i + 1, 8, sb, false); }
            default -> {
                if (c < '0' || c > '7') throw new IllegalArgumentException("invalid syntax");
                if (i + 3 > s.length()) throw new IllegalArgumentException("invalid syntax");
                int v = 0;
                for (int k = i; k < i + 3; k++) {
                    char d = s.charAt(k);
                    if (d < '0' || d > '7') throw new IllegalArgumentException("invalid syntax");
                    v = v * 8 + (d - '0');
                }
                if (v > 255) throw new IllegalArgumentException("invalid syntax");
                sb.append(v);
                return i + 3;
            }
        }
        return i + 1;
    }

    private static int hexEscape(String s, int i, int n, Bytes sb, boolean isByte) {
        if (i + n > s.length()) throw new IllegalArgumentException("invalid syntax");
        int v = 0;
        for (int k = i; k < i + n; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) throw new IllegalArgumentException("invalid syntax");
            v = v * 16 + d;
        }
        if (!isByte && (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))) throw new IllegalArgumentException("invalid syntax");
        if (isByte) sb.append(v);
        else sb.appendUtf8(v);
        return i + n;
    }
}
