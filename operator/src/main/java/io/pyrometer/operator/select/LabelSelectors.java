package io.pyrometer.operator.select;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kubernetes label selector matching (k8s.io/apimachinery labels.Selector semantics): every
 * {@code matchLabels} pair and every {@code matchExpressions} requirement must hold; an empty
 * selector ({@code {}}) matches everything. Whether a <em>null</em> selector means "nothing" or
 * "own namespace" is the caller's business (see {@link ResourceSelector}).
 */
public final class LabelSelectors {
    private LabelSelectors() {}

    /** True when {@code labels} satisfy {@code selector}; {@code selector} must not be null. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(l.get(e.getKey()))) return false;
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r, l)) return false;
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> l) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String v = l.get(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> v != null && values.contains(v);
            case "NotIn" -> v == null || !values.contains(v);
            case "Exists" -> l.containsKey(r.getKey());
            case "DoesNotExist" -> !l.containsKey(r.getKey());
            default -> throw new IllegalArgumentException("unknown label selector operator " + r.getOperator()
                    + " [key=" + r.getKey() + "]: use In, NotIn, Exists or DoesNotExist");
        };
    }

    /**
     * The selector as {@code kubectl get -l} takes it ({@code a=b,c in (d,e)}), keys sorted as
     * apimachinery's {@code LabelSelectorAsSelector(...).String()} prints them.
     */
    public static String toSelectorString(LabelSelector selector) {
        TreeMap<String, String> parts = new TreeMap<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> parts.put(k + "=" + v, k + "=" + v));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                List<String> vals = r.getValues() == null ? List.of() : r.getValues().stream().sorted().toList();
                String s = switch (r.getOperator()) {
                    case "In" -> r.getKey() + " in (" + String.join(",", vals) + ")";
                    case "NotIn" -> r.getKey() + " notin (" + String.join(",", vals) + ")";
                    case "Exists" -> r.getKey();
                    case "DoesNotExist" -> "!" + r.getKey();
                    default -> throw new IllegalArgumentException("unknown operator " + r.getOperator());
                };
                parts.put(r.getKey() + "\u0000" + s, s);
            }
        }
        return String.join(",", parts.values());
    }
}
