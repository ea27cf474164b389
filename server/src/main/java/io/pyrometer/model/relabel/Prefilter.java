package io.pyrometer.model.relabel;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A cheap test that rules out regex matches before running re2j: most relabel regexes are a
 * literal ({@code __tmp_hash}, {@code ^metrics$}) or start with one
 * ({@code __meta_kubernetes_pod_label_(.+)}), and re2j costs microseconds per call while
 * {@code equals}/{@code startsWith} cost nanoseconds. A literal regex or an alternation of literals
 * ({@code Succeeded|Failed}) is decided without re2j at all. Conservative: any other alternation, a
 * flag group or an escape at the start gets no filter.
 *
 * @param literal      the text every match equals ({@code exact}) or starts with
 * @param alternatives when non-null, the regex matches exactly these strings
 */
record Prefilter(String literal, boolean exact, java.util.Set<String> alternatives, String suffix) {
    static final Prefilter NONE = new Prefilter("", false, null, null);
    static final int NO = 0, YES = 1, MAYBE = 2;

    Prefilter(String literal, boolean exact) {
        this(literal, exact, null, null);
    }

    /** {@link #NO} (certainly no match), {@link #YES} (certainly a match) or {@link #MAYBE} (ask the regex). */
    int check(String s) {
        if (alternatives != null) return alternatives.contains(s) ? YES : NO;
        if (suffix != null) return s.endsWith(suffix) ? YES : NO;
        if (exact) return s.equals(literal) ? YES : NO;
        return s.startsWith(literal) ? MAYBE : NO;
    }
    private static final ConcurrentHashMap<String, Prefilter> CACHE = new ConcurrentHashMap<>();

    /** Whether {@code s} can match at all; false means it certainly does not. */
    boolean mayMatch(String s) {
        return check(s) != NO;
    }

    /** The filter for a regex (the text inside Prometheus's {@code ^(?s:...)$}), cached. */
    static Prefilter forRegex(String regex) {
        Prefilter p = CACHE.get(regex);
        if (p != null) return p;
        if (CACHE.size() > 10_000) CACHE.clear(); // regexes come from configs: only churn on pathological reloads
        p = compute(regex);
        CACHE.put(regex, p);
        return p;
    }

    static Prefilter compute(String regex) {
        if (regex.indexOf('|') >= 0) return alternation(regex);
        int start = regex.startsWith("^") ? 1 : 0;
        int end = regex.length();
        boolean dollar = end > start && regex.charAt(end - 1) == '$' && (end - 2 < 0 || regex.charAt(end - 2) != '\\');
        if (dollar) end--;
        if (regex.startsWith(".*", start) && allLiteral(regex, start + 2, end)) {
            // (?s) makes . match anything, so ".*-metrics" matches exactly the strings ending in "-metrics"
            return new Prefilter("", false, null, regex.substring(start + 2, end));
        }
        int i = start;
        while (i < end && isLiteral(regex.charAt(i))) i++;
        if (i == end) return new Prefilter(regex.substring(start, end), true);
        // a quantifier after the last literal char makes that char optional or repeated
        char next = regex.charAt(i);
        if (next == '*' || next == '?' || next == '{' || next == '+') i = next == '+' ? i : i - 1;
        if (i <= start) return NONE;
        return new Prefilter(regex.substring(start, i), false);
    }

    /** {@code a|b|c} of plain literals decides by set membership; anything fancier gets no filter. */
    private static Prefilter alternation(String regex) {
        java.util.Set<String> alts = new java.util.HashSet<>();
        for (String alt : regex.split("\\|", -1)) {
            for (int i = 0; i < alt.length(); i++) if (!isLiteral(alt.charAt(i))) return NONE;
            alts.add(alt);
        }
        return new Prefilter("", false, java.util.Set.copyOf(alts), null);
    }

    private static boolean allLiteral(String s, int from, int to) {
        for (int i = from; i < to; i++) if (!isLiteral(s.charAt(i))) return false;
        return true;
    }

    private static boolean isLiteral(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == ':' || c == '/' || c == ',' || c == '=' || c == '@' || c == ' ' || c == ';'
                || c == '#' || c == '%' || c == '&' || c == '~' || c == '!' || c == '<' || c == '>' || c == '\'' || c == '"';
    }
}
