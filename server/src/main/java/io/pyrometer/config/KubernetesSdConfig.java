package io.pyrometer.config;

import java.util.List;

/**
 * {@code kubernetes_sd_configs:} entry, as Prometheus 3 reads it ({@code discovery/kubernetes/kubernetes.go}
 * {@code SDConfig}). The HTTP client keys are inlined; they may only be set together with {@code api_server}.
 *
 * @param role           {@code node}, {@code service}, {@code pod}, {@code endpoints}, {@code endpointslice} or {@code ingress}
 * @param apiServer      the API server URL, or "" to use {@code kubeconfig_file} or the in-cluster service account
 * @param kubeconfigFile a kubeconfig file (joined with the config file's directory), or ""
 * @param http           the inlined HTTP client settings (only with {@code api_server})
 * @param namespaces     which namespaces to watch; empty names and no own namespace mean all namespaces
 * @param selectors      per watched role, a label and/or field selector sent to the API server
 */
public record KubernetesSdConfig(String role, String apiServer, String kubeconfigFile, HttpClientConfig http,
                                 Namespaces namespaces, List<Selector> selectors, AttachMetadata attachMetadata) {

    public static final List<String> ROLES = List.of("node", "service", "pod", "endpoints", "endpointslice", "ingress");

    public KubernetesSdConfig {
        selectors = List.copyOf(selectors);
    }

    /** {@code namespaces:}; {@code own_namespace} reads the pod's namespace from its service account. */
    public record Namespaces(boolean ownNamespace, List<String> names) {
        public static final Namespaces ALL = new Namespaces(false, List.of());

        public Namespaces {
            names = List.copyOf(names);
        }
    }

    /** One {@code selectors:} entry; empty strings mean unset. */
    public record Selector(String role, String label, String field) {}

    /**
     * {@code attach_metadata:}: labels of the target's node ({@code node}) or namespace ({@code namespace}),
     * and the owning Deployment, Job or CronJob name of pods.
     */
    public record AttachMetadata(boolean node, boolean namespace, boolean deployment, boolean job, boolean cronJob) {
        public static final AttachMetadata NONE = new AttachMetadata(false, false, false, false, false);
    }

    /** The selector configured for objects of {@code objectRole}, or null. */
    public Selector selector(String objectRole) {
        for (Selector s : selectors) if (s.role().equals(objectRole)) return s;
        return null;
    }
}
