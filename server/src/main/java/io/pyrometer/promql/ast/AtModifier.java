package io.pyrometer.promql.ast;

/** The {@code @} modifier: a fixed timestamp, or {@code start()} / {@code end()} of the query. */
public record AtModifier(Kind kind, long timestampMs) {
    public enum Kind { START, END, TIMESTAMP }

    public static final AtModifier START = new AtModifier(Kind.START, 0);
    public static final AtModifier END = new AtModifier(Kind.END, 0);

    public static AtModifier at(long timestampMs) { return new AtModifier(Kind.TIMESTAMP, timestampMs); }
}
