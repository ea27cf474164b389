package io.pyrometer.operator.desired;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.pyrometer.operator.crd.monitoring.v1.PodMonitor;
import io.pyrometer.operator.crd.monitoring.v1.PrometheusRule;
import io.pyrometer.operator.crd.monitoring.v1.ServiceMonitor;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import io.pyrometer.operator.crd.v1alpha1.PrometheusSpec;
import io.pyrometer.operator.generate.MonitorValidator;
import io.pyrometer.operator.generate.PromqlRuleValidator;
import io.pyrometer.operator.generate.RuleFiles;
import io.pyrometer.operator.generate.RuleValidator;
import io.pyrometer.operator.generate.ScrapeJobs;
import io.pyrometer.operator.generate.ServerConfig;
import io.pyrometer.operator.select.ResourceSelector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The desired state of one Prometheus: a pure function of the resource, the {@link Inputs} and
 * the {@link Settings}. Reconciliation applies its {@link Desired#objects()} with server-side
 * apply; {@code pyrometer-operator render} prints them. Nothing here talks to a cluster.
 *
 * <pre>{@code
 * Desired d = new PrometheusDesired(Settings.DEFAULT).desired(prometheus, inputs);
 * d.objects(); // Secret <name>-config, ConfigMap <name>-rulefiles-0, RBAC, Service, StatefulSets, PDBs
 * }</pre>
 */
public final class PrometheusDesired {
    /** Rule files per ConfigMap are cut at this size, as prometheus-operator cuts at 0.5 MiB. */
    static final int MAX_RULE_CONFIGMAP_BYTES = 512 * 1024;

    private final Settings settings;
    private final RuleValidator ruleValidator;

    public PrometheusDesired(Settings settings) { this(settings, new PromqlRuleValidator()); }

    public PrometheusDesired(Settings settings, RuleValidator ruleValidator) {
        this.settings = settings;
        this.ruleValidator = ruleValidator;
    }

    public Desired desired(Prometheus p, Inputs in) {
        String ns = p.getMetadata().getNamespace();
        String name = p.getMetadata().getName();
        PrometheusSpec spec = p.getSpec() == null ? new PrometheusSpec() : p.getSpec();
        Defaults d = Defaults.of(spec, settings);
        List<Verdict> verdicts = new ArrayList<>();
        List<String> problems = new ArrayList<>();

        List<ServiceMonitor> sms = ResourceSelector.select(spec.serviceMonitorSelector, spec.serviceMonitorNamespaceSelector,
                ns, in.namespaces(), in.serviceMonitors());
        List<PodMonitor> pms = ResourceSelector.select(spec.podMonitorSelector, spec.podMonitorNamespaceSelector,
                ns, in.namespaces(), in.podMonitors());
        List<PrometheusRule> rules = ResourceSelector.select(spec.ruleSelector, spec.ruleNamespaceSelector,
                ns, in.namespaces(), in.rules());

        // Validate each monitor once (with shard 0's jobs); accepted ones are generated per shard.
        List<ServiceMonitor> okSms = new ArrayList<>();
        for (ServiceMonitor m : sms) {
            String why = m.getSpec() == null ? "spec is missing"
                    : MonitorValidator.rejection(m, m.getSpec(), ScrapeJobs.serviceMonitor(m, ScrapeJobs.Options.forShard(d.shards(), 0)));
            verdicts.add(verdictFor(m, why));
            if (why == null) okSms.add(m);
        }
        List<PodMonitor> okPms = new ArrayList<>();
        for (PodMonitor m : pms) {
            String why = m.getSpec() == null ? "spec is missing"
                    : MonitorValidator.rejection(m, m.getSpec(), ScrapeJobs.podMonitor(m, ScrapeJobs.Options.forShard(d.shards(), 0)));
            verdicts.add(verdictFor(m, why));
            if (why == null) okPms.add(m);
        }
        Map<String, String> ruleFiles = new TreeMap<>();
        for (PrometheusRule r : rules) {
            List<RuleValidator.Problem> ps = ruleValidator.validate(r);
            if (ps.isEmpty()) {
                verdicts.add(Verdict.accepted(r));
                ruleFiles.put(RuleFiles.fileName(r), RuleFiles.content(r));
            } else {
                StringBuilder msg = new StringBuilder();
                for (RuleValidator.Problem pr : ps) {
                    if (!msg.isEmpty()) msg.append("; ");
                    msg.append(pr.describe());
                }
                verdicts.add(new Verdict(r, false, "InvalidRules", msg.toString()));
            }
        }

        List<Map<String, Object>> additional = additionalScrapeConfigs(spec.additionalScrapeConfigs, ns, in.secrets(), problems);

        List<ConfigMap> ruleCms = ruleConfigMaps(p, ruleFiles);
        List<String> ruleGlobs = null;
        if (spec.ruleSelector != null) {
            ruleGlobs = new ArrayList<>();
            for (ConfigMap cm : ruleCms) ruleGlobs.add(Names.RULES_DIR + "/" + cm.getMetadata().getName() + "/*.yaml");
        }
        List<String> alertmanagers = d.routerReplicas() > 0
                ? List.of(name + "-router." + ns + ".svc:9093") : List.of();

        Map<String, String> configs = new LinkedHashMap<>();
        for (int shard = 0; shard < d.shards(); shard++) {
            ScrapeJobs.Options o = ScrapeJobs.Options.forShard(d.shards(), shard);
            List<Map<String, Object>> jobs = new ArrayList<>();
            for (ServiceMonitor m : okSms) jobs.addAll(ScrapeJobs.serviceMonitor(m, o));
            for (PodMonitor m : okPms) jobs.addAll(ScrapeJobs.podMonitor(m, o));
            for (Map<String, Object> a : additional) jobs.add(withSharding(a, o));
            ServerConfig.Input ci = new ServerConfig.Input(ns, name, d.scrapeInterval(), d.evaluationInterval(),
                    spec.externalLabels, ruleGlobs, jobs, alertmanagers);
            configs.put(Names.configKey(shard), ServerConfig.yaml(ServerConfig.tree(ci)));
        }

        List<HasMetadata> objects = new ArrayList<>();
        objects.add(configSecret(p, configs));
        objects.addAll(ruleCms);
        objects.addAll(Rbac.objects(p, okSms, okPms));
        objects.add(Workloads.governingService(p));
        for (int shard = 0; shard < d.shards(); shard++) {
            objects.add(Workloads.statefulSet(p, d, shard, ruleCms));
            objects.add(Workloads.podDisruptionBudget(p, shard));
        }
        return new Desired(objects, verdicts, problems, sms.size() + pms.size() + rules.size());
    }

    private static Verdict verdictFor(HasMetadata m, String why) {
        if (why == null) return Verdict.accepted(m);
        return new Verdict(m, false, why.startsWith("not supported") ? "UnsupportedFields" : "InvalidConfiguration", why);
    }

    private static Secret configSecret(Prometheus p, Map<String, String> configs) {
        return new SecretBuilder()
                .withNewMetadata().withName(Names.configSecret(p.getMetadata().getName()))
                .withNamespace(p.getMetadata().getNamespace()).withLabels(Names.common(p.getMetadata().getName()))
                .withOwnerReferences(Workloads.owner(p)).endMetadata()
                .withType("Opaque")
                .withStringData(null)
                .withData(base64(configs))
                .build();
    }

    private static Map<String, String> base64(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return out;
    }

    /** Rule files packed into ConfigMaps {@code <name>-rulefiles-N} of at most 0.5 MiB each; always at least one. */
    static List<ConfigMap> ruleConfigMaps(Prometheus p, Map<String, String> files) {
        List<Map<String, String>> parts = new ArrayList<>();
        Map<String, String> cur = new TreeMap<>();
        int size = 0;
        for (Map.Entry<String, String> e : files.entrySet()) {
            int n = e.getValue().getBytes(StandardCharsets.UTF_8).length;
            if (!cur.isEmpty() && size + n > MAX_RULE_CONFIGMAP_BYTES) {
                parts.add(cur);
                cur = new TreeMap<>();
                size = 0;
            }
            cur.put(e.getKey(), e.getValue());
            size += n;
        }
        parts.add(cur);
        List<ConfigMap> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            out.add(new ConfigMapBuilder()
                    .withNewMetadata().withName(Names.ruleConfigMap(p.getMetadata().getName(), i))
                    .withNamespace(p.getMetadata().getNamespace()).withLabels(Names.common(p.getMetadata().getName()))
                    .withOwnerReferences(Workloads.owner(p)).endMetadata()
                    .withData(parts.get(i)).build());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> additionalScrapeConfigs(SecretKeySelector ref, String ns, List<Secret> secrets,
            List<String> problems) {
        if (ref == null) return List.of();
        for (Secret s : secrets) {
            if (!s.getMetadata().getName().equals(ref.getName()) || !ns.equals(s.getMetadata().getNamespace())) continue;
            String text = null;
            if (s.getData() != null && s.getData().get(ref.getKey()) != null) {
                text = new String(Base64.getDecoder().decode(s.getData().get(ref.getKey())), StandardCharsets.UTF_8);
            } else if (s.getStringData() != null) {
                text = s.getStringData().get(ref.getKey());
            }
            if (text == null) break;
            try {
                Object parsed = new ObjectMapper(new YAMLFactory()).readValue(text, Object.class);
                if (parsed == null) return List.of();
                if (!(parsed instanceof List<?> l)) {
                    problems.add("additionalScrapeConfigs: Secret " + ns + "/" + ref.getName() + " key " + ref.getKey()
                            + " must hold a YAML list of scrape configs");
                    return List.of();
                }
                List<Map<String, Object>> out = new ArrayList<>();
                for (Object o : l) out.add((Map<String, Object>) o);
                return out;
            } catch (Exception e) {
                problems.add("additionalScrapeConfigs: Secret " + ns + "/" + ref.getName() + " key " + ref.getKey()
                        + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
                return List.of();
            }
        }
        if (ref.getOptional() == null || !ref.getOptional()) {
            problems.add("additionalScrapeConfigs: Secret " + ns + "/" + ref.getName() + " key " + ref.getKey()
                    + " not found: create it or remove spec.additionalScrapeConfigs");
        }
        return List.of();
    }

    /**
     * prometheus-operator's {@code appendShardingRelabelingWithAddressIfMissing}: additional jobs
     * are sharded too unless they already contain a hashmod rule.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withSharding(Map<String, Object> job, ScrapeJobs.Options o) {
        Map<String, Object> copy = new LinkedHashMap<>(job);
        List<Object> r = new ArrayList<>();
        Object existing = copy.get("relabel_configs");
        if (existing instanceof List<?> l) r.addAll(l);
        for (Object rule : r) {
            if (rule instanceof Map<?, ?> m && "hashmod".equals(m.get("action"))) return copy;
        }
        r.addAll(ScrapeJobs.shardingRelabelings(o));
        copy.put("relabel_configs", r);
        return copy;
    }
}
