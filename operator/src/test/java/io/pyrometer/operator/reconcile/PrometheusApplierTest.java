package io.pyrometer.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pyrometer.operator.crd.Condition;
import io.pyrometer.operator.crd.monitoring.v1.ConfigResourceStatus;
import io.pyrometer.operator.crd.monitoring.v1.PrometheusRule;
import io.pyrometer.operator.crd.monitoring.v1.ServiceMonitor;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import io.pyrometer.operator.crd.v1alpha1.PrometheusStatus;
import io.pyrometer.operator.desired.Fixtures;
import io.pyrometer.operator.desired.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation against the fabric8 mock API server in CRUD mode: apply, change, scale down,
 * recreate, unselect, delete; the objects, statuses, bindings and events a user would see.
 */
@EnableKubernetesMockClient(crud = true)
class PrometheusApplierTest {
    KubernetesClient client;
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-08T01:00:00Z"), ZoneOffset.UTC);
    private PrometheusApplier applier;

    private static List<HasMetadata> crds;

    @BeforeEach
    void setUp() throws IOException {
        if (crds == null) {
            List<HasMetadata> all = new java.util.ArrayList<>();
            Path dir = Path.of(System.getProperty("pyrometer.crds.dir", "../crds"));
            try (Stream<Path> s = Files.walk(dir)) {
                // the checked-in CRDs only: a reactor build also copies them under crds/target/
                for (Path f : s.filter(p -> p.toString().endsWith(".yaml") && !dir.relativize(p).startsWith("target")).toList()) {
                    try (var in = Files.newInputStream(f)) {
                        all.addAll(client.load(in).items());
                    }
                }
            }
            crds = all;
        }
        crds.forEach(o -> client.resource(o).create());
        for (String ns : List.of("monitoring", "shop")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        applier = new PrometheusApplier(client, Settings.DEFAULT, clock);
    }

    private void create(String yaml) {
        for (HasMetadata r : Fixtures.parse(yaml)) client.resource(r).create();
    }

    private Prometheus prom() {
        return client.resources(Prometheus.class).inNamespace("monitoring").withName("main").get();
    }

    private StatefulSet sts(String name) {
        return client.apps().statefulSets().inNamespace("monitoring").withName(name).get();
    }

    private static Condition cond(PrometheusStatus s, String type) {
        return s.conditions.stream().filter(c -> c.type.equals(type)).findFirst().orElseThrow();
    }

    private static Condition accepted(ConfigResourceStatus s) {
        assertThat(s).isNotNull();
        assertThat(s.bindings).hasSize(1);
        var b = s.bindings.getFirst();
        assertThat(b.group).isEqualTo("pyrometer.io");
        assertThat(b.resource).isEqualTo("prometheuses");
        assertThat(b.namespace + "/" + b.name).isEqualTo("monitoring/main");
        return b.conditions.getFirst();
    }

    static final String RESOURCES = """
            apiVersion: pyrometer.io/v1alpha1
            kind: Prometheus
            metadata: {name: main, namespace: monitoring}
            spec:
              shards: 2
              serviceMonitorSelector: {matchLabels: {release: a}}
              serviceMonitorNamespaceSelector: {}
              ruleSelector: {}
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: cart, namespace: shop, labels: {release: a}}
            spec: {selector: {matchLabels: {app: cart}}, endpoints: [{port: web}]}
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata: {name: good, namespace: monitoring}
            spec: {groups: [{name: ok, rules: [{alert: Down, expr: 'up == 0', for: 5m}]}]}
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata: {name: bad, namespace: monitoring}
            spec: {groups: [{name: g, rules: [{record: 'x:y', expr: 'sum(rate(x[5m])'}]}]}
            """;

    @Test
    void applyCreatesShardsConfigRbacAndStatusesAndNeverTouchesTheSpec() {
        create(RESOURCES);
        Prometheus before = prom();
        var result = applier.reconcile(before);

        assertThat(sts("main")).isNotNull();
        assertThat(sts("main-shard-1")).isNotNull();
        assertThat(sts("main").getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo(before.getMetadata().getUid());
        var secret = client.secrets().inNamespace("monitoring").withName("main-config").get();
        assertThat(secret.getData()).containsOnlyKeys("prometheus-shard-0.yaml", "prometheus-shard-1.yaml");
        assertThat(client.services().inNamespace("monitoring").withName("main-operated").get()).isNotNull();
        assertThat(client.serviceAccounts().inNamespace("monitoring").withName("main").get()).isNotNull();
        assertThat(client.rbac().clusterRoles().withName("pyrometer-monitoring-main").get()).isNotNull();
        assertThat(client.rbac().roleBindings().inNamespace("shop").withName("pyrometer-monitoring-main").get()).isNotNull();
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace("monitoring").withName("main-shard-1").get()).isNotNull();
        var rules = client.configMaps().inNamespace("monitoring").withName("main-rulefiles-0").get();
        assertThat(rules.getData().keySet()).singleElement().asString().startsWith("monitoring-good-");

        Prometheus after = prom();
        assertThat(after.getSpec().shards).isEqualTo(2);
        assertThat(after.getSpec().replicas).as("defaults are never written back").isNull();
        PrometheusStatus st = after.getStatus();
        assertThat(st.shards).isEqualTo(2);
        assertThat(st.replicas).isEqualTo(2);
        assertThat(st.selector).isEqualTo("app.kubernetes.io/instance=main,app.kubernetes.io/name=pyrometer");
        assertThat(st.shardStatuses).extracting(s -> s.shardID).containsExactly("0", "1");
        assertThat(cond(st, "Reconciled").status).isEqualTo("True");
        assertThat(cond(st, "Reconciled").message).contains("1 selected resource(s) rejected");
        assertThat(cond(st, "Available").status).isEqualTo("False");
        assertThat(cond(st, "Available").reason).isEqualTo("NoPodsReady");
        assertThat(cond(st, "Available").lastTransitionTime).isEqualTo("2026-12-08T01:00:00Z");
        assertThat(result.requeue()).isTrue();

        Condition sm = accepted(client.resources(ServiceMonitor.class).inNamespace("shop").withName("cart").get().getStatus());
        assertThat(sm.status).isEqualTo("True");
        Condition good = accepted(client.resources(PrometheusRule.class).inNamespace("monitoring").withName("good").get().getStatus());
        assertThat(good.status).isEqualTo("True");
        Condition bad = accepted(client.resources(PrometheusRule.class).inNamespace("monitoring").withName("bad").get().getStatus());
        assertThat(bad.status).isEqualTo("False");
        assertThat(bad.reason).isEqualTo("InvalidRules");
        assertThat(bad.message).startsWith("group \"g\", rule 1 (record \"x:y\"): expr 1:16: parse error:");
        var events = client.v1().events().inNamespace("monitoring").list().getItems();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("bad");
            assertThat(e.getMessage()).contains("group \"g\"");
        });

