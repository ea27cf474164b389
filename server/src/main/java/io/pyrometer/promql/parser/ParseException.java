package io.pyrometer.promql.parser;

import io.pyrometer.promql.ast.PosRange;
import java.nio.charset.StandardCharsets;

/**
 * A query that does not parse or type-check. {@link #getMessage()} is Prometheus's form,
 * {@code 1:5: parse error: unexpected end of input}: 1-based line and column (UTF-8 bytes into
 * that line, as Prometheus counts) of where the problem starts. {@link #errorText()} is the part after {@code parse error: }.
 */
public final class ParseException extends RuntimeException {
    private final PosRange pos;
    private final int line;
    private final int column;
    private final String errorText;

    ParseException(String query, PosRange pos, String errorText) {
        super(format(query, pos, errorText), null, false, false);
        this.pos = pos;
        int[] lc = lineAndColumn(query, pos.start());
        this.line = lc[0];
        this.column = lc[1];
        this.errorText = errorText;
    }

    /** Where in the query (character offsets) the problem is. */
    public PosRange pos() { return pos; }

    /** 1-based line. */
    public int line() { return line; }

    /** 1-based column within {@link #line()}, counted in UTF-8 bytes as Prometheus counts it. */
    public int column() { return column; }

    /** The message without position, e.g. {@code unexpected <EOF>}. */
    public String errorText() { return errorText; }

    private static String format(String query, PosRange pos, String errorText) {
        int[] lc = lineAndColumn(query, pos.start());
        return lc[0] + ":" + lc[1] + ": parse error: " + errorText;
    }

    /** Line and column, both 1-based, of character offset {@code pos}. */
    static int[] lineAndColumn(String query, int pos) {
        int p = Math.max(0, Math.min(pos, query.length()));
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < p; i++) {
            if (query.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int bytes = query.substring(lineStart, p).getBytes(StandardCharsets.UTF_8).length;
        return new int[] {line, bytes + 1};
    }
}
