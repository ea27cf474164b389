package io.pyrometer.template;

import java.math.BigInteger;

/**
 * The parts of Go's {@code strconv} the template language needs: unquoting string, raw string and
 * character literals, integer literals with base prefixes and underscores, float literals, and
 * {@code strconv.Quote}.
 */
final class GoStrconv {
    private GoStrconv() {}

    /** {@code strconv.Unquote} for {@code "..."} and {@code `...`}; throws IllegalArgumentException on bad syntax. */
    static String unquote(String s) {
        int n = s.length();
        if (n < 2) throw new IllegalArgumentException("invalid syntax");
        char q = s.charAt(0);
        if (q != s.charAt(n - 1)) throw new IllegalArgumentException("invalid syntax");
        String body = s.substring(1, n - 1);
        if (q == '`') {
            if (body.indexOf('`') >= 0) throw new IllegalArgumentException("invalid syntax");
            return body.indexOf('\r') >= 0 ? body.replace("\r", "") : body;
        }
        if (q != '"' && q != '\'') throw new IllegalArgumentException("invalid syntax");
        if (body.indexOf('\\') < 0 && body.indexOf(q) < 0 && body.indexOf('\n') < 0) {
            if (q == '"') return body;
        }
        StringBuilder b = new StringBuilder(body.length());
        int[] i = {0};
        while (i[0] < body.length()) {
            char c = body.charAt(i[0]);
            if (c == q) throw new IllegalArgumentException("invalid syntax");
            if (c == '\n') throw new IllegalArgumentException("invalid syntax");
            unquoteOne(body, i, q, b);
        }
        if (q == '\'' && b.codePointCount(0, b.length()) != 1) throw new IllegalArgumentException("invalid syntax");
        return b.toString();
    }

    /** The rune value of a character literal such as {@code 'a'} or {@code '\n'}. */
    static int unquoteChar(String s) {
        String v = unquote(s);
        return v.codePointAt(0);
    }

