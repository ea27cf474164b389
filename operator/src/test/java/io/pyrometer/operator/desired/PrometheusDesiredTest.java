package io.pyrometer.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The pure desired state: what a user gets for a Prometheus and a set of monitors and rules. */
class PrometheusDesiredTest {
    static final String WORLD = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: monitoring, labels: {team: infra}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {team: web, monitored: "yes"}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: other}
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: own, namespace: monitoring, labels: {release: a}}
            spec: {selector: {matchLabels: {app: own}}, endpoints: [{port: web}]}
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: cart, namespace: shop, labels: {release: a}}
            spec: {selector: {matchLabels: {app: cart}}, endpoints: [{port: web}, {port: admin}]}
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: x, namespace: other, labels: {release: b}}
            spec: {selector: {}, endpoints: [{port: web}]}
            """;

    private static final PrometheusDesired DESIRED = new PrometheusDesired(Settings.DEFAULT);

    static Prometheus prom(String selectors) {
        return Fixtures.prometheus("""
                apiVersion: pyrometer.io/v1alpha1
                kind: Prometheus
                metadata: {name: main, namespace: monitoring, uid: u-1}
                spec: %s
                """.formatted(selectors));
    }

    /** prometheus-operator's selector semantics: object selector null = none, {} = all; namespace selector null = own namespace, {} = all. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{}                                                                                     | ''",
            "{serviceMonitorSelector: {}}                                                           | monitoring/own",
            "{serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {}}                      | monitoring/own,other/x,shop/cart",
            "{serviceMonitorSelector: {matchLabels: {release: a}}, serviceMonitorNamespaceSelector: {}} | monitoring/own,shop/cart",
            "{serviceMonitorNamespaceSelector: {}}                                                  | ''",
            "{serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {matchLabels: {team: web}}} | shop/cart",
            "{serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {matchExpressions: [{key: team, operator: Exists}]}} | monitoring/own,shop/cart",
            "{serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {matchExpressions: [{key: team, operator: DoesNotExist}]}} | other/x",
            "{serviceMonitorSelector: {matchExpressions: [{key: release, operator: NotIn, values: [a]}]}, serviceMonitorNamespaceSelector: {}} | other/x",
            "{serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}} | other/x",
    })
    void selectorSemantics(String spec, String expected) {
        Desired d = DESIRED.desired(prom(spec), Fixtures.inputs(WORLD));
        List<String> selected = d.verdicts().stream()
                .map(v -> v.resource().getMetadata().getNamespace() + "/" + v.resource().getMetadata().getName()).toList();
        assertThat(String.join(",", selected)).isEqualTo(expected);
    }

    @Test
    void oneStatefulSetPerShardNamedAsTheIssueSaysWithItsOwnConfig() {
        Desired d = DESIRED.desired(prom("{shards: 3, replicas: 2, serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {}}"),
                Fixtures.inputs(WORLD));
        List<StatefulSet> sts = d.all(StatefulSet.class);
        assertThat(sts).extracting(s -> s.getMetadata().getName()).containsExactly("main", "main-shard-1", "main-shard-2");
        StatefulSet shard2 = sts.get(2);
        assertThat(shard2.getSpec().getReplicas()).isEqualTo(2);
        assertThat(shard2.getSpec().getServiceName()).isEqualTo("main-operated");
        assertThat(shard2.getSpec().getSelector().getMatchLabels()).containsEntry("operator.prometheus.io/shard", "2");
        assertThat(shard2.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");
        var c = shard2.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(c.getArgs()).startsWith("server").contains("--config.file=/etc/pyrometer/config/prometheus-shard-2.yaml",
                "--storage.tsdb.retention.time=24h", "--web.enable-lifecycle");
        assertThat(shard2.getSpec().getTemplate().getSpec().getContainers()).hasSize(1); // no config-reloader sidecar
        assertThat(shard2.getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo("u-1");

        Secret cfg = (Secret) d.find("Secret", "main-config");
        String shard2Config = new String(Base64.getDecoder().decode(cfg.getData().get("prometheus-shard-2.yaml")), StandardCharsets.UTF_8);
        assertThat(shard2Config).contains("modulus: 3", "regex: 2;|.+;.+", "prometheus_replica: \"${POD_NAME}\"",
                "prometheus: monitoring/main", "job_name: serviceMonitor/shop/cart/1");
        assertThat(cfg.getData()).containsOnlyKeys("prometheus-shard-0.yaml", "prometheus-shard-1.yaml", "prometheus-shard-2.yaml");

        Service svc = (Service) d.find("Service", "main-operated");
        assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(d.find("PodDisruptionBudget", "main-shard-2")).isNotNull();
    }

    @Test
    void rbacIsLeastPrivilegeRoleBindingsPerDiscoveredNamespace() {
        Desired d = DESIRED.desired(prom("{serviceMonitorSelector: {matchLabels: {release: a}}, serviceMonitorNamespaceSelector: {}}"),
                Fixtures.inputs(WORLD));
        assertThat(d.all(RoleBinding.class)).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
                .containsExactly("monitoring/main-discovery", "shop/pyrometer-monitoring-main");
        assertThat(d.all(ClusterRoleBinding.class)).isEmpty();
        // a monitor discovering in every namespace needs a ClusterRoleBinding instead
        Desired any = DESIRED.desired(prom("{serviceMonitorSelector: {}}"), Fixtures.inputs("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: all, namespace: monitoring}
                spec: {selector: {}, namespaceSelector: {any: true}, endpoints: [{port: web}]}
                """));
        assertThat(any.all(ClusterRoleBinding.class)).hasSize(1);
        assertThat(any.all(RoleBinding.class)).isEmpty();
    }

    @Test
    void aPrometheusRuleWithAPromqlErrorIsRejectedAloneWithGroupRuleLineAndColumn() {
        Desired d = DESIRED.desired(prom("{ruleSelector: {}}"), Fixtures.inputs("""
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata: {name: good, namespace: monitoring, uid: g-1}
                spec:
                  groups:
                  - name: ok
                    rules:
                    - {record: 'job:up:sum', expr: 'sum by (job) (up)'}
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata: {name: bad, namespace: monitoring, uid: b-1}
                spec:
                  groups:
                  - name: g1
                    rules:
                    - {alert: Fine, expr: 'up == 0'}
                    - alert: Broken
                      expr: |
                        rate(http_requests_total[5m])
                          > )
                """));
        assertThat(d.verdicts()).hasSize(2);
        var bad = d.verdicts().stream().filter(v -> v.resource().getMetadata().getName().equals("bad")).findFirst().orElseThrow();
        assertThat(bad.accepted()).isFalse();
        assertThat(bad.reason()).isEqualTo("InvalidRules");
        // promtool 2.42 reports the same expression position for this rule file:
        // "could not parse expression: 2:6: parse error: unexpected right parenthesis ')'"
        assertThat(bad.message()).isEqualTo("group \"g1\", rule 2 (alert \"Broken\"): expr 2:6: parse error: unexpected right parenthesis ')'");
        ConfigMap rules = (ConfigMap) d.find("ConfigMap", "main-rulefiles-0");
        assertThat(rules.getData()).containsOnlyKeys("monitoring-good-g-1.yaml");
        Secret cfg = (Secret) d.find("Secret", "main-config");
        String config = new String(Base64.getDecoder().decode(cfg.getData().get("prometheus-shard-0.yaml")), StandardCharsets.UTF_8);
        assertThat(config).contains("/etc/pyrometer/rules/main-rulefiles-0/*.yaml");
    }

    @Test
    void monitorsWithUnsupportedOrInvalidFieldsAreRejectedAloneAndSaySo() {
        Desired d = DESIRED.desired(prom("{serviceMonitorSelector: {}}"), Fixtures.inputs("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: auth, namespace: monitoring}
                spec:
                  selector: {}
                  scrapeClass: special
                  endpoints:
                  - port: web
                    basicAuth: {username: {name: s, key: u}, password: {name: s, key: p}}
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: badregex, namespace: monitoring}
                spec:
                  selector: {}
                  endpoints:
                  - port: web
                    relabelings: [{sourceLabels: [a], regex: '(unclosed', targetLabel: b}]
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: fine, namespace: monitoring}
                spec: {selector: {}, endpoints: [{port: web}]}
                """));
        assertThat(d.verdicts()).extracting(v -> v.resource().getMetadata().getName() + ":" + v.reason())
                .containsExactly("auth:UnsupportedFields", "badregex:InvalidConfiguration", "fine:Accepted");
        assertThat(d.verdicts().getFirst().message()).contains("spec.scrapeClass", "spec.endpoints[0].basicAuth");
        assertThat(d.verdicts().get(1).message()).contains("job serviceMonitor/monitoring/badregex/0", "relabel_configs");
        Secret cfg = (Secret) d.find("Secret", "main-config");
        String config = new String(Base64.getDecoder().decode(cfg.getData().get("prometheus-shard-0.yaml")), StandardCharsets.UTF_8);
        assertThat(config).contains("serviceMonitor/monitoring/fine/0").doesNotContain("badregex", "auth/0");
    }
}