        // a second reconciliation of an unchanged world changes nothing and records no new event
        applier.reconcile(prom());
        assertThat(client.v1().events().inNamespace("monitoring").list().getItems()).hasSize(events.size());
    }

    @Test
    void scaleDownKeepsRetiredShardsClaims() {
        create(RESOURCES);
        applier.reconcile(prom());
        for (String name : List.of("main", "main-shard-1")) {
            StatefulSet s = sts(name);
            s.setStatus(new StatefulSetStatusBuilder().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1)
                    .withUpdatedReplicas(1).build());
            client.resource(s).updateStatus();
        }

        // the PVC a retired shard's pod used
        client.persistentVolumeClaims().inNamespace("monitoring").resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("main-db-main-shard-1-0").withNamespace("monitoring").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().build()).create();
        Prometheus p = prom();
        p.getSpec().shards = 1;
        client.resource(p).update();
        applier.reconcile(prom());
        assertThat(sts("main-shard-1")).as("retired shard's StatefulSet").isNull();
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace("monitoring").withName("main-shard-1").get()).isNull();
        assertThat(client.persistentVolumeClaims().inNamespace("monitoring").withName("main-db-main-shard-1-0").get())
                .as("retired shard's PVC is kept").isNotNull();
        assertThat(client.secrets().inNamespace("monitoring").withName("main-config").get().getData())
                .containsOnlyKeys("prometheus-shard-0.yaml");
        assertThat(prom().getStatus().shards).isEqualTo(1);
    }

    @Test
    void changingAnImmutableFieldRecreatesTheStatefulSet() {
        create(RESOURCES);
        applier.reconcile(prom());
        String uid = sts("main").getMetadata().getUid();
        Prometheus p = prom();
        p.getSpec().storage = Fixtures.prometheus("""
                apiVersion: pyrometer.io/v1alpha1
                kind: Prometheus
                metadata: {name: x}
                spec:
                  storage:
                    volumeClaimTemplate:
                      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}
                """).getSpec().storage;
        client.resource(p).update();
        applier.reconcile(prom());
        StatefulSet now = sts("main");
        assertThat(now.getMetadata().getUid()).isNotEqualTo(uid);
        assertThat(now.getSpec().getVolumeClaimTemplates()).extracting(c -> c.getMetadata().getName()).containsExactly("main-db");
        assertThat(now.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
    }

    @Test
    void unselectedResourcesLoseTheirBindingAndCleanupRemovesClusterScopedRbac() {
        create(RESOURCES);
        applier.reconcile(prom());
        ServiceMonitor sm = client.resources(ServiceMonitor.class).inNamespace("shop").withName("cart").get();
        sm.getMetadata().getLabels().put("release", "b");
        client.resource(sm).update();
        applier.reconcile(prom());
        var status = client.resources(ServiceMonitor.class).inNamespace("shop").withName("cart").get().getStatus();
        assertThat(status.bindings).isEmpty();
        assertThat(client.rbac().roleBindings().inNamespace("shop").withName("pyrometer-monitoring-main").get())
                .as("no monitor discovers in shop any more").isNull();

        applier.cleanup(prom());
        assertThat(client.rbac().clusterRoles().withName("pyrometer-monitoring-main").get()).isNull();
        assertThat(client.resources(PrometheusRule.class).inNamespace("monitoring").withName("good").get().getStatus().bindings).isEmpty();
    }

    @Test
    void noSelectedResourcesIsReported() {
        create("""
                apiVersion: pyrometer.io/v1alpha1
                kind: Prometheus
                metadata: {name: main, namespace: monitoring}
                spec: {serviceMonitorSelector: {matchLabels: {nothing: here}}}
                """);
        applier.reconcile(prom());
        Condition c = cond(prom().getStatus(), "Reconciled");
        assertThat(c.status).as(c.message).isEqualTo("True");
        assertThat(c.reason).isEqualTo("NoSelectedResources");
    }
}
