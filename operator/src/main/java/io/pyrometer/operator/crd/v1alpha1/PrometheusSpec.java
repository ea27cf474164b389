package io.pyrometer.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;

/**
 * The desired state of a Prometheus. Defaults are applied by {@code Defaults} (a pure function),
 * not written back: the operator never writes a user's spec.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusSpec {
    private static final String NULL_VS_EMPTY =
            " Null (the field absent) and {} differ, as in prometheus-operator:";

    @JsonPropertyDescription("Pyrometer version to run; used as the image tag when image is unset. Default: the operator's own version.")
    public String version;

    @JsonPropertyDescription("Container image to run (overrides version). Default: the operator's --default-image with tag version.")
    public String image;

    @SpecReplicas
    @Min(1)
    @JsonPropertyDescription("Number of shards: one StatefulSet each (<name> for shard 0, <name>-shard-N), targets split by hashmod of __address__ (a target opts out with the __tmp_disable_sharding label). Scale subresource. Scaling down keeps the retired shards' PVCs. Default 1.")
    public Integer shards;

    @Min(0)
    @JsonPropertyDescription("Pods per shard, each scraping the same targets (high availability). Default 1.")
    public Integer replicas;

    @JsonPropertyDescription("How long to keep data (--storage.tsdb.retention.time), e.g. 15d. Default 24h, as prometheus-operator.")
    public String retention;

    @JsonPropertyDescription("Maximum bytes of blocks to keep (--storage.tsdb.retention.size), e.g. 50GB. Default: unlimited.")
    public String retentionSize;

    @JsonPropertyDescription("Where each pod keeps its TSDB: an emptyDir (the default) or a PersistentVolumeClaim template.")
    public StorageSpec storage;

    @JsonPropertyDescription("CPU and memory requests and limits of the server container.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("ServiceMonitors to scrape, by label." + NULL_VS_EMPTY
            + " null selects no ServiceMonitor, {} selects all of them (in the namespaces serviceMonitorNamespaceSelector selects).")
    public LabelSelector serviceMonitorSelector;

    @JsonPropertyDescription("Namespaces to take ServiceMonitors from." + NULL_VS_EMPTY
            + " null means only this Prometheus's own namespace, {} means all namespaces.")
    public LabelSelector serviceMonitorNamespaceSelector;

    @JsonPropertyDescription("PodMonitors to scrape, by label." + NULL_VS_EMPTY
            + " null selects no PodMonitor, {} selects all of them (in the namespaces podMonitorNamespaceSelector selects).")
    public LabelSelector podMonitorSelector;

    @JsonPropertyDescription("Namespaces to take PodMonitors from." + NULL_VS_EMPTY
            + " null means only this Prometheus's own namespace, {} means all namespaces.")
    public LabelSelector podMonitorNamespaceSelector;

    @JsonPropertyDescription("PrometheusRules to evaluate, by label." + NULL_VS_EMPTY
            + " null selects no PrometheusRule, {} selects all of them (in the namespaces ruleNamespaceSelector selects).")
    public LabelSelector ruleSelector;

    @JsonPropertyDescription("Namespaces to take PrometheusRules from." + NULL_VS_EMPTY
            + " null means only this Prometheus's own namespace, {} means all namespaces.")
    public LabelSelector ruleNamespaceSelector;

    @JsonPropertyDescription("AlertRoutes that make up the alert router's routing tree, by label." + NULL_VS_EMPTY
            + " null selects no AlertRoute, {} selects all of them (in the namespaces alertRouteNamespaceSelector selects).")
    public LabelSelector alertRouteSelector;

    @JsonPropertyDescription("Namespaces to take AlertRoutes from." + NULL_VS_EMPTY
            + " null means only this Prometheus's own namespace, {} means all namespaces.")
    public LabelSelector alertRouteNamespaceSelector;

    @JsonPropertyDescription("Default interval between scrapes (global.scrape_interval). Default 30s.")
    public String scrapeInterval;

    @JsonPropertyDescription("Default interval between rule evaluations (global.evaluation_interval). Default 30s.")
    public String evaluationInterval;

    @JsonPropertyDescription("Labels added to every series and alert leaving the server (global.external_labels). prometheus and prometheus_replica are reserved: set by the operator to <namespace>/<name> and the pod name.")
    public Map<String, String> externalLabels;

    @JsonPropertyDescription("When true the operator stops changing the owned objects (StatefulSets, Services, config); status is still updated.")
    public Boolean paused;

    @JsonPropertyDescription("Pod security context. Default: runAsNonRoot, runAsUser 1000, fsGroup 2000, seccomp RuntimeDefault (prometheus-operator's uid and group).")
    public PodSecurityContext securityContext;

    @JsonPropertyDescription("Node labels the pods must be scheduled on.")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the pods.")
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Affinity rules of the pods.")
    public Affinity affinity;

    @JsonPropertyDescription("A key of a Secret in this namespace holding extra scrape_configs (a YAML list) appended after the generated ones, as prometheus-operator's additionalScrapeConfigs; sharded the same way.")
    public SecretKeySelector additionalScrapeConfigs;

    @JsonPropertyDescription("The alert router (pyrometer alertmanager) built from the selected AlertRoutes.")
    public RouterSpec router;
}
