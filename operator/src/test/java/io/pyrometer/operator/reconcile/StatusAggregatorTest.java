package io.pyrometer.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.pyrometer.operator.crd.Condition;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import io.pyrometer.operator.crd.v1alpha1.PrometheusStatus;
import io.pyrometer.operator.desired.Defaults;
import io.pyrometer.operator.desired.Desired;
import io.pyrometer.operator.desired.Fixtures;
import io.pyrometer.operator.desired.Settings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Available and per-shard counts from the StatefulSets' status; transition times kept while a status holds. */
class StatusAggregatorTest {
    private static final Prometheus P = Fixtures.prometheus("""
            apiVersion: pyrometer.io/v1alpha1
            kind: Prometheus
            metadata: {name: main, namespace: monitoring, generation: 7}
            spec: {shards: 2, replicas: 2}
            """);

    private static StatefulSet sts(String name, int ready) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().withReplicas(2).withReadyReplicas(ready).withAvailableReplicas(ready).withUpdatedReplicas(2).endStatus()
                .build();
    }

    private static PrometheusStatus compute(List<StatefulSet> observed, Clock clock) {
        Desired d = new Desired(List.of(), List.of(), List.of(), 1);
        return StatusAggregator.compute(P, Defaults.of(P.getSpec(), Settings.DEFAULT), d, observed, null, clock);
    }

    private static Condition cond(PrometheusStatus s, String type) {
        return s.conditions.stream().filter(c -> c.type.equals(type)).findFirst().orElseThrow();
    }

    @Test
    void availableFollowsReadyPodsAcrossShards() {
        Clock t0 = Clock.fixed(Instant.parse("2026-12-08T01:00:00Z"), ZoneOffset.UTC);
        PrometheusStatus none = compute(List.of(), t0);
        assertThat(cond(none, "Available").reason).isEqualTo("NoPodsReady");
        assertThat(none.replicas).isEqualTo(4);
        assertThat(none.observedGeneration).isEqualTo(7L);

        PrometheusStatus some = compute(List.of(sts("main", 2), sts("main-shard-1", 1)), t0);
        assertThat(cond(some, "Available").status).isEqualTo("False");
        assertThat(cond(some, "Available").message).isEqualTo("3/4 pods available");
        assertThat(some.shardStatuses).extracting(s -> s.shardID + ":" + s.readyReplicas).containsExactly("0:2", "1:1");

        P.setStatus(some);
        Clock t1 = Clock.fixed(Instant.parse("2026-12-08T01:05:00Z"), ZoneOffset.UTC);
        PrometheusStatus all = compute(List.of(sts("main", 2), sts("main-shard-1", 2)), t1);
        assertThat(cond(all, "Available").status).isEqualTo("True");
        assertThat(cond(all, "Available").lastTransitionTime).isEqualTo("2026-12-08T01:05:00Z");
        assertThat(cond(all, "Reconciled").lastTransitionTime).as("unchanged status keeps its time").isEqualTo("2026-12-08T01:00:00Z");
        assertThat(all.readyReplicas).isEqualTo(4);
    }

    @Test
    void pausedIsReportedAsReconciledUnknown() {
        Prometheus paused = Fixtures.prometheus("""
                apiVersion: pyrometer.io/v1alpha1
                kind: Prometheus
                metadata: {name: main, namespace: monitoring}
                spec: {paused: true}
                """);
        PrometheusStatus s = StatusAggregator.compute(paused, Defaults.of(paused.getSpec(), Settings.DEFAULT),
                new Desired(List.of(), List.of(), List.of(), 0), List.of(), null, Clock.systemUTC());
        assertThat(cond(s, "Reconciled").status).isEqualTo("Unknown");
        assertThat(cond(s, "Reconciled").reason).isEqualTo("Paused");
    }
}
