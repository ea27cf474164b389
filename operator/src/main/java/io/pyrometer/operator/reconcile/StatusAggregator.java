package io.pyrometer.operator.reconcile;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pyrometer.operator.crd.Condition;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import io.pyrometer.operator.crd.v1alpha1.PrometheusStatus;
import io.pyrometer.operator.desired.Defaults;
import io.pyrometer.operator.desired.Desired;
import io.pyrometer.operator.desired.Names;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes {@code Prometheus.status} from the desired state, the observed StatefulSets and what
 * the apply step reported: one place for every condition, so reasons stay consistent.
 *
 * <ul>
 *   <li>{@code Reconciled}: True/ReconciliationSucceeded; True/NoSelectedResources when the
 *       selectors match nothing; False/InvalidConfiguration or ApplyFailed with the error;
 *       Unknown/Paused when {@code spec.paused}.</li>
 *   <li>{@code Available}: True/AllPodsReady; False/SomePodsNotReady or NoPodsReady with counts.</li>
 * </ul>
 * A condition keeps its {@code lastTransitionTime} while its status does not change.
 */
final class StatusAggregator {
    private StatusAggregator() {}

    static PrometheusStatus compute(Prometheus p, Defaults d, Desired desired, List<StatefulSet> observed, String applyError,
            Clock clock) {
        PrometheusStatus s = new PrometheusStatus();
        Long gen = p.getMetadata().getGeneration();
        s.observedGeneration = gen;
        s.shards = d.shards();
        s.selector = Names.selectorString(p.getMetadata().getName());
        int replicas = 0;
        int ready = 0;
        int available = 0;
        for (int shard = 0; shard < d.shards(); shard++) {
            String name = Names.statefulSet(p.getMetadata().getName(), shard);
            StatefulSet sts = observed.stream().filter(x -> x.getMetadata().getName().equals(name)).findFirst().orElse(null);
            PrometheusStatus.ShardStatus ss = new PrometheusStatus.ShardStatus();
            ss.shardID = Integer.toString(shard);
            ss.replicas = d.replicas();
            ss.readyReplicas = sts == null || sts.getStatus() == null ? 0 : nz(sts.getStatus().getReadyReplicas());
            ss.updatedReplicas = sts == null || sts.getStatus() == null ? 0 : nz(sts.getStatus().getUpdatedReplicas());
            ss.availableReplicas = sts == null || sts.getStatus() == null ? 0 : nz(sts.getStatus().getAvailableReplicas());
            s.shardStatuses.add(ss);
            replicas += d.replicas();
            ready += ss.readyReplicas;
            available += ss.availableReplicas;
        }
        s.replicas = replicas;
        s.readyReplicas = ready;
        s.availableReplicas = available;

        Condition reconciled;
        if (d.paused()) {
            reconciled = new Condition("Reconciled", Condition.UNKNOWN, "Paused",
                    "spec.paused is true: owned objects are left as they are; set it to false to resume", gen);
        } else if (applyError != null) {
            reconciled = new Condition("Reconciled", Condition.FALSE, "ApplyFailed", applyError, gen);
        } else if (!desired.problems().isEmpty()) {
            reconciled = new Condition("Reconciled", Condition.FALSE, "InvalidConfiguration", String.join("; ", desired.problems()), gen);
        } else if (desired.selected() == 0) {
            reconciled = new Condition("Reconciled", Condition.TRUE, "NoSelectedResources",
                    "the selectors match no ServiceMonitor, PodMonitor or PrometheusRule (a null selector selects nothing, {} selects all)", gen);
        } else {
            long rejected = desired.verdicts().stream().filter(v -> !v.accepted()).count();
            reconciled = new Condition("Reconciled", Condition.TRUE, "ReconciliationSucceeded",
                    rejected == 0 ? "" : rejected + " selected resource(s) rejected: see their status.bindings", gen);
        }
        Condition availableCond;
        if (replicas == 0) {
            availableCond = new Condition("Available", Condition.TRUE, "NoPodsDesired", "replicas is 0", gen);
        } else if (available >= replicas) {
            availableCond = new Condition("Available", Condition.TRUE, "AllPodsReady", "", gen);
        } else if (available == 0) {
            availableCond = new Condition("Available", Condition.FALSE, "NoPodsReady", "0/" + replicas + " pods available", gen);
        } else {
            availableCond = new Condition("Available", Condition.FALSE, "SomePodsNotReady", available + "/" + replicas + " pods available", gen);
        }
        List<Condition> previous = p.getStatus() == null ? List.of() : p.getStatus().conditions;
        s.conditions = new ArrayList<>(List.of(stamp(reconciled, previous, clock), stamp(availableCond, previous, clock)));
        return s;
    }

    /** Sets lastTransitionTime: the previous one when the status did not change, now otherwise. */
    static Condition stamp(Condition c, List<Condition> previous, Clock clock) {
        for (Condition old : previous == null ? List.<Condition>of() : previous) {
            if (old.type.equals(c.type) && old.status.equals(c.status) && old.lastTransitionTime != null) {
                c.lastTransitionTime = old.lastTransitionTime;
                return c;
            }
        }
        c.lastTransitionTime = Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        return c;
    }

    /** Same content, transition times aside (so an unchanged status is not written again). */
    static boolean same(PrometheusStatus a, PrometheusStatus b) {
        if (a == null || b == null) return a == b;
        var m = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
        return m.valueToTree(a).equals(m.valueToTree(b));
    }

    private static int nz(Integer i) { return i == null ? 0 : i; }
}
