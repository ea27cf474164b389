package io.pyrometer.promql.parser;

import java.util.Locale;

/** Token types of the PromQL lexer, grouped as Prometheus groups them for error messages. */
enum TokenType {
    EOF(Kind.OTHER, null), ERROR(Kind.OTHER, null), COMMENT(Kind.OTHER, null),
    IDENTIFIER(Kind.OTHER, null), METRIC_IDENTIFIER(Kind.OTHER, null),
    NUMBER(Kind.OTHER, null), DURATION(Kind.OTHER, null), STRING(Kind.OTHER, null),
    LEFT_PAREN(Kind.OTHER, "("), RIGHT_PAREN(Kind.OTHER, ")"),
    LEFT_BRACE(Kind.OTHER, "{"), RIGHT_BRACE(Kind.OTHER, "}"),
    LEFT_BRACKET(Kind.OTHER, "["), RIGHT_BRACKET(Kind.OTHER, "]"),
    COMMA(Kind.OTHER, ","), EQL(Kind.OTHER, "="), COLON(Kind.OTHER, ":"),

    ADD(Kind.OPERATOR, "+"), SUB(Kind.OPERATOR, "-"), MUL(Kind.OPERATOR, "*"), DIV(Kind.OPERATOR, "/"),
    MOD(Kind.OPERATOR, "%"), POW(Kind.OPERATOR, "^"), EQLC(Kind.OPERATOR, "=="), NEQ(Kind.OPERATOR, "!="),
    LTE(Kind.OPERATOR, "<="), LSS(Kind.OPERATOR, "<"), GTE(Kind.OPERATOR, ">="), GTR(Kind.OPERATOR, ">"),
    EQL_REGEX(Kind.OPERATOR, "=~"), NEQ_REGEX(Kind.OPERATOR, "!~"), AT(Kind.OPERATOR, "@"),
    TRIM_UPPER(Kind.OPERATOR, "</"), TRIM_LOWER(Kind.OPERATOR, ">/"),
    LAND(Kind.OPERATOR, "and"), LOR(Kind.OPERATOR, "or"), LUNLESS(Kind.OPERATOR, "unless"), ATAN2(Kind.OPERATOR, "atan2"),

    SUM(Kind.AGGREGATOR, "sum"), AVG(Kind.AGGREGATOR, "avg"), COUNT(Kind.AGGREGATOR, "count"),
    MIN(Kind.AGGREGATOR, "min"), MAX(Kind.AGGREGATOR, "max"), GROUP(Kind.AGGREGATOR, "group"),
    STDDEV(Kind.AGGREGATOR, "stddev"), STDVAR(Kind.AGGREGATOR, "stdvar"), TOPK(Kind.AGGREGATOR, "topk"),
    BOTTOMK(Kind.AGGREGATOR, "bottomk"), COUNT_VALUES(Kind.AGGREGATOR, "count_values"),
    QUANTILE(Kind.AGGREGATOR, "quantile"), LIMITK(Kind.AGGREGATOR, "limitk"),
    LIMIT_RATIO(Kind.AGGREGATOR, "limit_ratio"),

    OFFSET(Kind.KEYWORD, "offset"), SMOOTHED(Kind.KEYWORD, "smoothed"), ANCHORED(Kind.KEYWORD, "anchored"),
    BY(Kind.KEYWORD, "by"), WITHOUT(Kind.KEYWORD, "without"), ON(Kind.KEYWORD, "on"),
    IGNORING(Kind.KEYWORD, "ignoring"), GROUP_LEFT(Kind.KEYWORD, "group_left"),
    GROUP_RIGHT(Kind.KEYWORD, "group_right"), BOOL(Kind.KEYWORD, "bool"),
    START(Kind.KEYWORD, "start"), END(Kind.KEYWORD, "end"), STEP(Kind.KEYWORD, "step"),
    // Only inside brackets (duration expressions); elsewhere these words are identifiers.
    RANGE(Kind.KEYWORD, "range"), MIN_OF(Kind.KEYWORD, "min_of"), MAX_OF(Kind.KEYWORD, "max_of");

    enum Kind { OTHER, OPERATOR, AGGREGATOR, KEYWORD }

    final Kind kind;
    /** Prometheus's {@code ItemTypeStr}: the fixed text, or null for tokens with variable text. */
    final String fixedText;

    TokenType(Kind kind, String fixedText) {
        this.kind = kind;
        this.fixedText = fixedText;
    }

    /** The word's keyword/operator/aggregator type outside braces (case-insensitive), or null. */
    static TokenType keyword(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return switch (w) {
            case "and" -> LAND;
            case "or" -> LOR;
            case "unless" -> LUNLESS;
            case "atan2" -> ATAN2;
            case "sum" -> SUM;
            case "avg" -> AVG;
            case "count" -> COUNT;
            case "min" -> MIN;
            case "max" -> MAX;
            case "group" -> GROUP;
            case "stddev" -> STDDEV;
            case "stdvar" -> STDVAR;
            case "topk" -> TOPK;
            case "bottomk" -> BOTTOMK;
            case "count_values" -> COUNT_VALUES;
            case "quantile" -> QUANTILE;
            case "limitk" -> LIMITK;
            case "limit_ratio" -> LIMIT_RATIO;
            case "offset" -> OFFSET;
            case "smoothed" -> SMOOTHED;
            case "anchored" -> ANCHORED;
            case "by" -> BY;
            case "without" -> WITHOUT;
            case "on" -> ON;
            case "ignoring" -> IGNORING;
            case "group_left" -> GROUP_LEFT;
            case "group_right" -> GROUP_RIGHT;
            case "bool" -> BOOL;
            case "start" -> START;
            case "end" -> END;
            case "step" -> STEP;
            case "inf", "nan" -> NUMBER;
            default -> null;
        };
    }

    boolean isAggregator() { return kind == Kind.AGGREGATOR; }

    boolean isKeyword() { return kind == Kind.KEYWORD; }
}
