package io.pyrometer.promql.ast;

/** Binary operators with Prometheus's precedence (higher binds tighter). */
public enum BinOp {
    LOR("or", 1), LAND("and", 2), LUNLESS("unless", 2),
    EQLC("==", 3), NEQ("!=", 3), GTR(">", 3), LSS("<", 3), GTE(">=", 3), LTE("<=", 3),
    ADD("+", 4), SUB("-", 4),
    MUL("*", 5), DIV("/", 5), MOD("%", 5), ATAN2("atan2", 5),
    /** {@code </}: trims a native histogram's observations above the scalar (experimental in Prometheus). */
    TRIM_UPPER("</", 5),
    /** {@code >/}: trims a native histogram's observations below the scalar. */
    TRIM_LOWER(">/", 5),
    POW("^", 6);

    private final String text;
    private final int precedence;

    BinOp(String text, int precedence) {
        this.text = text;
        this.precedence = precedence;
    }

    /** How the operator is written, e.g. {@code "=="} or {@code "unless"}. */
    public String text() { return text; }

    public int precedence() { return precedence; }

    /** Only {@code ^} is right-associative. */
    public boolean rightAssociative() { return this == POW; }

    public boolean isComparison() { return precedence == 3; }

    public boolean isSetOperator() { return this == LAND || this == LOR || this == LUNLESS; }

    @Override public String toString() { return text; }
}
