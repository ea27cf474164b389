package io.pyrometer.operator.desired;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names and labels of everything the operator creates for a Prometheus named {@code <name>}.
 *
 * <p>StatefulSets are {@code <name>} (shard 0) and {@code <name>-shard-N}, as the issue asks,
 * not prometheus-operator's {@code prometheus-<name>[-shard-N]}: a team migrating runs both
 * operators side by side, and a {@code pyrometer.io} Prometheus named like a
 * {@code monitoring.coreos.com} one must not fight over the same StatefulSet. The pod labels
 * keep prometheus-operator's keys ({@code prometheus}, {@code operator.prometheus.io/name},
 * {@code operator.prometheus.io/shard}) so selectors, dashboards and alerts written for it match.
 */
public final class Names {
    public static final String MANAGED_BY = "pyrometer-operator";
    public static final String APP = "pyrometer";
    public static final String CONTAINER = "pyrometer";
    public static final String CONFIG_DIR = "/etc/pyrometer/config";
    public static final String RULES_DIR = "/etc/pyrometer/rules";
    public static final String DATA_DIR = "/pyrometer";
    public static final int WEB_PORT = 9090;
    /** Label on objects that cannot carry an owner reference (other namespaces, cluster scope). */
    public static final String OWNER_LABEL = "pyrometer.io/owner";

    private Names() {}

    public static String statefulSet(String name, int shard) { return shard == 0 ? name : name + "-shard-" + shard; }

    public static String governingService(String name) { return name + "-operated"; }

    public static String configSecret(String name) { return name + "-config"; }

    public static String configKey(int shard) { return "prometheus-shard-" + shard + ".yaml"; }

    public static String ruleConfigMap(String name, int i) { return name + "-rulefiles-" + i; }

    public static String serviceAccount(String name) { return name; }

    public static String discoveryRole(String namespace, String name) { return "pyrometer-" + namespace + "-" + name; }

    public static String dataVolume(String name) { return name + "-db"; }

    /** {@code <namespace>.<name>}: value of {@link #OWNER_LABEL}. */
    public static String ownerValue(String namespace, String name) { return namespace + "." + name; }

    /** Selector labels of every pod of this Prometheus (the scale subresource's selector). */
    public static Map<String, String> selector(String name) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("app.kubernetes.io/instance", name);
        m.put("app.kubernetes.io/name", APP);
        return m;
    }

    public static String selectorString(String name) {
        return "app.kubernetes.io/instance=" + name + ",app.kubernetes.io/name=" + APP;
    }

    /** Selector labels of one shard's pods (immutable in the StatefulSet). */
    public static Map<String, String> shardSelector(String name, int shard) {
        Map<String, String> m = selector(name);
        m.put("operator.prometheus.io/shard", Integer.toString(shard));
        return m;
    }

    /** Labels on every object the operator creates for {@code name}. */
    public static Map<String, String> common(String name) {
        Map<String, String> m = selector(name);
        m.put("app.kubernetes.io/managed-by", MANAGED_BY);
        m.put("prometheus", name);
        m.put("operator.prometheus.io/name", name);
        return m;
    }
}
