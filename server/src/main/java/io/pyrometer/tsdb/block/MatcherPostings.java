package io.pyrometer.tsdb.block;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.tsdb.index.IndexReader;
import io.pyrometer.tsdb.index.Postings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus's {@code PostingsForMatchers}: matchers that reject the empty string select series
 * by their matching values (intersected); matchers that accept it subtract the series whose value
 * they reject, since a missing label is the empty string. Equality and literal alternations
 * ({@code =~"a|b"}) are set lookups; other regexes scan the label's values.
 */
public final class MatcherPostings {
    private MatcherPostings() {}

    public static Postings forMatchers(IndexReader ix, List<LabelMatcher> matchers) throws IOException {
        List<Postings> its = new ArrayList<>();
        List<Postings> notIts = new ArrayList<>();
        for (LabelMatcher m : matchers) {
            if (!m.matchesEmpty()) {
                Postings p = ix.postings(m.name(), valuesMatching(ix, m, true));
                if (p == Postings.EMPTY) return Postings.EMPTY;
                its.add(p);
            } else {
                List<String> drop = valuesMatching(ix, m, false);
                if (!drop.isEmpty()) notIts.add(ix.postings(m.name(), drop));
            }
        }
        Postings base = its.isEmpty() ? ix.allPostings() : Postings.intersect(its);
        return notIts.isEmpty() ? base : Postings.without(base, Postings.merge(notIts));
    }

    /** Values of {@code m.name()} that {@code m} accepts (want true) or rejects (want false). */
    static List<String> valuesMatching(IndexReader ix, LabelMatcher m, boolean want) {
        LabelMatcher.Type t = m.type();
        boolean positiveSet = want ? t == LabelMatcher.Type.EQ : t == LabelMatcher.Type.NEQ;
        if (positiveSet) return List.of(m.value());
        boolean regexSet = want ? t == LabelMatcher.Type.RE : t == LabelMatcher.Type.NRE;
        if (regexSet) {
            List<String> alts = literalAlternatives(m.value());
            if (alts != null) return alts;
        }
        List<String> out = new ArrayList<>();
        for (String v : ix.labelValues(m.name())) {
            if (m.matches(v) == want) out.add(v);
        }
        return out;
    }

    /** {@code "a|b|c"} as its literals, or null when the regex has any other syntax. */
    static List<String> literalAlternatives(String regex) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= regex.length(); i++) {
            if (i == regex.length() || regex.charAt(i) == '|') {
                out.add(regex.substring(start, i));
                start = i + 1;
            } else if ("\\.+*?()[]{}^$".indexOf(regex.charAt(i)) >= 0) {
                return null;
            }
        }
        return out;
    }
}
