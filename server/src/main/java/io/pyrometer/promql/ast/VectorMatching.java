package io.pyrometer.promql.ast;

import java.util.List;

/**
 * How the two instant vectors of a binary expression are matched.
 *
 * @param matchingLabels the {@code on(...)} / {@code ignoring(...)} labels
 * @param on             true for {@code on}, false for {@code ignoring} (or nothing)
 * @param include        the {@code group_left(...)} / {@code group_right(...)} extra labels
 * @param fill           the experimental {@code fill}/{@code fill_left}/{@code fill_right} values, or null
 */
public record VectorMatching(Card card, List<String> matchingLabels, boolean on, List<String> include,
                             FillValues fill) {
    public enum Card {
        ONE_TO_ONE("one-to-one"), MANY_TO_ONE("many-to-one"), ONE_TO_MANY("one-to-many"), MANY_TO_MANY("many-to-many");

        private final String text;

        Card(String text) { this.text = text; }

        @Override public String toString() { return text; }
    }

    /**
     * Values for a side with no matching series: {@code lhs} fills a missing left-hand sample
     * ({@code fill_left}), {@code rhs} a missing right-hand one ({@code fill_right}); null = no fill.
     */
    public record FillValues(Double lhs, Double rhs) {}

    public VectorMatching {
        matchingLabels = List.copyOf(matchingLabels);
        include = List.copyOf(include);
    }

    public VectorMatching(Card card, List<String> matchingLabels, boolean on, List<String> include) {
        this(card, matchingLabels, on, include, null);
    }
}