    private static void unquoteOne(String s, int[] pos, char quote, StringBuilder out) {
        int i = pos[0];
        char c = s.charAt(i);
        if (c != '\\') {
            int cp = s.codePointAt(i);
            out.appendCodePoint(cp);
            pos[0] = i + Character.charCount(cp);
            return;
        }
        if (i + 1 >= s.length()) throw new IllegalArgumentException("invalid syntax");
        char e = s.charAt(i + 1);
        i += 2;
        switch (e) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case '\\' -> out.append('\\');
            case '\'', '"' -> {
                if (e != quote) throw new IllegalArgumentException("invalid syntax");
                out.append(e);
            }
            case 'x', 'u', 'U' -> {
                int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (i + len > s.length()) throw new IllegalArgumentException("invalid syntax");
                int v = 0;
                for (int k = 0; k < len; k++) {
                    int d = Character.digit(s.charAt(i + k), 16);
                    if (d < 0) throw new IllegalArgumentException("invalid syntax");
                    v = v * 16 + d;
                }
                i += len;
                if (e == 'x') {
                    // A byte: Go strings are bytes; we keep bytes < 0x80 exact and map others to the rune.
                    out.append((char) v);
                } else {
                    if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) throw new IllegalArgumentException("invalid syntax");
                    out.appendCodePoint(v);
                }
            }
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                if (i + 2 > s.length()) throw new IllegalArgumentException("invalid syntax");
                int v = e - '0';
                for (int k = 0; k < 2; k++) {
                    int d = s.charAt(i + k) - '0';
                    if (d < 0 || d > 7) throw new IllegalArgumentException("invalid syntax");
                    v = v * 8 + d;
                }
                if (v > 255) throw new IllegalArgumentException("invalid syntax");
                i += 2;
                out.append((char) v);
            }
            default -> throw new IllegalArgumentException("invalid syntax");
        }
        pos[0] = i;
    }

    /** Go's {@code ParseInt(s, 0, 64)} syntax without the range check; null when not an integer literal. */
    static BigInteger parseInteger(String s) {
        String t = s;
        boolean neg = false;
        if (t.startsWith("+") || t.startsWith("-")) {
            neg = t.charAt(0) == '-';
            t = t.substring(1);
        }
        if (t.isEmpty()) return null;
        int base = 10;
        boolean prefixed = false;
        if (t.length() > 1 && t.charAt(0) == '0') {
            char p = Character.toLowerCase(t.charAt(1));
            if (p == 'x') { base = 16; t = t.substring(2); prefixed = true; }
            else if (p == 'o') { base = 8; t = t.substring(2); prefixed = true; }
            else if (p == 'b') { base = 2; t = t.substring(2); prefixed = true; }
            else { base = 8; t = t.substring(1); prefixed = true; }
        }
        if (!underscoreOk(prefixed, t)) return null;
        t = t.replace("_", "");
        if (t.isEmpty()) return null;
        for (int i = 0; i < t.length(); i++) if (Character.digit(t.charAt(i), base) < 0) return null;
        BigInteger v = new BigInteger(t, base);
        return neg ? v.negate() : v;
    }

    private static boolean underscoreOk(boolean prefixed, String digits) {
        if (digits.indexOf('_') < 0) return true;
        if (!prefixed && digits.startsWith("_")) return false;
        if (digits.endsWith("_") || digits.contains("__")) return false;
        // Go allows underscores only between digits or after the base prefix.
        return prefixed || !digits.startsWith("_");
    }

    /** Go's {@code ParseFloat(s, 64)} for literals (decimal and hex); null when not a float literal. */
    static Double parseFloatLiteral(String s) {
        String t = s;
        if (t.indexOf('_') >= 0) {
            if (t.contains("__") || t.endsWith("_")) return null;
            t = t.replace("_", "");
        }
        if (t.isEmpty()) return null;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E'
                    || c == 'x' || c == 'X' || c == 'p' || c == 'P' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) return null;
        }
        String u = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
        if (u.isEmpty()) return null;
        boolean hex = u.length() > 1 && u.charAt(0) == '0' && (u.charAt(1) == 'x' || u.charAt(1) == 'X');
        try {
            if (hex) {
                if (!u.contains("p") && !u.contains("P")) return null;
                return Double.parseDouble(t);
            }
            for (int i = 0; i < u.length(); i++) {
                char c = u.charAt(i);
                if ((c >= 'a' && c <= 'f' && c != 'e') || (c >= 'A' && c <= 'F' && c != 'E')) return null;
            }
            if (!Character.isDigit(u.charAt(0)) && u.charAt(0) != '.') return null;
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code strconv.Quote}: a double-quoted Go string literal with Go's escapes. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        b.append('"');
        appendQuoted(b, s, '"', false);
        b.append('"');
        return b.toString();
    }

    /** {@code strconv.QuoteRune}. */
    static String quoteRune(int r) {
        StringBuilder b = new StringBuilder("'");
        appendQuoted(b, new String(Character.toChars(r)), '\'', false);
        return b.append('\'').toString();
    }

    /** {@code strconv.QuoteToASCII}. */
    static String quoteAscii(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        b.append('"');
        appendQuoted(b, s, '"', true);
        b.append('"');
        return b.toString();
    }

    private static void appendQuoted(StringBuilder b, String s, char quote, boolean asciiOnly) {
        for (int i = 0; i < s.length(); ) {
            int r = s.codePointAt(i);
            i += Character.charCount(r);
            if (r == quote || r == '\\') {
                b.append('\\').appendCodePoint(r);
                continue;
            }
            if (asciiOnly ? (r < 0x7f && r >= 0x20) : isPrint(r)) {
                b.appendCodePoint(r);
                continue;
            }
            switch (r) {
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x0b -> b.append("\\v");
                default -> {
                    if (r < ' ' || r == 0x7f) b.append(String.format("\\x%02x", r));
                    else if (r >= 0xD800 && r < 0xE000) b.append("\\ufffd");
                    else if (r < 0x10000) b.append(String.format("\\u%04x", r));
                    else b.append(String.format("\\U%08x", r));
                }
            }
        }
    }

    /** Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
    static boolean isPrint(int r) {
        if (r == ' ') return true;
        if (r < 0x20 || r == 0x7f) return false;
        int t = Character.getType(r);
        return switch (t) {
            case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE,
                 Character.SURROGATE, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
