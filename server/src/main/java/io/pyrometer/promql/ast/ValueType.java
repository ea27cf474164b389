package io.pyrometer.promql.ast;

/** The type a PromQL expression evaluates to, named as Prometheus names it in error messages. */
public enum ValueType {
    NONE("none"),
    SCALAR("scalar"),
    VECTOR("instant vector"),
    MATRIX("range vector"),
    STRING("string");

    private final String documentedName;

    ValueType(String documentedName) { this.documentedName = documentedName; }

    /** The name used in Prometheus's error messages, e.g. {@code "instant vector"}. */
    public String documentedName() { return documentedName; }

    /** The name used in API responses ({@code resultType}): scalar, vector, matrix, string. */
    public String apiName() {
        return switch (this) {
            case NONE -> "none";
            case SCALAR -> "scalar";
            case VECTOR -> "vector";
            case MATRIX -> "matrix";
            case STRING -> "string";
        };
    }
}
