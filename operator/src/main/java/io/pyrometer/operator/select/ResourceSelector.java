package io.pyrometer.operator.select;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which resources a Prometheus selects, with prometheus-operator's semantics
 * (pkg/prometheus/resource_selector.go, Documentation/api-reference): for the object selector
 * ({@code serviceMonitorSelector} ...), <b>null selects nothing</b> and {@code {}} selects
 * everything; for the namespace selector, <b>null means only the Prometheus's own namespace</b>
 * and {@code {}} means every namespace. Results are sorted by the string {@code namespace/name},
 * the order prometheus-operator generates jobs in ({@code sortutil.SortedKeys} in promcfg.go).
 */
public final class ResourceSelector {
    private ResourceSelector() {}

    /**
     * @param ownNamespace      the Prometheus's namespace
     * @param namespaces        namespaces known (for labels); a resource's namespace missing from
     *                          this list counts as a namespace without labels
     */
    public static <T extends HasMetadata> List<T> select(LabelSelector objectSelector, LabelSelector namespaceSelector,
            String ownNamespace, List<Namespace> namespaces, List<T> candidates) {
        if (objectSelector == null) return List.of();
        Set<String> allowed = null; // null = every namespace
        Map<String, Map<String, String>> nsLabels = new java.util.HashMap<>();
        for (Namespace ns : namespaces) nsLabels.put(ns.getMetadata().getName(), ns.getMetadata().getLabels());
        if (namespaceSelector == null) {
            allowed = Set.of(ownNamespace);
        } else if (!isEmpty(namespaceSelector)) {
            allowed = new HashSet<>();
            Set<String> names = new HashSet<>(nsLabels.keySet());
            for (T c : candidates) names.add(c.getMetadata().getNamespace());
            for (String n : names) {
                Map<String, String> labels = new java.util.HashMap<>();
                if (nsLabels.get(n) != null) labels.putAll(nsLabels.get(n));
                // Kubernetes sets this label on every namespace; selectors often use it.
                labels.putIfAbsent("kubernetes.io/metadata.name", n);
                if (LabelSelectors.matches(namespaceSelector, labels)) allowed.add(n);
            }
        }
        List<T> out = new ArrayList<>();
        for (T c : candidates) {
            if (allowed != null && !allowed.contains(c.getMetadata().getNamespace())) continue;
            if (LabelSelectors.matches(objectSelector, c.getMetadata().getLabels())) out.add(c);
        }
        out.sort(Comparator.comparing(ResourceSelector::key));
        return out;
    }

    /** {@code namespace/name}, prometheus-operator's identifier of a monitor. */
    public static String key(HasMetadata r) {
        return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }

    static boolean isEmpty(LabelSelector s) {
        return (s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
                && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty());
    }
}
