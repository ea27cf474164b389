package io.pyrometer.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Go's {@code fmt} ({@code Sprint}, {@code Sprintln}, {@code Sprintf}) and {@code strconv.FormatFloat}
 * over the template value model: {@code %v} of floats is Go's shortest {@code %g} ({@code 1},
 * {@code 1.5}, {@code 1e+06}, {@code NaN}, {@code +Inf}), maps print as {@code map[a:1 b:2]} in key
 * order, slices as {@code [a b]}, bad verbs as {@code %!d(string=x)}.
 */
final class GoFmt {
    private GoFmt() {}

    static String quote(String s) { return GoStrconv.quote(s); }

    /** Go's {@code %#U}: {@code U+0041 'A'}, or {@code U+00A0} when not printable. */
    static String unicodeNotation(int r) {
        String hex = String.format("U+%04X", r);
        if (r >= 0 && GoStrconv.isPrint(r)) return hex + " '" + new String(Character.toChars(r)) + "'";
        return hex;
    }

    // ---- type names, as Go's %T and error messages print them

    static String typeName(Object v) {
        return switch (v) {
            case null -> "<nil>";
            case String s -> "string";
            case Long l -> "int";
            case Integer i -> "int";
            case Double d -> "float64";
            case Float f -> "float32";
            case Boolean b -> "bool";
            case GoObject g -> g.typeName();
            case Map<?, ?> m -> "map[string]" + elemTypeName(m.values());
            case Collection<?> c -> "[]" + elemTypeName(c);
            case Instant i -> "time.Time";
            case ZonedDateTime z -> "time.Time";
            case Duration d -> "time.Duration";
            case TemplateFunction f -> "func(...interface {}) (interface {}, error)";
            default -> v.getClass().getSimpleName();
        };
    }

    private static String elemTypeName(Collection<?> values) {
        if (!values.isEmpty() && values.stream().allMatch(x -> x instanceof String)) return "string";
        return "interface {}";
    }

    // ---- Sprint / Sprintln

