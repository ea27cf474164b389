package io.pyrometer.model.textparse;

/**
 * The only exception the exposition parsers throw: bad input at a line and column (both 1-based;
 * the column counts bytes). The message reads {@code 3:7: expected equal, got "c" ("LNAME") while
 * parsing: "{\"a\",b c"}, with Prometheus's wording after the position.
 */
public final class TextParseException extends Exception {
    private final int line;
    private final int column;
    private final String detail;

    public TextParseException(int line, int column, String message) {
        super(line + ":" + column + ": " + message, null, false, false);
        this.line = line;
        this.column = column;
        this.detail = message;
    }

    public int line() { return line; }
    public int column() { return column; }
    /** The message without the position prefix, as Prometheus would print it. */
    public String detail() { return detail; }
}
