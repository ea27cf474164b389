package io.pyrometer.operator.generate;

import io.pyrometer.operator.crd.monitoring.v1.PrometheusRule;
import io.pyrometer.operator.crd.monitoring.v1.PrometheusRuleSpec.Rule;
import io.pyrometer.operator.crd.monitoring.v1.PrometheusRuleSpec.RuleGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Prometheus rule file per PrometheusRule, named {@code <namespace>-<name>-<uid>.yaml} as
 * prometheus-operator names them (pkg/prometheus/server/rules.go), holding the resource's
 * {@code spec.groups} in rule-file YAML. Thanos-only {@code partial_response_strategy} is
 * dropped, as prometheus-operator does for Prometheus.
 */
public final class RuleFiles {
    private RuleFiles() {}

    public static String fileName(PrometheusRule r) {
        String uid = r.getMetadata().getUid() == null ? "" : r.getMetadata().getUid();
        return r.getMetadata().getNamespace() + "-" + r.getMetadata().getName() + "-" + uid + ".yaml";
    }

    public static String content(PrometheusRule r) {
        List<Map<String, Object>> groups = new ArrayList<>();
        List<RuleGroup> gs = r.getSpec() == null || r.getSpec().groups == null ? List.of() : r.getSpec().groups;
        for (RuleGroup g : gs) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("name", g.name);
            if (g.interval != null && !g.interval.isEmpty()) gm.put("interval", g.interval);
            if (g.queryOffset != null && !g.queryOffset.isEmpty()) gm.put("query_offset", g.queryOffset);
            if (g.limit != null && g.limit != 0) gm.put("limit", g.limit);
            if (g.labels != null && !g.labels.isEmpty()) gm.put("labels", g.labels);
            List<Map<String, Object>> rules = new ArrayList<>();
            for (Rule rule : g.rules == null ? List.<Rule>of() : g.rules) {
                Map<String, Object> rm = new LinkedHashMap<>();
                if (rule.record != null && !rule.record.isEmpty()) rm.put("record", rule.record);
                if (rule.alert != null && !rule.alert.isEmpty()) rm.put("alert", rule.alert);
                rm.put("expr", rule.exprText());
                if (rule.forDuration != null && !rule.forDuration.isEmpty()) rm.put("for", rule.forDuration);
                if (rule.keepFiringFor != null && !rule.keepFiringFor.isEmpty()) rm.put("keep_firing_for", rule.keepFiringFor);
                if (rule.labels != null && !rule.labels.isEmpty()) rm.put("labels", rule.labels);
                if (rule.annotations != null && !rule.annotations.isEmpty()) rm.put("annotations", rule.annotations);
                rules.add(rm);
            }
            gm.put("rules", rules);
            groups.add(gm);
        }
        return ServerConfig.yaml(Map.of("groups", groups));
    }
}
