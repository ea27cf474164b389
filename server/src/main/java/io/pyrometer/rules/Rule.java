package io.pyrometer.rules;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.ast.Printer;
import io.pyrometer.promql.engine.Value;
import io.pyrometer.promql.parser.Parser;
import io.pyrometer.promql.parser.ParserOptions;
import java.util.List;

/**
 * A recording or alerting rule with its evaluation state. Evaluated by its group's thread only;
 * the status fields are volatile so the HTTP API reads them without locking.
 */
public abstract sealed class Rule permits RecordingRule, AlertingRule {
    private final String name;
    private final String expr;
    private final Labels labels;
    private volatile RuleHealth health = RuleHealth.UNKNOWN;
    private volatile String lastError = "";
    private volatile long lastEvaluationMs;
    private volatile long evaluationTimeNanos;

    Rule(String name, String expr, Labels labels) {
        this.name = name;
        this.expr = expr;
        this.labels = labels;
    }

    /** The alert name or recorded metric name. */
    public String name() { return name; }

    /** The PromQL expression as written in the rule file (what is evaluated). */
    public String expr() { return expr; }

    /** The expression as Prometheus prints its parsed form (the API's {@code query}, generator URLs). */
    public String query() {
        String p = printed;
        if (p == null) {
            try {
                p = Printer.print(Parser.parseExpr(expr, ParserOptions.EXPERIMENTAL));
            } catch (RuntimeException e) {
                p = expr;
            }
            printed = p;
        }
        return p;
    }

    private volatile String printed;

    /** The rule's labels (group labels merged under the rule's own), values unexpanded. */
    public Labels labels() { return labels; }

    public RuleHealth health() { return health; }

    /** Empty when the last evaluation succeeded. */
    public String lastError() { return lastError; }

    /** Wall-clock start of the last evaluation, 0 before the first. */
    public long lastEvaluationMs() { return lastEvaluationMs; }

    public long evaluationTimeNanos() { return evaluationTimeNanos; }

    void setHealth(RuleHealth h, String err) {
        health = h;
        lastError = err == null ? "" : err;
    }

    void setEvaluation(long startMs, long nanos) {
        lastEvaluationMs = startMs;
        evaluationTimeNanos = nanos;
    }

    /**
     * Evaluates for the group's evaluation time {@code tsMs}: queries at {@code tsMs - queryOffsetMs}
     * and returns the samples to append, timestamped there.
     *
     * @param limit 0 for none; more output series (or active alerts) than this fails the evaluation
     */
    abstract List<Value.Sample> eval(long tsMs, long queryOffsetMs, QueryFunction query, int limit) throws Exception;

    /** {@code name + labels}: how reloads match a new rule to its old state (Prometheus's {@code nameAndLabels}). */
    String identity() { return name + labels; }
}
