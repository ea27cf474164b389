package io.pyrometer.template;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Go library behaviour shared by Prometheus's and Alertmanager's template functions: RE2 regexps
 * with Go's {@code $1}/{@code ${name}} expansion, {@code strings.ToUpper}, {@code cases.Title},
 * {@code net.SplitHostPort}, {@code strconv.ParseFloat} and Prometheus's {@code ConvertToFloat}.
 */
final class FuncSupport {
    private FuncSupport() {}

    private static final Map<String, Pattern> REGEX_CACHE = new ConcurrentHashMap<>();

    /** Go's {@code regexp.Compile}; the error reads like Go's ({@code error parsing regexp: ...}). */
    static Pattern compile(String pattern) throws TemplateException {
        Pattern p = REGEX_CACHE.get(pattern);
        if (p != null) return p;
        try {
            p = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new TemplateException(e.getMessage());
        }
        if (REGEX_CACHE.size() < 1000) REGEX_CACHE.put(pattern, p);
        return p;
    }

    /** Go's {@code regexp.MustCompile}: a bad pattern is a panic, which the engine reports as the call's error. */
    static Pattern mustCompile(String pattern) throws TemplateException {
        try {
            return compile(pattern);
        } catch (TemplateException e) {
            throw new TemplateException("regexp: Compile(" + backquote(pattern) + "): " + e.getMessage());
        }
    }

    private static String backquote(String s) {
        return s.indexOf('`') < 0 ? "`" + s + "`" : GoStrconv.quote(s);
    }

    /** Go's {@code Regexp.ReplaceAllString}: {@code $1}, {@code ${1}}, {@code $name}, {@code $$}. */
    static String replaceAll(Pattern re, String src, String repl) {
        Matcher m = re.matcher(src);
        StringBuilder b = new StringBuilder();
        int last = 0;
        int searchFrom = 0;
        int prevMatchEnd = -1;
        while (searchFrom <= src.length() && m.find(searchFrom)) {
            int start = m.start();
            int end = m.end();
            if (start == end && start == prevMatchEnd) {
                // Go skips an empty match right after the previous match.
                if (start >= src.length()) break;
                searchFrom = start + Character.charCount(src.codePointAt(start));
                continue;
            }
            b.append(src, last, start);
            expand(b, repl, m, re);
            last = end;
            prevMatchEnd = end;
            if (end == start) {
                if (end >= src.length()) break;
                int next = end + Character.charCount(src.codePointAt(end));
                b.append(src, end, next);
                last = next;
                searchFrom = next;
            } else {
                searchFrom = end;
            }
        }
        b.append(src, Math.min(last, src.length()), src.length());
        return b.toString();
    }

