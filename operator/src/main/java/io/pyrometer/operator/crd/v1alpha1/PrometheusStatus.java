package io.pyrometer.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import io.pyrometer.operator.crd.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed; written through the status subresource only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusStatus {
    @JsonPropertyDescription("The metadata.generation this status was computed for.")
    public Long observedGeneration;

    @StatusReplicas
    @JsonPropertyDescription("Shards currently reconciled (the scale subresource's status replicas).")
    public Integer shards;

    @JsonPropertyDescription("Pods desired across all shards.")
    public Integer replicas;

    @JsonPropertyDescription("Pods ready across all shards.")
    public Integer readyReplicas;

    @JsonPropertyDescription("Pods available across all shards.")
    public Integer availableReplicas;

    @LabelSelector
    @JsonPropertyDescription("Label selector of all this Prometheus's pods (for the scale subresource and HPA).")
    public String selector;

    @JsonPropertyDescription("Reconciled: the last reconciliation applied everything (or why not). Available: every pod is ready. Reasons include NoSelectedResources.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("One entry per shard.")
    public List<ShardStatus> shardStatuses = new ArrayList<>();

    /** Per-shard replica counts, as prometheus-operator's {@code ShardStatus}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ShardStatus {
        @JsonPropertyDescription("Shard index.")
        public String shardID;
        @JsonPropertyDescription("Pods desired in this shard.")
        public Integer replicas;
        @JsonPropertyDescription("Pods ready in this shard.")
        public Integer readyReplicas;
        @JsonPropertyDescription("Pods updated to the current revision in this shard.")
        public Integer updatedReplicas;
        @JsonPropertyDescription("Pods available in this shard.")
        public Integer availableReplicas;
    }
}
