package io.pyrometer.operator.crd.monitoring.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.pyrometer.operator.crd.Tolerant;
import java.util.List;
import java.util.Map;

/** {@code PrometheusRuleSpec} of upstream's prometheusrule_types.go. */
@PreserveUnknownFields
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusRuleSpec extends Tolerant {
    public List<RuleGroup> groups;

    /** {@code RuleGroup}: field names are the rule file's (snake_case), as upstream. */
    @PreserveUnknownFields
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class RuleGroup extends Tolerant {
        public String name;
        public Map<String, String> labels;
        public String interval;
        @JsonProperty("query_offset")
        public String queryOffset;
        public List<Rule> rules;
        public Integer limit;
        @JsonProperty("partial_response_strategy")
        public String partialResponseStrategy;
    }

    /** {@code Rule}: {@code expr} is an int-or-string upstream. */
    @PreserveUnknownFields
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Rule extends Tolerant {
        public String record;
        public String alert;
        public IntOrString expr;
        @JsonProperty("for")
        public String forDuration;
        @JsonProperty("keep_firing_for")
        public String keepFiringFor;
        public Map<String, String> labels;
        public Map<String, String> annotations;

        /** The expression as text ({@code expr: 1} is the query {@code 1}). */
        public String exprText() {
            if (expr == null) return null;
            return expr.getStrVal() != null ? expr.getStrVal() : String.valueOf(expr.getIntVal());
        }
    }
}