    private static void expand(StringBuilder b, String template, Matcher m, Pattern re) {
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= n) {
                b.append(c);
                i++;
                continue;
            }
            char d = template.charAt(i + 1);
            if (d == '$') {
                b.append('$');
                i += 2;
                continue;
            }
            String name;
            int after;
            if (d == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0 || !isName(template.substring(i + 2, close))) {
                    b.append('$');
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                after = close + 1;
            } else {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) j++;
                if (j == i + 1) {
                    b.append('$');
                    i++;
                    continue;
                }
                name = template.substring(i + 1, j);
                after = j;
            }
            String g = group(m, re, name);
            if (g != null) b.append(g);
            i = after;
        }
    }

    private static boolean isName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_') return false;
        }
        return true;
    }

    private static String group(Matcher m, Pattern re, String name) {
        boolean numeric = true;
        for (int i = 0; i < name.length(); i++) if (!Character.isDigit(name.charAt(i))) numeric = false;
        if (numeric) {
            if (name.length() > 9) return null;
            int k = Integer.parseInt(name);
            if (k > m.groupCount()) return null;
            return m.group(k);
        }
        Map<String, Integer> names = re.namedGroups();
        Integer k = names.get(name);
        return k == null ? null : m.group(k);
    }

    // ---- strings

    /** Go's {@code strings.ToUpper}/{@code ToLower}: per-rune simple case mapping. */
    static String mapCase(String s, boolean upper) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int r = s.codePointAt(i);
            i += Character.charCount(r);
            b.appendCodePoint(upper ? Character.toUpperCase(r) : Character.toLowerCase(r));
        }
        return b.toString();
    }

    /**
     * {@code cases.Title(language.AmericanEnglish)}: the first letter of each word in title case;
     * with {@code lowerRest} (Alertmanager) the rest of the word lower case, without
     * ({@code cases.NoLower}, Prometheus) left as is. Words are runs of letters, digits, marks,
     * {@code _} and {@code '}.
     */
    static String title(String s, boolean lowerRest) {
        StringBuilder b = new StringBuilder(s.length());
        boolean inWord = false;
        for (int i = 0; i < s.length(); ) {
            int r = s.codePointAt(i);
            i += Character.charCount(r);
            boolean wordChar = Character.isLetterOrDigit(r) || r == '_' || r == '\''
                    || Character.getType(r) == Character.NON_SPACING_MARK;
            if (!inWord && Character.isLetter(r)) {
                b.appendCodePoint(Character.toTitleCase(r));
            } else if (inWord && lowerRest) {
                b.appendCodePoint(Character.toLowerCase(r));
            } else {
                b.appendCodePoint(r);
            }
            inWord = wordChar;
        }
        return b.toString();
    }

    /** Go's {@code strings.TrimSpace}. */
    static String trimSpace(String s) {
        int a = 0;
        int e = s.length();
        while (a < e && isGoSpace(s.charAt(a))) a++;
        while (e > a && isGoSpace(s.charAt(e - 1))) e--;
        return s.substring(a, e);
    }

    private static boolean isGoSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r' || c == 0x85 || c == 0xA0
                || Character.isSpaceChar(c);
    }

    // ---- net

    /** Go's {@code net.SplitHostPort}: {host, port}, or null when the address has no port. */
    static String[] splitHostPort(String hp) {
        int i = hp.lastIndexOf(':');
        if (i < 0) return null;
        String host;
        int j = 0;
        int k = 0;
        if (!hp.isEmpty() && hp.charAt(0) == '[') {
            int end = hp.indexOf(']');
            if (end < 0) return null;
            if (end + 1 == hp.length()) return null;
            if (end + 1 != i) return null;
            host = hp.substring(1, end);
            j = 1;
            k = end + 1;
        } else {
            host = hp.substring(0, i);
            if (host.indexOf(':') >= 0) return null;
        }
        if (hp.indexOf('[', j) >= 0) return null;
        if (hp.indexOf(']', k) >= 0) return null;
        return new String[] {host, hp.substring(i + 1)};
    }

    /** Go's {@code net.JoinHostPort}. */
    static String joinHostPort(String host, String port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** Go's {@code net.ParseIP(s) != nil}: dotted-decimal IPv4 or an IPv6 literal, no DNS. */
    static boolean isIp(String s) {
        if (s.indexOf(':') >= 0) {
            if (s.indexOf('%') >= 0 || s.startsWith("[")) return false;
            try {
                InetAddress.ofLiteral(s);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) return false;
            for (int i = 0; i < p.length(); i++) if (p.charAt(i) < '0' || p.charAt(i) > '9') return false;
            if (p.length() > 1 && p.charAt(0) == '0') return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    // ---- numbers

    /** Go's {@code strconv.ParseFloat(s, 64)}, with its error text. */
    static double parseFloat(String s) throws TemplateException {
        String t = s;
        String u = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
        String lower = u.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan") && u.length() == t.length()) return Double.NaN;
        Double v = null;
        boolean hex = lower.startsWith("0x");
        boolean underscoresOk = hex || lower.startsWith("0b") || lower.startsWith("0o");
        if (!u.isEmpty() && (underscoresOk || u.indexOf('_') < 0)) {
            if (hex) {
                v = GoStrconv.parseFloatLiteral(t);
            } else if (u.matches("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                v = Double.parseDouble(t);
            }
        }
        if (v == null) throw new TemplateException("strconv.ParseFloat: parsing " + GoStrconv.quote(s) + ": invalid syntax");
        if (v.isInfinite()) throw new TemplateException("strconv.ParseFloat: parsing " + GoStrconv.quote(s) + ": value out of range");
        return v;
    }

    /** Prometheus's {@code ConvertToFloat}: float64, string, int, uint and Duration (seconds). */
    static double convertToFloat(Object i) throws TemplateException {
        return switch (i) {
            case Double d -> d;
            case String s -> parseFloat(s);
            case Long l -> (double) l;
            case Duration d -> GoTime.durationNanos(d) / 1e9;
            case null, default -> throw new TemplateException("can't convert " + GoFmt.typeName(i) + " to float");
        };
    }

    static String sprintf(String format, Object... args) { return GoFmt.sprintf(format, java.util.Arrays.asList(args)); }
}
