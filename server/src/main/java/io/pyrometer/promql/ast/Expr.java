package io.pyrometer.promql.ast;

/**
 * A PromQL expression node. Every node is an immutable record; {@code toString()} gives the
 * canonical form Prometheus's {@code String()} gives (see {@link Printer}).
 *
 * <pre>{@code
 * switch (expr) {
 *     case NumberLiteral n -> ...;
 *     case VectorSelector vs -> ...;
 *     ...
 * }
 * }</pre>
 */
public sealed interface Expr
        permits AggregateExpr, BinaryExpr, Call, DurationExpr, MatrixSelector, NumberLiteral, ParenExpr,
        StepInvariantExpr, StringLiteral, SubqueryExpr, UnaryExpr, VectorSelector {

    /** The type this expression evaluates to (already checked by the parser). */
    ValueType type();

    /** Where this node is in the query string. */
    PosRange pos();
}
