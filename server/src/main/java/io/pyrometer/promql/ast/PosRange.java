package io.pyrometer.promql.ast;

/**
 * Character offsets {@code [start, end)} of a node in the query string, for error messages.
 * {@link #NONE} marks nodes built programmatically.
 */
public record PosRange(int start, int end) {
    public static final PosRange NONE = new PosRange(-1, -1);

    /** The range covering both {@code a} and {@code b} (which must appear in that order). */
    public static PosRange merge(PosRange a, PosRange b) { return new PosRange(a.start, b.end); }
}
