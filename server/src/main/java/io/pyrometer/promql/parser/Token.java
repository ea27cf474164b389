package io.pyrometer.promql.parser;

import io.pyrometer.promql.ast.PosRange;

/** A lexed token: its type, start offset (in chars) and text. */
record Token(TokenType type, int pos, String val) {
    PosRange range() { return new PosRange(pos, pos + val.length()); }

    int end() { return pos + val.length(); }

    /** How Prometheus names the token in "unexpected ..." messages ({@code Item.desc()}). */
    String desc() {
        if (type.fixedText != null) return text();
        return switch (type) {
            case EOF -> "end of input";
            case ERROR -> "error " + text();
            case COMMENT -> "comment " + text();
            case IDENTIFIER -> "identifier " + text();
            case METRIC_IDENTIFIER -> "metric identifier " + text();
            case NUMBER -> "number " + text();
            case DURATION -> "duration " + text();
            case STRING -> "string " + text();
            default -> text();
        };
    }

    /** Prometheus's {@code Item.String()}. */
    String text() {
        if (type == TokenType.EOF) return "EOF";
        if (type == TokenType.ERROR) return val;
        if (type == TokenType.IDENTIFIER || type == TokenType.METRIC_IDENTIFIER) return GoQuote.quote(val);
        return switch (type.kind) {
            case KEYWORD -> "<" + val + ">";
            case OPERATOR -> "<op:" + val + ">";
            case AGGREGATOR -> "<aggr:" + val + ">";
            case OTHER -> val.codePointCount(0, val.length()) > 10
                    ? GoQuote.quote(val.substring(0, val.offsetByCodePoints(0, 10))) + "..."
                    : GoQuote.quote(val);
        };
    }
}
