package io.pyrometer.operator.generate;

import io.pyrometer.operator.crd.monitoring.v1.PrometheusRule;
import java.util.List;

/**
 * Checks a PrometheusRule before its rule file is deployed. A rule resource with problems is
 * rejected alone (its file is left out, its binding says why, a Warning Event is recorded); the
 * other resources keep working.
 *
 * <p>This is the seam where the rules engine's rule-file validator (branch {@code rules},
 * package {@code io.pyrometer.rules}) plugs in once merged: it will also check templates
 * ({@code {{ $labels.x }}}) with the server's own template engine. Until then
 * {@link PromqlRuleValidator} checks structure and every {@code expr} with the server's PromQL parser.
 */
public interface RuleValidator {
    /** Problems found, in file order; empty when the resource is fine. Never throws for bad input. */
    List<Problem> validate(PrometheusRule rule);

    /**
     * One problem. {@code line}/{@code column} are 1-based within the rule's {@code expr} (0 when the
     * problem is not in an expression); {@code ruleIndex} is 1-based in its group, 0 for the group.
     */
    record Problem(String group, int ruleIndex, String ruleName, int line, int column, String message) {
        /** {@code group "g", rule 2 (alert "X"): expr 1:8: parse error: ...} */
        public String describe() {
            StringBuilder sb = new StringBuilder("group \"").append(group).append('"');
            if (ruleIndex > 0) {
                sb.append(", rule ").append(ruleIndex);
                if (ruleName != null) sb.append(" (").append(ruleName).append(')');
            }
            sb.append(": ");
            if (line > 0) sb.append("expr ").append(line).append(':').append(column).append(": ");
            return sb.append(message).toString();
        }
    }
}
