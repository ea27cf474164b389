package io.pyrometer.rules;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One rule as written in a rule file (Prometheus's {@code rulefmt.Rule}): a recording rule when
 * {@code record} is set, an alerting rule when {@code alert} is. Maps are sorted by key, as Go marshals them.
 *
 * @param line        1-based line of the rule's {@code record:} or {@code alert:} value (for errors)
 * @param exprLine    1-based line of the {@code expr:} value (the rule's line when absent)
 * @param forMs       {@code for}, 0 when absent
 * @param keepFiringForMs {@code keep_firing_for}, 0 when absent
 */
public record RuleDef(String record, String alert, String expr, long forMs, long keepFiringForMs,
                      Map<String, String> labels, Map<String, String> annotations, int line, int column,
                      int exprLine, int exprColumn) {
    public RuleDef {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    public boolean isAlert() { return !alert.isEmpty(); }

    /** The rule's name: the alert name or the recorded metric name. */
    public String name() { return isAlert() ? alert : record; }
}
