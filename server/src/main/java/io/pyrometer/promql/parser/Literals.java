package io.pyrometer.promql.parser;

import java.util.Locale;

/**
 * Number and duration literals with Go's and Prometheus's rules: {@code strconv.ParseInt(s, 0, 64)}
 * then {@code strconv.ParseFloat}, and {@code model.ParseDuration}.
 */
final class Literals {
    private static final long NS_PER_MS = 1_000_000L;

    private Literals() {}

    /**
     * A number as Prometheus reads it: integers in Go syntax (hex {@code 0x1f}, octal {@code 017},
     * underscores {@code 1_000}), else floats ({@code 1e3}, {@code .5}, {@code Inf}, {@code NaN}).
     *
     * @throws IllegalArgumentException with Go's message
     */
    static double parseNumber(String s) {
        Double i = parseGoInt(s);
        if (i != null) return i;
        return parseGoFloat(s);
    }

    private static Double parseGoInt(String s) {
        if (!underscoresOk(s)) return null;
        String t = s.replace("_", "");
        int radix = 10;
        if (t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')) {
            radix = 16;
            t = t.substring(2);
        } else if (t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'o' || t.charAt(1) == 'O')) {
            radix = 8;
            t = t.substring(2);
        } else if (t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'b' || t.charAt(1) == 'B')) {
            radix = 2;
            t = t.substring(2);
        } else if (t.length() > 1 && t.charAt(0) == '0') {
            radix = 8;
            t = t.substring(1);
        }
        if (t.isEmpty()) return null;
        for (int k = 0; k < t.length(); k++) {
            if (Character.digit(t.charAt(k), radix) < 0) return null;
        }
        try {
            return (double) Long.parseLong(t, radix);
        } catch (NumberFormatException e) {
            return null; // out of int64 range: Go falls back to ParseFloat
        }
    }

    /** Go allows underscores only between digits or right after a base prefix. */
    private static boolean underscoresOk(String s) {
        if (s.indexOf('_') < 0) return true;
        boolean hasPrefix = s.length() > 1 && s.charAt(0) == '0' && Character.isLetter(s.charAt(1));
        char prev = '^';
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '_') {
                boolean afterPrefix = hasPrefix && k == 2;
                if (!(afterPrefix || Character.isLetterOrDigit(prev))) return false;
            } else if (prev == '_' && !Character.isLetterOrDigit(c)) {
                return false;
            }
            prev = c;
        }
        return prev != '_' && (hasPrefix || s.charAt(0) != '_');
    }

    private static double parseGoFloat(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity" -> { return Double.POSITIVE_INFINITY; }
            case "-inf", "-infinity" -> { return Double.NEGATIVE_INFINITY; }
            case "nan" -> { return Double.NaN; }
            default -> { }
        }
        String t = underscoresOk(s) ? s.replace("_", "") : null;
        if (t == null || t.isEmpty() || lower.startsWith("0x") || !t.matches("[0-9]*\\.?[0-9]*([eE][+-]?[0-9]+)?")
                || t.equals(".")) {
            throw new IllegalArgumentException("strconv.ParseFloat: parsing " + GoQuote.quote(s) + ": invalid syntax");
        }
        double v = Double.parseDouble(t);
        if (Double.isInfinite(v)) {
            throw new IllegalArgumentException("strconv.ParseFloat: parsing " + GoQuote.quote(s) + ": value out of range");
        }
        return v;
    }

    /**
     * A duration such as {@code 1h30m} in milliseconds ({@code model.ParseDuration}): units y, w, d,
     * h, m, s, ms, each at most once, largest first.
     *
     * @throws IllegalArgumentException with Prometheus's message
     */
    static long parseDurationMs(String s) {
        if (s.equals("0")) return 0;
        if (s.isEmpty()) throw new IllegalArgumentException("empty duration string");
        String invalid = "not a valid duration string: " + GoQuote.quote(s);
        long totalNs = 0;
        int lastUnit = 0;
        int i = 0;
        while (i < s.length()) {
            if (!Lexer.isDigit(s.charAt(i))) throw new IllegalArgumentException(invalid);
            int j = i;
            while (j < s.length() && Lexer.isDigit(s.charAt(j))) j++;
            long v;
            try {
                v = Long.parseLong(s.substring(i, j));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(invalid);
            }
            int k = j;
            while (k < s.length() && !Lexer.isDigit(s.charAt(k))) k++;
            if (k == j) throw new IllegalArgumentException(invalid);
            String unit = s.substring(j, k);
            int unitPos = unitPos(unit);
            if (unitPos == 0) {
                throw new IllegalArgumentException("unknown unit " + GoQuote.quote(unit) + " in duration " + GoQuote.quote(s));
            }
            if (unitPos <= lastUnit) throw new IllegalArgumentException(invalid);
            lastUnit = unitPos;
            long multNs = unitMs(unitPos) * NS_PER_MS;
            if (v > Long.MAX_VALUE / multNs) throw new IllegalArgumentException("duration out of range");
            totalNs += v * multNs;
            if (totalNs < 0) throw new IllegalArgumentException("duration out of range");
            i = k;
        }
        return totalNs / NS_PER_MS;
    }

    private static int unitPos(String unit) {
        return switch (unit) {
            case "y" -> 1;
            case "w" -> 2;
            case "d" -> 3;
            case "h" -> 4;
            case "m" -> 5;
            case "s" -> 6;
            case "ms" -> 7;
            default -> 0;
        };
    }

    private static long unitMs(int pos) {
        return switch (pos) {
            case 1 -> 365L * 24 * 3600 * 1000;
            case 2 -> 7L * 24 * 3600 * 1000;
            case 3 -> 24L * 3600 * 1000;
            case 4 -> 3600L * 1000;
            case 5 -> 60L * 1000;
            case 6 -> 1000L;
            default -> 1L;
        };
    }
}
