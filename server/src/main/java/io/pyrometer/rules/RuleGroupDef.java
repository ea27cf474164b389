package io.pyrometer.rules;

import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One group of a rule file (Prometheus's {@code rulefmt.RuleGroup}).
 *
 * @param intervalMs    {@code interval}, 0 when absent (then {@code global.evaluation_interval})
 * @param queryOffsetMs {@code query_offset}, -1 when absent (then {@code global.rule_query_offset})
 * @param limit         {@code limit}, 0 = no limit
 * @param labels        labels added to every rule's output (Prometheus 3.5+)
 */
public record RuleGroupDef(String name, long intervalMs, long queryOffsetMs, int limit, Map<String, String> labels,
                           List<RuleDef> rules, int line, int column) {
    public RuleGroupDef {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        rules = List.copyOf(rules);
    }
}
