package io.pyrometer.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code __meta_kubernetes_*} labels shared by several roles, as Prometheus's
 * {@code discovery/kubernetes/kubernetes.go} and {@code pod.go} set them ({@code addObjectMetaLabels},
 * {@code podLabels}, {@code addNodeLabels}, {@code addNamespaceLabels}).
 */
final class MetaLabels {
    private MetaLabels() {}

    static final String PREFIX = "__meta_kubernetes_";
    static final String NAMESPACE = PREFIX + "namespace";
    static final String ADDRESS = "__address__";
    static final String INSTANCE = "instance";
    static final String PRESENT = "true";

    static final String POD_IP = PREFIX + "pod_ip";
    static final String POD_CONTAINER_NAME = PREFIX + "pod_container_name";
    static final String POD_CONTAINER_ID = PREFIX + "pod_container_id";
    static final String POD_CONTAINER_IMAGE = PREFIX + "pod_container_image";
    static final String POD_CONTAINER_PORT_NAME = PREFIX + "pod_container_port_name";
    static final String POD_CONTAINER_PORT_NUMBER = PREFIX + "pod_container_port_number";
    static final String POD_CONTAINER_PORT_PROTOCOL = PREFIX + "pod_container_port_protocol";
    static final String POD_CONTAINER_INIT = PREFIX + "pod_container_init";
    static final String POD_CRONJOB_NAME = PREFIX + "pod_cronjob_name";
    static final String POD_DEPLOYMENT_NAME = PREFIX + "pod_deployment_name";
    static final String POD_JOB_NAME = PREFIX + "pod_job_name";
    static final String POD_READY = PREFIX + "pod_ready";
    static final String POD_PHASE = PREFIX + "pod_phase";
    static final String POD_NODE_NAME = PREFIX + "pod_node_name";
    static final String POD_HOST_IP = PREFIX + "pod_host_ip";
    static final String POD_UID = PREFIX + "pod_uid";
    static final String POD_CONTROLLER_KIND = PREFIX + "pod_controller_kind";
    static final String POD_CONTROLLER_NAME = PREFIX + "pod_controller_name";