    static String sprint(List<Object> args) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (i > 0 && !(a instanceof String) && !(args.get(i - 1) instanceof String)) b.append(' ');
            b.append(formatV(a));
        }
        return b.toString();
    }

    static String sprintln(List<Object> args) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) b.append(' ');
            b.append(formatV(args.get(i)));
        }
        return b.append('\n').toString();
    }

    /** {@code %v} of one value. */
    static String formatV(Object v) {
        StringBuilder b = new StringBuilder();
        appendValue(b, v, 'v', Spec.PLAIN);
        return b.toString();
    }

    // ---- Sprintf

    /** A parsed verb: flags, width and precision (-1 when absent). */
    record Spec(boolean minus, boolean plus, boolean sharp, boolean space, boolean zero, int width, int prec) {
        static final Spec PLAIN = new Spec(false, false, false, false, false, -1, -1);
    }

    static String sprintf(String format, List<Object> args) {
        StringBuilder b = new StringBuilder();
        int argNum = 0;
        int n = format.length();
        int i = 0;
        while (i < n) {
            char c = format.charAt(i);
            if (c != '%') {
                int j = format.indexOf('%', i);
                if (j < 0) j = n;
                b.append(format, i, j);
                i = j;
                continue;
            }
            i++;
            boolean minus = false, plus = false, sharp = false, space = false, zero = false;
            flags:
            while (i < n) {
                switch (format.charAt(i)) {
                    case '-' -> { minus = true; zero = false; }
                    case '+' -> plus = true;
                    case '#' -> sharp = true;
                    case ' ' -> space = true;
                    case '0' -> zero = !minus;
                    default -> { break flags; }
                }
                i++;
            }
            int width = -1;
            if (i < n && format.charAt(i) == '*') {
                i++;
                Long w = argNum < args.size() ? toLongOrNull(args.get(argNum)) : null;
                if (w != null && Math.abs(w) <= 1_000_000) {
                    width = (int) (long) w;
                    if (width < 0) { minus = true; zero = false; width = -width; }
                } else {
                    b.append("%!(BADWIDTH)");
                }
                argNum++;
            } else {
                int start = i;
                while (i < n && Character.isDigit(format.charAt(i))) i++;
                if (i > start) width = Integer.parseInt(format.substring(start, Math.min(i, start + 6)));
            }
            int prec = -1;
            if (i < n && format.charAt(i) == '.') {
                i++;
                if (i < n && format.charAt(i) == '*') {
                    i++;
                    Long p = argNum < args.size() ? toLongOrNull(args.get(argNum)) : null;
                    if (p != null && Math.abs(p) <= 1_000_000) {
                        prec = (int) (long) p;
                        if (prec < 0) prec = -1;
                    } else {
                        b.append("%!(BADPREC)");
                    }
                    argNum++;
                } else {
                    int start = i;
                    while (i < n && Character.isDigit(format.charAt(i))) i++;
                    prec = i > start ? Integer.parseInt(format.substring(start, Math.min(i, start + 6))) : 0;
                }
            }
            if (i >= n) {
                b.append("%!(NOVERB)");
                break;
            }
            int verb = format.codePointAt(i);
            i += Character.charCount(verb);
            if (verb == '%') {
                b.append('%');
                continue;
            }
            if (argNum >= args.size()) {
                b.append("%!").appendCodePoint(verb).append("(MISSING)");
                continue;
            }
            Object arg = args.get(argNum++);
            Spec spec = new Spec(minus, plus, sharp, space, zero, width, prec);
            if (verb == 'T') {
                pad(b, typeName(arg), spec, false);
                continue;
            }
            appendValue(b, arg, verb, spec);
        }
        if (argNum < args.size()) {
            b.append("%!(EXTRA ");
            for (int k = argNum; k < args.size(); k++) {
                if (k > argNum) b.append(", ");
                Object a = args.get(k);
                if (a == null) b.append("<nil>");
                else b.append(typeName(a)).append('=').append(formatV(a));
            }
            b.append(')');
        }
        return b.toString();
    }

    private static Long toLongOrNull(Object o) {
        if (o instanceof Long l) return l;
        if (o instanceof Integer i) return (long) i;
        return null;
    }

    private static void badVerb(StringBuilder b, Object v, int verb) {
        b.append("%!").appendCodePoint(verb).append('(');
        if (v == null) b.append("<nil>");
        else b.append(typeName(v)).append('=').append(formatV(v));
        b.append(')');
    }

    static void appendValue(StringBuilder b, Object v, int verb, Spec spec) {
        switch (v) {
            case null -> {
                if (verb == 'v') pad(b, "<nil>", spec, false);
                else badVerb(b, null, verb);
            }
            case String s -> fmtString(b, s, verb, spec);
            case Boolean bool -> {
                if (verb == 'v' || verb == 't') pad(b, bool.toString(), spec, false);
                else badVerb(b, v, verb);
            }
            case Long l -> fmtInt(b, l, verb, spec);
            case Integer i -> fmtInt(b, (long) i, verb, spec);
            case Double d -> fmtFloat(b, d, verb, spec);
            case Float f -> fmtFloat(b, (double) f, verb, spec);
            case Map<?, ?> m -> {
                if (verb == 'd' || verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X'
                        || verb == 'f' || verb == 'g' || verb == 'e' || verb == 't') {
                    b.append("map[");
                    boolean first = true;
                    for (Map.Entry<String, Object> e : sortedEntries(m)) {
                        if (!first) b.append(' ');
                        first = false;
                        appendValue(b, e.getKey(), verb, spec);
                        b.append(':');
                        appendValue(b, e.getValue(), verb, spec);
                    }
                    b.append(']');
                } else {
                    badVerb(b, v, verb);
                }
            }
            case Collection<?> c -> {
                if (verb == 's' || verb == 'q' || verb == 'x' || verb == 'X' || verb == 'v' || verb == 'd'
                        || verb == 'f' || verb == 'g' || verb == 'e' || verb == 't') {
                    b.append('[');
                    boolean first = true;
                    for (Object e : c) {
                        if (!first) b.append(' ');
                        first = false;
                        appendValue(b, e, verb, spec);
                    }
                    b.append(']');
                } else {
                    badVerb(b, v, verb);
                }
            }
            case Duration d -> {
                if (verb == 'd') fmtInt(b, GoTime.durationNanos(d), verb, spec);
                else stringer(b, GoTime.durationString(d), v, verb, spec);
            }
            default -> stringer(b, stringOf(v), v, verb, spec);
        }
    }

    /** The Go {@code String()} of a Stringer-like value (time, GoObject). */
    static String stringOf(Object v) {
        return switch (v) {
            case Instant i -> GoTime.timeString(GoTime.utc(i));
            case ZonedDateTime z -> GoTime.timeString(z);
            case Duration d -> GoTime.durationString(d);
            default -> String.valueOf(v);
        };
    }

    private static void stringer(StringBuilder b, String s, Object v, int verb, Spec spec) {
        if (verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') fmtString(b, s, verb, spec);
        else badVerb(b, v, verb);
    }

    @SuppressWarnings("unchecked")
    static List<Map.Entry<String, Object>> sortedEntries(Map<?, ?> m) {
        List<Map.Entry<String, Object>> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) entries.add((Map.Entry<String, Object>) e);
        entries.sort((x, y) -> compareGoStrings(String.valueOf(x.getKey()), String.valueOf(y.getKey())));
        return entries;
    }

    /** Go compares strings by UTF-8 bytes; for the BMP that is code point order. */
    static int compareGoStrings(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; ) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(i);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
        }
        return Integer.compare(a.length(), b.length());
    }

    // ---- strings

    private static void fmtString(StringBuilder b, String s, int verb, Spec spec) {
        switch (verb) {
            case 'v', 's' -> {
                String t = s;
                if (spec.prec >= 0 && t.codePointCount(0, t.length()) > spec.prec) {
                    t = t.substring(0, t.offsetByCodePoints(0, spec.prec));
                }
                pad(b, t, spec, false);
            }
            case 'q' -> {
                String t = s;
                if (spec.prec >= 0 && t.codePointCount(0, t.length()) > spec.prec) {
                    t = t.substring(0, t.offsetByCodePoints(0, spec.prec));
                }
                String q;
                if (spec.sharp && t.indexOf('`') < 0 && t.chars().allMatch(ch -> ch == '\t' || GoStrconv.isPrint(ch))) {
                    q = "`" + t + "`";
                } else if (spec.plus) {
                    q = GoStrconv.quoteAscii(t);
                } else {
                    q = GoStrconv.quote(t);
                }
                pad(b, q, spec, false);
            }
            case 'x', 'X' -> {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                int len = bytes.length;
                if (spec.prec >= 0 && spec.prec < len) len = spec.prec;
                StringBuilder h = new StringBuilder();
                String digits = verb == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
                for (int k = 0; k < len; k++) {
                    if (k > 0 && spec.space) h.append(' ');
                    if (spec.sharp && (k == 0 || spec.space)) h.append(verb == 'x' ? "0x" : "0X");
                    h.append(digits.charAt((bytes[k] >> 4) & 0xf)).append(digits.charAt(bytes[k] & 0xf));
                }
                pad(b, h.toString(), spec, false);
            }
            default -> badVerb(b, s, verb);
        }
    }

    /** Pads {@code s} to the spec's width in runes; zero padding goes after a sign when numeric. */
    private static void pad(StringBuilder b, String s, Spec spec, boolean numeric) {
        int w = spec.width;
        int len = s.codePointCount(0, s.length());
        if (w <= len) {
            b.append(s);
            return;
        }
        int fill = w - len;
        if (spec.minus) {
            b.append(s).append(" ".repeat(fill));
        } else if (spec.zero) {
            if (numeric && !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+' || s.charAt(0) == ' ')) {
                b.append(s.charAt(0)).append("0".repeat(fill)).append(s, 1, s.length());
            } else {
                b.append("0".repeat(fill)).append(s);
            }
        } else {
            b.append(" ".repeat(fill)).append(s);
        }
    }

    // ---- integers

    private static void fmtInt(StringBuilder b, long v, int verb, Spec spec) {
        String digits;
        String prefix = "";
        boolean neg = v < 0;
        String mag = neg ? Long.toUnsignedString(-v) : Long.toString(v);
        if (v == Long.MIN_VALUE) mag = "9223372036854775808";
        switch (verb) {
            case 'v', 'd' -> digits = mag;
            case 'b' -> {
                digits = new java.math.BigInteger(mag).toString(2);
                if (spec.sharp) prefix = "0b";
            }
            case 'o', 'O' -> {
                digits = new java.math.BigInteger(mag).toString(8);
                if (verb == 'O') prefix = "0o";
                else if (spec.sharp && !digits.equals("0")) prefix = "0";
            }
            case 'x' -> {
                digits = new java.math.BigInteger(mag).toString(16);
                if (spec.sharp) prefix = "0x";
            }
            case 'X' -> {
                digits = new java.math.BigInteger(mag).toString(16).toUpperCase(java.util.Locale.ROOT);
                if (spec.sharp) prefix = "0X";
            }
            case 'c' -> {
                pad(b, validRune(v) ? new String(Character.toChars((int) v)) : "\uFFFD", spec, false);
                return;
            }
            case 'q' -> {
                pad(b, GoStrconv.quoteRune(validRune(v) ? (int) v : 0xFFFD), spec, false);
                return;
            }
            case 'U' -> {
                String u = String.format("U+%04X", v);
                if (spec.sharp && validRune(v) && GoStrconv.isPrint((int) v)) {
                    u += " '" + new String(Character.toChars((int) v)) + "'";
                }
                pad(b, u, spec, false);
                return;
            }
            case 'e', 'E', 'f', 'F', 'g', 'G', 's', 't' -> {
                badVerb(b, v, verb);
                return;
            }
            default -> {
                badVerb(b, v, verb);
                return;
            }
        }
        if (spec.prec >= 0) {
            if (spec.prec == 0 && v == 0) digits = "";
            else if (digits.length() < spec.prec) digits = "0".repeat(spec.prec - digits.length()) + digits;
        }
        String sign = neg ? "-" : spec.plus ? "+" : spec.space ? " " : "";
        String s = sign + prefix + digits;
        if (spec.zero && spec.prec < 0 && !spec.minus && spec.width > s.length()) {
            s = sign + prefix + "0".repeat(spec.width - s.length()) + digits;
            b.append(s);
            return;
        }
        pad(b, s, new Spec(spec.minus, false, false, false, false, spec.width, -1), true);
    }

    private static boolean validRune(long v) {
        return v >= 0 && v <= 0x10FFFF && !(v >= 0xD800 && v < 0xE000);
    }

    // ---- floats

    private static void fmtFloat(StringBuilder b, double v, int verb, Spec spec) {
        char f;
        int prec = spec.prec;
        switch (verb) {
            case 'v', 'g' -> { f = 'g'; }
            case 'G' -> { f = 'G'; }
            case 'e', 'E', 'f' -> {
                f = (char) verb;
                if (prec < 0) prec = 6;
            }
            case 'F' -> {
                f = 'f';
                if (prec < 0) prec = 6;
            }
            default -> {
                badVerb(b, v, verb);
                return;
            }
        }
        String num = formatFloat(v, f, prec);
        if (Double.isInfinite(v) || Double.isNaN(v)) {
            if (Double.isNaN(v)) num = spec.plus ? "+NaN" : spec.space ? " NaN" : "NaN";
            else if (v > 0) num = spec.space && !spec.plus ? " Inf" : "+Inf";
            else num = "-Inf";
            pad(b, num, new Spec(spec.minus, false, false, false, false, spec.width, -1), false);
            return;
        }
        if (spec.sharp && !num.contains(".") && f != 'e' && f != 'E') {
            // %#g keeps trailing zeros; approximate by ensuring a decimal point.
            int e = num.indexOf('e');
            num = e < 0 ? num + "." : num.substring(0, e) + "." + num.substring(e);
        }
        if (!num.startsWith("-")) {
            if (spec.plus) num = "+" + num;
            else if (spec.space) num = " " + num;
        }
        pad(b, num, spec, true);
    }

    /** {@code strconv.FormatFloat(v, fmt, prec, 64)}; prec -1 is the shortest exact representation. */
    static String formatFloat(double v, char fmt, int prec) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        boolean neg = v < 0 || (v == 0 && 1 / v < 0);
        double abs = Math.abs(v);
        boolean shortest = prec < 0;
        Digits d;
        if (shortest) {
            d = Digits.of(abs == 0 ? BigDecimal.ZERO : new BigDecimal(Double.toString(abs)));
            prec = switch (fmt) {
                case 'e', 'E' -> Math.max(d.nd() - 1, 0);
                case 'f' -> Math.max(d.nd() - d.dp, 0);
                default -> d.nd();
            };
        } else {
            BigDecimal exact = new BigDecimal(abs);
            switch (fmt) {
                case 'e', 'E' -> d = Digits.of(abs == 0 ? BigDecimal.ZERO : exact.round(new MathContext(prec + 1, RoundingMode.HALF_EVEN)));
                case 'f' -> d = Digits.of(exact.setScale(prec, RoundingMode.HALF_EVEN));
                default -> {
                    if (prec == 0) prec = 1;
                    d = Digits.of(abs == 0 ? BigDecimal.ZERO : exact.round(new MathContext(prec, RoundingMode.HALF_EVEN)));
                }
            }
        }
        StringBuilder b = new StringBuilder();
        if (neg) b.append('-');
        switch (fmt) {
            case 'e', 'E' -> fmtE(b, d, prec, fmt);
            case 'f' -> fmtF(b, d, prec);
            default -> {
                int eprec = prec;
                if (eprec > d.nd() && d.nd() >= d.dp) eprec = d.nd();
                if (shortest) eprec = 6;
                int exp = d.dp - 1;
                if (exp < -4 || exp >= eprec) {
                    if (prec > d.nd()) prec = d.nd();
                    fmtE(b, d, prec - 1, fmt == 'G' ? 'E' : 'e');
                } else {
                    if (prec > d.dp) prec = d.nd();
                    fmtF(b, d, Math.max(prec - d.dp, 0));
                }
            }
        }
        return b.toString();
    }

    /** Decimal digits {@code d} (no leading/trailing zeros; empty for zero) and point position {@code dp}. */
    private record Digits(String d, int dp) {
        int nd() { return d.length(); }

        static Digits of(BigDecimal x) {
            if (x.signum() == 0) return new Digits("", 0);
            BigDecimal s = x.stripTrailingZeros();
            String u = s.unscaledValue().toString();
            return new Digits(u, u.length() - s.scale());
        }
    }

    private static void fmtE(StringBuilder b, Digits d, int prec, char fmt) {
        b.append(d.nd() == 0 ? '0' : d.d.charAt(0));
        if (prec > 0) {
            b.append('.');
            int i = 1;
            int m = Math.min(d.nd(), prec + 1);
            if (i < m) {
                b.append(d.d, i, m);
                i = m;
            }
            for (; i <= prec; i++) b.append('0');
        }
        b.append(fmt);
        int exp = d.nd() == 0 ? 0 : d.dp - 1;
        if (exp < 0) {
            b.append('-');
            exp = -exp;
        } else {
            b.append('+');
        }
        if (exp < 10) b.append('0');
        b.append(exp);
    }

    private static void fmtF(StringBuilder b, Digits d, int prec) {
        if (d.dp > 0) {
            int m = Math.min(d.nd(), d.dp);
            b.append(d.d, 0, m);
            for (; m < d.dp; m++) b.append('0');
        } else {
            b.append('0');
        }
        if (prec > 0) {
            b.append('.');
            for (int i = 1; i <= prec; i++) {
                int j = d.dp + i - 1;
                b.append(j >= 0 && j < d.nd() ? d.d.charAt(j) : '0');
            }
        }
    }
}
