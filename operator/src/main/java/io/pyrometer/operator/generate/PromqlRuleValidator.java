package io.pyrometer.operator.generate;

import io.pyrometer.operator.crd.monitoring.v1.PrometheusRule;
import io.pyrometer.operator.crd.monitoring.v1.PrometheusRuleSpec.Rule;
import io.pyrometer.operator.crd.monitoring.v1.PrometheusRuleSpec.RuleGroup;
import io.pyrometer.promql.parser.ParseException;
import io.pyrometer.promql.parser.Parser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rule checks as Prometheus's {@code rulefmt} does them (rulefmt.go {@code RuleGroups.Validate}):
 * group names present and unique, exactly one of record/alert, a valid record name, {@code for}
 * and annotations only on alerts, valid label names, and every {@code expr} parsed and
 * type-checked by the server's own PromQL parser. Templates are not checked yet (see
 * {@link RuleValidator}).
 */
public final class PromqlRuleValidator implements RuleValidator {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    @Override
    public List<Problem> validate(PrometheusRule r) {
        List<Problem> out = new ArrayList<>();
        List<RuleGroup> groups = r.getSpec() == null || r.getSpec().groups == null ? List.of() : r.getSpec().groups;
        Set<String> seen = new HashSet<>();
        for (RuleGroup g : groups) {
            String gname = g.name == null ? "" : g.name;
            if (gname.isEmpty()) out.add(new Problem(gname, 0, null, 0, 0, "group name must not be empty"));
            else if (!seen.add(gname)) out.add(new Problem(gname, 0, null, 0, 0, "repeated group name: give each group a unique name"));
            List<Rule> rules = g.rules == null ? List.of() : g.rules;
            for (int i = 0; i < rules.size(); i++) validateRule(gname, i + 1, rules.get(i), out);
        }
        return out;
    }

    private static void validateRule(String group, int index, Rule rule, List<Problem> out) {
        boolean isRecord = rule.record != null && !rule.record.isEmpty();
        boolean isAlert = rule.alert != null && !rule.alert.isEmpty();
        String name = isRecord ? "record \"" + rule.record + "\"" : isAlert ? "alert \"" + rule.alert + "\"" : null;
        if (isRecord == isAlert) {
            out.add(new Problem(group, index, name, 0, 0, isRecord
                    ? "only one of 'record' and 'alert' must be set" : "one of 'record' or 'alert' must be set"));
        }
        if (isRecord && !METRIC_NAME.matcher(rule.record).matches()) {
            out.add(new Problem(group, index, name, 0, 0, "invalid recording rule name: " + rule.record
                    + " (use [a-zA-Z_:][a-zA-Z0-9_:]*)"));
        }
        if (isRecord && rule.annotations != null && !rule.annotations.isEmpty()) {
            out.add(new Problem(group, index, name, 0, 0, "invalid field 'annotations' in recording rule"));
        }
        if (isRecord && rule.forDuration != null && !rule.forDuration.isEmpty()) {
            out.add(new Problem(group, index, name, 0, 0, "invalid field 'for' in recording rule"));
        }
        if (rule.labels != null) {
            for (Map.Entry<String, String> e : rule.labels.entrySet()) {
                if (!LABEL_NAME.matcher(e.getKey()).matches() || e.getKey().startsWith("__")) {
                    out.add(new Problem(group, index, name, 0, 0, "invalid label name: " + e.getKey()));
                }
            }
        }
        String expr = rule.exprText();
        if (expr == null || expr.isBlank()) {
            out.add(new Problem(group, index, name, 0, 0, "field 'expr' must be set in rule"));
            return;
        }
        try {
            Parser.parseExpr(expr);
        } catch (ParseException e) {
            out.add(new Problem(group, index, name, e.line(), e.column(), "parse error: " + e.errorText()));
        }
    }
}
