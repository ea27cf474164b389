package io.pyrometer.operator.generate;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.pyrometer.operator.crd.monitoring.v1.Endpoint;
import io.pyrometer.operator.crd.monitoring.v1.MonitorSpec;
import io.pyrometer.operator.crd.monitoring.v1.NamespaceSelector;
import io.pyrometer.operator.crd.monitoring.v1.PodMetricsEndpoint;
import io.pyrometer.operator.crd.monitoring.v1.PodMonitor;
import io.pyrometer.operator.crd.monitoring.v1.RelabelConfig;
import io.pyrometer.operator.crd.monitoring.v1.ScrapeEndpoint;
import io.pyrometer.operator.crd.monitoring.v1.ServiceMonitor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scrape jobs in prometheus-operator's generated form, field for field and in the same order:
 * {@code generateServiceMonitorConfig} and {@code generatePodMonitorConfig} of
 * prometheus-operator's pkg/prometheus/promcfg.go (job names {@code serviceMonitor/<ns>/<name>/<i>},
 * the selector-to-relabeling translation, the node/pod/namespace/service/container/job/endpoint
 * labels, the {@code __tmp_hash} hashmod sharding with the {@code __tmp_disable_sharding} opt-out).
 * The {@code *.golden} files under pkg/prometheus/testdata/ are the expected output
 * ({@code ScrapeJobsGoldenTest}).
 *
 * <p>Differences, all because there is no config-reloader sidecar to expand {@code $(SHARD)}: the
 * shard in the keep rule is the literal shard number of the config being generated (each shard gets
 * its own file) unless {@link Options#shardPlaceholder()} asks for upstream's {@code $(SHARD)}.
 * Jobs are YAML-ready trees ({@link LinkedHashMap}s keep the key order).
 */
public final class ScrapeJobs {
    /** prometheus-operator's placeholder the config-reloader replaces with the shard number. */
    public static final String SHARD_PLACEHOLDER = "$(SHARD)";

    /**
     * @param shards            total shards (the hashmod modulus)
     * @param shard             the shard this config is for, written as a literal, or
     *                          {@link #SHARD_PLACEHOLDER} for upstream's exact form
     * @param podTargetLabels   Prometheus-wide podTargetLabels (none in v1alpha1 yet)
     */
    public record Options(int shards, String shard, List<String> podTargetLabels) {
        public static Options forShard(int shards, int shard) { return new Options(shards, Integer.toString(shard), List.of()); }

        public boolean shardPlaceholder() { return SHARD_PLACEHOLDER.equals(shard); }
    }

    private ScrapeJobs() {}

    /** One job per endpoint of {@code m}, in endpoint order. */
    public static List<Map<String, Object>> serviceMonitor(ServiceMonitor m, Options o) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Endpoint> eps = m.getSpec().endpoints == null ? List.of() : m.getSpec().endpoints;
        for (int i = 0; i < eps.size(); i++) out.add(serviceMonitorJob(m, eps.get(i), i, o));
        return out;
    }

    /** One job per podMetricsEndpoint of {@code m}, in endpoint order. */
    public static List<Map<String, Object>> podMonitor(PodMonitor m, Options o) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<PodMetricsEndpoint> eps = m.getSpec().podMetricsEndpoints == null ? List.of() : m.getSpec().podMetricsEndpoints;
        for (int i = 0; i < eps.size(); i++) out.add(podMonitorJob(m, eps.get(i), i, o));
        return out;
    }

    static Map<String, Object> serviceMonitorJob(ServiceMonitor m, Endpoint ep, int i, Options o) {
        String ns = m.getMetadata().getNamespace();
        var spec = m.getSpec();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("job_name", "serviceMonitor/" + ns + "/" + m.getMetadata().getName() + "/" + i);
        header(cfg, ep);
        cfg.put("kubernetes_sd_configs", List.of(sdConfig("endpoints", spec.namespaceSelector, ns, spec.attachMetadata)));
        endpointBasics(cfg, ep);
        if (ep.bearerTokenFile != null && !ep.bearerTokenFile.isEmpty()) cfg.put("bearer_token_file", ep.bearerTokenFile);

        List<Map<String, Object>> r = initRelabelings();
        selectorRelabelings(r, spec.selector, "service");
        if (ep.port != null && !ep.port.isEmpty()) {
            r.add(keep(List.of("__meta_kubernetes_endpoint_port_name"), ep.port));
        } else if (ep.targetPort != null) {
            targetPortRelabeling(r, ep.targetPort);
        }
        List<String> kindName = List.of("__meta_kubernetes_endpoint_address_target_kind", "__meta_kubernetes_endpoint_address_target_name");
        r.add(map("source_labels", kindName, "separator", ";", "regex", "Node;(.*)", "replacement", "${1}", "target_label", "node"));
        r.add(map("source_labels", kindName, "separator", ";", "regex", "Pod;(.*)", "replacement", "${1}", "target_label", "pod"));
        r.add(copy("__meta_kubernetes_namespace", "namespace"));
        r.add(copy("__meta_kubernetes_service_name", "service"));
        r.add(copy("__meta_kubernetes_pod_name", "pod"));
        r.add(copy("__meta_kubernetes_pod_container_name", "container"));
        if (ep.filterRunning == null || ep.filterRunning) r.add(runningFilter());
        for (String l : nullToEmpty(spec.targetLabels)) r.add(labelFrom("__meta_kubernetes_service_label_", l));
        List<String> podLabels = new ArrayList<>(nullToEmpty(spec.podTargetLabels));
        podLabels.addAll(o.podTargetLabels());
        for (String l : podLabels) r.add(labelFrom("__meta_kubernetes_pod_label_", l));
        r.add(map("source_labels", List.of("__meta_kubernetes_service_name"), "target_label", "job", "replacement", "${1}"));
        if (spec.jobLabel != null && !spec.jobLabel.isEmpty()) r.add(labelAs("__meta_kubernetes_service_label_", spec.jobLabel, "job"));
        if (ep.port != null && !ep.port.isEmpty()) {
            r.add(map("target_label", "endpoint", "replacement", ep.port));
        } else if (ep.targetPort != null && !intOrStringText(ep.targetPort).isEmpty()) {
            r.add(map("target_label", "endpoint", "replacement", intOrStringText(ep.targetPort)));
        }
        r.addAll(relabelConfigs(ep.relabelings));
        sharding(r, o);
        cfg.put("relabel_configs", r);
        limitsAndTail(cfg, spec, ep);
        return cfg;
    }

    static Map<String, Object> podMonitorJob(PodMonitor m, PodMetricsEndpoint ep, int i, Options o) {
        String ns = m.getMetadata().getNamespace();
        var spec = m.getSpec();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("job_name", "podMonitor/" + ns + "/" + m.getMetadata().getName() + "/" + i);
        header(cfg, ep);
        cfg.put("kubernetes_sd_configs", List.of(sdConfig("pod", spec.namespaceSelector, ns, spec.attachMetadata)));
        endpointBasics(cfg, ep);

        List<Map<String, Object>> r = initRelabelings();
        if (ep.filterRunning == null || ep.filterRunning) r.add(runningFilter());
        selectorRelabelings(r, spec.selector, "pod");
        if (ep.port != null && !ep.port.isEmpty()) {
            r.add(keep(List.of("__meta_kubernetes_pod_container_port_name"), ep.port));
        } else if (ep.portNumber != null && ep.portNumber != 0) {
            r.add(keep(List.of("__meta_kubernetes_pod_container_port_number"), ep.portNumber));
        } else if (ep.targetPort != null) {
            targetPortRelabeling(r, ep.targetPort);
        }
        r.add(copy("__meta_kubernetes_namespace", "namespace"));
        r.add(copy("__meta_kubernetes_pod_container_name", "container"));
        r.add(copy("__meta_kubernetes_pod_name", "pod"));
        List<String> podLabels = new ArrayList<>(nullToEmpty(spec.podTargetLabels));
        podLabels.addAll(o.podTargetLabels());
        for (String l : podLabels) r.add(labelFrom("__meta_kubernetes_pod_label_", l));
        r.add(map("target_label", "job", "replacement", ns + "/" + m.getMetadata().getName()));
        if (spec.jobLabel != null && !spec.jobLabel.isEmpty()) r.add(labelAs("__meta_kubernetes_pod_label_", spec.jobLabel, "job"));
        if (ep.port != null && !ep.port.isEmpty()) {
            r.add(map("target_label", "endpoint", "replacement", ep.port));
        } else if (ep.targetPort != null && !intOrStringText(ep.targetPort).isEmpty()) {
            r.add(map("target_label", "endpoint", "replacement", intOrStringText(ep.targetPort)));
        }
        r.addAll(relabelConfigs(ep.relabelings));
        sharding(r, o);
        cfg.put("relabel_configs", r);
        limitsAndTail(cfg, spec, ep);
        return cfg;
    }

    private static void header(Map<String, Object> cfg, ScrapeEndpoint ep) {
        cfg.put("honor_labels", ep.honorLabels != null && ep.honorLabels);
        if (ep.honorTimestamps != null) cfg.put("honor_timestamps", ep.honorTimestamps);
        if (ep.trackTimestampsStaleness != null) cfg.put("track_timestamps_staleness", ep.trackTimestampsStaleness);
    }

    private static void endpointBasics(Map<String, Object> cfg, ScrapeEndpoint ep) {
        if (ep.interval != null && !ep.interval.isEmpty()) cfg.put("scrape_interval", ep.interval);
        if (ep.scrapeTimeout != null && !ep.scrapeTimeout.isEmpty()) cfg.put("scrape_timeout", ep.scrapeTimeout);
        if (ep.path != null && !ep.path.isEmpty()) cfg.put("metrics_path", ep.path);
        if (ep.params != null) cfg.put("params", ep.params);
        if (ep.scheme != null) cfg.put("scheme", ep.scheme.toLowerCase(Locale.ROOT));
        if (ep.followRedirects != null) cfg.put("follow_redirects", ep.followRedirects);
        if (ep.enableHttp2 != null) cfg.put("enable_http2", ep.enableHttp2);
    }

    private static void limitsAndTail(Map<String, Object> cfg, MonitorSpec spec, ScrapeEndpoint ep) {
        putIfSet(cfg, "sample_limit", spec.sampleLimit);
        putIfSet(cfg, "target_limit", spec.targetLimit);
        putIfSet(cfg, "label_limit", spec.labelLimit);
        putIfSet(cfg, "label_name_length_limit", spec.labelNameLengthLimit);
        putIfSet(cfg, "label_value_length_limit", spec.labelValueLengthLimit);
        putIfSet(cfg, "keep_dropped_targets", spec.keepDroppedTargets);
        if (spec.scrapeProtocols != null && !spec.scrapeProtocols.isEmpty()) cfg.put("scrape_protocols", spec.scrapeProtocols);
        if (spec.fallbackScrapeProtocol != null) cfg.put("fallback_scrape_protocol", spec.fallbackScrapeProtocol);
        if (ep.metricRelabelings != null && !ep.metricRelabelings.isEmpty()) {
            cfg.put("metric_relabel_configs", relabelConfigs(ep.metricRelabelings));
        }
    }

    private static void putIfSet(Map<String, Object> cfg, String key, Long v) {
        // promcfg.go getLimit: nil stays unset; no enforced limits in v1alpha1
        if (v != null) cfg.put(key, v);
    }

    /** {@code generateK8SSDConfig}: role, namespaces (from the monitor's namespaceSelector), attach_metadata. */
    private static Map<String, Object> sdConfig(String role, NamespaceSelector nsel, String ownNamespace, MonitorSpec.AttachMetadata am) {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("role", role);
        List<String> names = namespaces(nsel, ownNamespace);
        if (!names.isEmpty()) sd.put("namespaces", map("names", names));
        if (am != null) sd.put("attach_metadata", map("node", am.node != null && am.node));
        return sd;
    }

    /** Namespaces a monitor discovers in; empty means all of them. */
    public static List<String> namespacesOf(NamespaceSelector nsel, String ownNamespace) { return namespaces(nsel, ownNamespace); }

    /** {@code getNamespacesFromNamespaceSelector}: any = all (empty list), matchNames, else own namespace. */
    static List<String> namespaces(NamespaceSelector nsel, String ownNamespace) {
        if (nsel != null && nsel.any != null && nsel.any) return List.of();
        if (nsel == null || nsel.matchNames == null || nsel.matchNames.isEmpty()) return List.of(ownNamespace);
        return nsel.matchNames;
    }

    private static List<Map<String, Object>> initRelabelings() {
        List<Map<String, Object>> r = new ArrayList<>();
        r.add(map("source_labels", List.of("job"), "target_label", "__tmp_prometheus_job_name"));
        return r;
    }

    /** Label selector to keep/drop rules on {@code __meta_kubernetes_<kind>_label_*} (kind service or pod). */
    private static void selectorRelabelings(List<Map<String, Object>> r, LabelSelector sel, String kind) {
        if (sel == null) return;
        String label = "__meta_kubernetes_" + kind + "_label_";
        String present = "__meta_kubernetes_" + kind + "_labelpresent_";
        if (sel.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : new TreeMap<>(sel.getMatchLabels()).entrySet()) {
                String k = sanitize(e.getKey());
                r.add(map("action", "keep", "source_labels", List.of(label + k, present + k), "regex", "(" + e.getValue() + ");true"));
            }
        }
        if (sel.getMatchExpressions() != null) {
            for (LabelSelectorRequirement exp : sel.getMatchExpressions()) {
                String k = sanitize(exp.getKey());
                String values = exp.getValues() == null ? "" : String.join("|", exp.getValues());
                switch (exp.getOperator()) {
                    case "In" -> r.add(map("action", "keep", "source_labels", List.of(label + k, present + k), "regex", "(" + values + ");true"));
                    case "NotIn" -> r.add(map("action", "drop", "source_labels", List.of(label + k, present + k), "regex", "(" + values + ");true"));
                    case "Exists" -> r.add(map("action", "keep", "source_labels", List.of(present + k), "regex", "true"));
                    case "DoesNotExist" -> r.add(map("action", "drop", "source_labels", List.of(present + k), "regex", "true"));
                    default -> { } // rejected earlier by MonitorValidator
                }
            }
        }
    }

    private static void targetPortRelabeling(List<Map<String, Object>> r, IntOrString tp) {
        if (tp.getStrVal() != null && !tp.getStrVal().isEmpty()) {
            r.add(keep(List.of("__meta_kubernetes_pod_container_port_name"), tp.getStrVal()));
        } else if (tp.getIntVal() != null && tp.getIntVal() != 0) {
            r.add(keep(List.of("__meta_kubernetes_pod_container_port_number"), tp.getIntVal()));
        }
    }

    /** {@code appendShardingRelabelingWithLabel} without retention policies or topology sharding. */
    private static void sharding(List<Map<String, Object>> r, Options o) {
        r.addAll(shardingRelabelings(o));
    }

    /** The three sharding rules: hash {@code __address__} into {@code __tmp_hash}, keep this shard's. */
    public static List<Map<String, Object>> shardingRelabelings(Options o) {
        List<Map<String, Object>> r = new ArrayList<>();
        r.add(map("source_labels", List.of("__address__", "__tmp_hash"), "target_label", "__tmp_hash",
                "regex", "(.+);", "replacement", "$1", "action", "replace"));
        r.add(map("source_labels", List.of("__tmp_hash"), "target_label", "__tmp_hash", "modulus", o.shards(), "action", "hashmod"));
        r.add(map("source_labels", List.of("__tmp_hash", "__tmp_disable_sharding"), "regex", o.shard() + ";|.+;.+", "action", "keep"));
        return r;
    }

    /** {@code generateRelabelConfig}: user relabelings, action lower-cased, unset fields left out. */
    static List<Map<String, Object>> relabelConfigs(List<RelabelConfig> rcs) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (rcs == null) return out;
        for (RelabelConfig c : rcs) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (c.sourceLabels != null && !c.sourceLabels.isEmpty()) m.put("source_labels", c.sourceLabels);
            if (c.separator != null) m.put("separator", c.separator);
            if (c.targetLabel != null && !c.targetLabel.isEmpty()) m.put("target_label", c.targetLabel);
            if (c.regex != null && !c.regex.isEmpty()) m.put("regex", c.regex);
            if (c.modulus != null && c.modulus != 0) m.put("modulus", c.modulus);
            if (c.replacement != null) m.put("replacement", c.replacement);
            if (c.action != null && !c.action.isEmpty()) m.put("action", c.action.toLowerCase(Locale.ROOT));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> runningFilter() {
        return map("action", "drop", "source_labels", List.of("__meta_kubernetes_pod_phase"), "regex", "(Failed|Succeeded)");
    }

    private static Map<String, Object> keep(List<String> sources, Object regex) {
        return map("action", "keep", "source_labels", sources, "regex", regex);
    }

    private static Map<String, Object> copy(String source, String target) {
        return map("source_labels", List.of(source), "target_label", target);
    }

    private static Map<String, Object> labelFrom(String prefix, String label) {
        return labelAs(prefix, label, sanitize(label));
    }

    private static Map<String, Object> labelAs(String prefix, String label, String target) {
        return map("source_labels", List.of(prefix + sanitize(label)), "target_label", target, "regex", "(.+)", "replacement", "${1}");
    }

    /** promcfg.go {@code sanitizeLabelName}: every character outside [a-zA-Z0-9_] becomes '_'. */
    public static String sanitize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        return sb.toString();
    }

    static String intOrStringText(IntOrString v) {
        if (v.getStrVal() != null) return v.getStrVal();
        return v.getIntVal() == null ? "" : Integer.toString(v.getIntVal());
    }

    private static <T> List<T> nullToEmpty(List<T> l) { return l == null ? List.of() : l; }

    /** An insertion-ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