    /** Go's {@code strutil.SanitizeLabelName}: every character outside {@code [a-zA-Z0-9_]} becomes '_'. */
    static String sanitize(String name) {
        StringBuilder sb = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (ok && sb == null) continue;
            if (sb == null) sb = new StringBuilder(name.length()).append(name, 0, i);
            sb.append(ok ? c : '_');
            // a surrogate pair is one rune in Go: one '_'
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) i++;
        }
        return sb == null ? name : sb.toString();
    }

    /** Labels and annotations of an object as {@code <role>_label_<name>} and {@code <role>_labelpresent_<name>}. */
    static void addLabelsAndAnnotations(Map<String, String> ls, ObjectMeta meta, String resource) {
        if (meta == null) return;
        if (meta.getLabels() != null) {
            for (var e : meta.getLabels().entrySet()) {
                String ln = sanitize(e.getKey());
                ls.put(PREFIX + resource + "_label_" + ln, str(e.getValue()));
                ls.put(PREFIX + resource + "_labelpresent_" + ln, PRESENT);
            }
        }
        if (meta.getAnnotations() != null) {
            for (var e : meta.getAnnotations().entrySet()) {
                String ln = sanitize(e.getKey());
                ls.put(PREFIX + resource + "_annotation_" + ln, str(e.getValue()));
                ls.put(PREFIX + resource + "_annotationpresent_" + ln, PRESENT);
            }
        }
    }

    /** {@code <role>_name} plus labels and annotations. */
    static void addObjectMeta(Map<String, String> ls, ObjectMeta meta, String role) {
        ls.put(PREFIX + role + "_name", meta == null ? "" : str(meta.getName()));
        addLabelsAndAnnotations(ls, meta, role);
    }

    /** The node's name, labels and annotations; nothing when the node is unknown. */
    static void addNodeLabels(Map<String, String> ls, Lookup lookup, String nodeName) {
        if (nodeName == null) return;
        Node node = lookup.node(nodeName);
        if (node != null) addObjectMeta(ls, node.getMetadata(), "node");
    }

    /** The namespace's labels and annotations (not its name, which {@code __meta_kubernetes_namespace} carries). */
    static void addNamespaceLabels(Map<String, String> ls, Lookup lookup, String namespace) {
        Namespace ns = lookup.namespace(namespace);
        if (ns != null) addLabelsAndAnnotations(ls, ns.getMetadata(), "namespace");
    }

    /** Go's {@code metav1.GetControllerOf}. */
    static OwnerReference controllerOf(ObjectMeta meta) {
        if (meta == null || meta.getOwnerReferences() == null) return null;
        for (OwnerReference ref : meta.getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController())) return ref;
        }
        return null;
    }

    /** Prometheus's {@code podLabels}: the pod-level labels every pod target carries. */
    static void addPodLabels(Map<String, String> ls, Pod pod, Lookup lookup) {
        var status = pod.getStatus();
        var spec = pod.getSpec();
        ls.put(POD_IP, status == null ? "" : str(status.getPodIP()));
        ls.put(POD_READY, podReady(pod));
        ls.put(POD_PHASE, status == null ? "" : str(status.getPhase()));
        ls.put(POD_NODE_NAME, spec == null ? "" : str(spec.getNodeName()));
        ls.put(POD_HOST_IP, status == null ? "" : str(status.getHostIP()));
        ls.put(POD_UID, str(pod.getMetadata().getUid()));
        addObjectMeta(ls, pod.getMetadata(), "pod");

        OwnerReference createdBy = controllerOf(pod.getMetadata());
        if (createdBy == null) return;
        if (!str(createdBy.getKind()).isEmpty()) ls.put(POD_CONTROLLER_KIND, createdBy.getKind());
        if (!str(createdBy.getName()).isEmpty()) ls.put(POD_CONTROLLER_NAME, createdBy.getName());
        String ns = pod.getMetadata().getNamespace();
        switch (str(createdBy.getKind())) {
            case "ReplicaSet" -> {
                if (!lookup.attachDeployment()) break;
                ReplicaSet rs = lookup.replicaSet(ns, createdBy.getName());
                OwnerReference owner = rs == null ? null : controllerOf(rs.getMetadata());
                if (owner != null && "Deployment".equals(owner.getKind())) ls.put(POD_DEPLOYMENT_NAME, str(owner.getName()));
            }
            case "Job" -> {
                if (lookup.attachJob()) ls.put(POD_JOB_NAME, str(createdBy.getName()));
                if (!lookup.attachCronJob()) break;
                Job job = lookup.job(ns, createdBy.getName());
                OwnerReference owner = job == null ? null : controllerOf(job.getMetadata());
                if (owner != null && "CronJob".equals(owner.getKind())) ls.put(POD_CRONJOB_NAME, str(owner.getName()));
            }
            default -> { }
        }
    }

    static String podReady(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("Ready".equals(c.getType())) return str(c.getStatus()).toLowerCase(Locale.ROOT);
            }
        }
        return "unknown";
    }

    /** The pod's containers followed by its init containers; {@code i >= spec.containers.size()} marks init ones. */
    static List<Container> containers(Pod pod) {
        List<Container> out = new ArrayList<>();
        if (pod.getSpec() == null) return out;
        out.addAll(list(pod.getSpec().getContainers()));
        out.addAll(list(pod.getSpec().getInitContainers()));
        return out;
    }

    static int regularContainers(Pod pod) {
        return pod.getSpec() == null ? 0 : list(pod.getSpec().getContainers()).size();
    }

    /** Go's {@code net.JoinHostPort}: brackets around hosts containing ':'. */
    static String joinHostPort(String host, String port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    static String str(String s) {
        return s == null ? "" : s;
    }

    static String num(Integer i) {
        return Integer.toString(i == null ? 0 : i);
    }

    static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
