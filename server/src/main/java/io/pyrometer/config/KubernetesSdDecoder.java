package io.pyrometer.config;

import io.pyrometer.config.KubernetesSdConfig.AttachMetadata;
import io.pyrometer.config.KubernetesSdConfig.Namespaces;
import io.pyrometer.config.KubernetesSdConfig.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one {@code kubernetes_sd_configs:} entry and validates it as Prometheus's
 * {@code discovery/kubernetes/kubernetes.go} {@code SDConfig.UnmarshalYAML} does, in its order and words.
 */
final class KubernetesSdDecoder {
    private KubernetesSdDecoder() {}

    /** Which selector roles each discovery role accepts (Prometheus's {@code allowedSelectors}). */
    private static final Map<String, List<String>> ALLOWED_SELECTORS = Map.of(
            "pod", List.of("pod", "node"),
            "service", List.of("service"),
            "endpointslice", List.of("pod", "service", "endpointslice"),
            "endpoints", List.of("pod", "service", "endpoints"),
            "node", List.of("node"),
            "ingress", List.of("ingress"));

    static KubernetesSdConfig read(Fields f) throws ConfigException {
        String apiServer = f.string("api_server", "");
        String role = role(f, "role");
        String kubeconfig = f.string("kubeconfig_file", "");
        HttpClientConfig http = HttpClientDecoder.read(f, HttpClientConfig.DEFAULT);
        Namespaces namespaces = namespaces(f);
        List<Selector> selectors = selectors(f);
        AttachMetadata attach = attachMetadata(f);
        f.finish(HttpClientDecoder.UNSUPPORTED_REFS);

        if (!apiServer.isEmpty()) HttpClientDecoder.checkUrl(f, "api_server", apiServer);
        if (role.isEmpty()) throw f.error("role", "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
        if (!apiServer.isEmpty() && !kubeconfig.isEmpty()) {
            throw f.error("kubeconfig_file", "cannot use 'kubeconfig_file' and 'api_server' simultaneously");
        }
        boolean customHttp = !http.equals(HttpClientConfig.DEFAULT);
        if (!kubeconfig.isEmpty() && customHttp) {
            throw f.error("cannot use a custom HTTP client configuration together with 'kubeconfig_file'");
        }
        if (apiServer.isEmpty() && customHttp) {
            throw f.error("to use custom HTTP client configuration please provide the 'api_server' URL explicitly");
        }
        if (!apiServer.isEmpty() && namespaces.ownNamespace()) {
            throw f.error("namespaces", "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
        }
        if (!kubeconfig.isEmpty() && namespaces.ownNamespace()) {
            throw f.error("namespaces", "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
        }
        checkSelectors(f, role, selectors);
        return new KubernetesSdConfig(role, apiServer, kubeconfig, http, namespaces, selectors, attach);
    }

    /** A {@code kubernetes.Role}: checked while unmarshalling, so before "role missing". */
    private static String role(Fields f, String key) throws ConfigException {
        String role = f.string(key, "");
        if (f.has(key) && !KubernetesSdConfig.ROLES.contains(role)) {
            throw f.error(key, "unknown Kubernetes SD role " + DiscoveryDecoder.quote(role)
                    + " (use one of pod, service, endpoints, endpointslice, node, ingress)");
        }
        return role;
    }

    private static Namespaces namespaces(Fields f) throws ConfigException {
        if (!f.has("namespaces")) return Namespaces.ALL;
        Fields n = Fields.of(f.file, f.path("namespaces"), f.get("namespaces"), "kubernetes.NamespaceDiscovery");
        boolean own = n.bool("own_namespace", false);
        List<String> names = n.strings("names");
        n.finish();
        return new Namespaces(own, names);
    }

    private static List<Selector> selectors(Fields f) throws ConfigException {
        List<YamlNode> items = f.list("selectors", "[]kubernetes.SelectorConfig");
        List<Selector> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Fields s = Fields.of(f.file, Fields.index(f.path("selectors"), i), items.get(i), "kubernetes.SelectorConfig");
            String role = role(s, "role");
            String label = s.string("label", "");
            String field = s.string("field", "");
            s.finish();
            out.add(new Selector(role, label, field));
        }
        return out;
    }

    private static void checkSelectors(Fields f, String role, List<Selector> selectors) throws ConfigException {
        Set<String> seen = new HashSet<>();
        List<YamlNode> items = f.list("selectors", "[]kubernetes.SelectorConfig");
        for (int i = 0; i < selectors.size(); i++) {
            Selector s = selectors.get(i);
            Fields at = Fields.of(f.file, Fields.index(f.path("selectors"), i), items.get(i), "kubernetes.SelectorConfig");
            if (!seen.add(s.role())) throw at.error("role", "duplicated selector role: " + s.role());
            List<String> allowed = ALLOWED_SELECTORS.get(role);
            if (!allowed.contains(s.role())) {
                throw at.error("role", role + " role supports only " + String.join(", ", allowed) + " selectors");
            }
            String err = KubernetesSelectors.checkField(s.field());
            if (err != null) throw at.error("field", err);
            err = KubernetesSelectors.checkLabel(s.label());
            if (err != null) throw at.error("label", err);
        }
    }

    private static AttachMetadata attachMetadata(Fields f) throws ConfigException {
        if (!f.has("attach_metadata")) return AttachMetadata.NONE;
        Fields a = Fields.of(f.file, f.path("attach_metadata"), f.get("attach_metadata"), "kubernetes.AttachMetadataConfig");
        AttachMetadata m = new AttachMetadata(a.bool("node", false), a.bool("namespace", false),
                a.bool("deployment", false), a.bool("job", false), a.bool("cronjob", false));
        a.finish();
        return m;
    }
}
