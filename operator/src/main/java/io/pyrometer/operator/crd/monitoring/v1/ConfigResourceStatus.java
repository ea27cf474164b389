package io.pyrometer.operator.crd.monitoring.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.pyrometer.operator.crd.Condition;
import io.pyrometer.operator.crd.Tolerant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ConfigResourceStatus} of upstream's types.go: one binding per workload (here: per
 * {@code pyrometer.io} Prometheus) that selected the resource, with an {@code Accepted} condition.
 */
@PreserveUnknownFields
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigResourceStatus extends Tolerant {
    public List<WorkloadBinding> bindings = new ArrayList<>();

    /** {@code WorkloadBinding} of upstream's types.go. */
    @PreserveUnknownFields
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class WorkloadBinding extends Tolerant {
        public String group;
        public String resource;
        public String name;
        public String namespace;
        public List<Condition> conditions = new ArrayList<>();
        /** Beyond upstream: targets discovered/up across the shards; absent until measured. */
        public Targets targets;
    }

    /** Beyond prometheus-operator: target health read from the shards' /api/v1/targets. */
    @PreserveUnknownFields
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Targets {
        public Integer discovered;
        public Integer up;
    }
}
