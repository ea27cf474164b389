package io.pyrometer.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.pyrometer.operator.crd.Condition;
import io.pyrometer.operator.crd.monitoring.v1.ConfigResourceStatus;
import io.pyrometer.operator.crd.monitoring.v1.ConfigResourceStatus.WorkloadBinding;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code status.bindings} on ServiceMonitors, PodMonitors and PrometheusRules in
 * prometheus-operator's shape (pkg/apis/monitoring/v1/types.go {@code WorkloadBinding}): one
 * binding per selecting workload, here {@code group: pyrometer.io, resource: prometheuses}, with
 * an {@code Accepted} condition. Bindings of other workloads (e.g. prometheus-operator's own) are
 * left untouched.
 */
final class Bindings {
    static final String GROUP = "pyrometer.io";
    static final String RESOURCE = "prometheuses";

    private Bindings() {}

    /**
     * The status {@code r} should have: its current one with this Prometheus's binding set to
     * {@code accepted} (or removed when {@code accepted} is null: no longer selected).
     */
    static ConfigResourceStatus withBinding(ConfigResourceStatus current, Prometheus p, Condition accepted, Clock clock) {
        ConfigResourceStatus s = new ConfigResourceStatus();
        List<WorkloadBinding> prev = current == null || current.bindings == null ? List.of() : current.bindings;
        WorkloadBinding mine = null;
        for (WorkloadBinding b : prev) {
            if (isMine(b, p)) mine = b;
            else s.bindings.add(b);
        }
        if (accepted != null) {
            WorkloadBinding b = new WorkloadBinding();
            b.group = GROUP;
            b.resource = RESOURCE;
            b.name = p.getMetadata().getName();
            b.namespace = p.getMetadata().getNamespace();
            b.conditions = new ArrayList<>(List.of(StatusAggregator.stamp(accepted, mine == null ? List.of() : mine.conditions, clock)));
            if (mine != null) b.targets = mine.targets;
            s.bindings.add(b);
        }
        return s;
    }

    static boolean isMine(WorkloadBinding b, Prometheus p) {
        return GROUP.equals(b.group) && RESOURCE.equals(b.resource) && p.getMetadata().getName().equals(b.name)
                && p.getMetadata().getNamespace().equals(b.namespace);
    }

    static boolean hasBinding(HasMetadata r, ConfigResourceStatus s, Prometheus p) {
        if (s == null || s.bindings == null) return false;
        for (WorkloadBinding b : s.bindings) if (isMine(b, p)) return true;
        return false;
    }
}
