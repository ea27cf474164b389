package io.pyrometer.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * The result of {@link PrometheusDesired#desired}: the objects to apply (in apply order: config
 * and RBAC before the workloads that mount or use them), the verdict on every selected resource,
 * and problems with the Prometheus itself (which keep it from being {@code Reconciled}).
 *
 * @param selected number of selected ServiceMonitors, PodMonitors and PrometheusRules
 */
public record Desired(List<HasMetadata> objects, List<Verdict> verdicts, List<String> problems, int selected) {
    public Desired {
        objects = List.copyOf(objects);
        verdicts = List.copyOf(verdicts);
        problems = List.copyOf(problems);
    }

    /** The object of {@code kind} named {@code name}, or null. */
    public HasMetadata find(String kind, String name) {
        for (HasMetadata o : objects) {
            if (o.getKind().equals(kind) && o.getMetadata().getName().equals(name)) return o;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return (List<T>) objects.stream().filter(type::isInstance).toList();
    }
}
