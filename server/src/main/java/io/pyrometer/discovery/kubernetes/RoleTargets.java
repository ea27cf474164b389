package io.pyrometer.discovery.kubernetes;

import static io.pyrometer.discovery.kubernetes.MetaLabels.ADDRESS;
import static io.pyrometer.discovery.kubernetes.MetaLabels.INSTANCE;
import static io.pyrometer.discovery.kubernetes.MetaLabels.NAMESPACE;
import static io.pyrometer.discovery.kubernetes.MetaLabels.PREFIX;
import static io.pyrometer.discovery.kubernetes.MetaLabels.joinHostPort;
import static io.pyrometer.discovery.kubernetes.MetaLabels.list;
import static io.pyrometer.discovery.kubernetes.MetaLabels.num;
import static io.pyrometer.discovery.kubernetes.MetaLabels.str;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.pyrometer.discovery.TargetGroup;
import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Target groups of the {@code node}, {@code service}, {@code ingress} and {@code pod} roles, label for label
 * as Prometheus's {@code discovery/kubernetes/{node,service,ingress,pod}.go} build them. Pure functions of
 * the object and the {@link Lookup}.
 */
final class RoleTargets {
    private RoleTargets() {}

    // ---- node (node.go)

    static String nodeSource(String name) { return "node/" + name; }

    /** Null when the node has no usable address (Prometheus logs and sends nothing). */
    static TargetGroup node(Node n) {
        Map<String, String> group = new HashMap<>();
        group.put(PREFIX + "node_provider_id", n.getSpec() == null ? "" : str(n.getSpec().getProviderID()));
        var status = n.getStatus();
        if (status != null) {
            for (NodeCondition c : list(status.getConditions())) {
                String type = str(c.getType()).toLowerCase(Locale.ROOT);
                group.put(PREFIX + "node_condition_" + MetaLabels.sanitize(type), str(c.getStatus()).toLowerCase(Locale.ROOT));
            }
        }
        MetaLabels.addObjectMeta(group, n.getMetadata(), "node");

        Map<String, List<String>> byType = new LinkedHashMap<>();
        if (status != null) {
            for (NodeAddress a : list(status.getAddresses())) {
                byType.computeIfAbsent(str(a.getType()), k -> new ArrayList<>()).add(str(a.getAddress()));
            }
        }
        String addr = null;
        for (String type : List.of("InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname")) {
            List<String> as = byType.get(type);
            if (as != null) {
                addr = as.getFirst();
                break;
            }
        }
        if (addr == null) return null;
        Integer port = status.getDaemonEndpoints() == null || status.getDaemonEndpoints().getKubeletEndpoint() == null
                ? null : status.getDaemonEndpoints().getKubeletEndpoint().getPort();
        Map<String, String> t = new HashMap<>();
        t.put(ADDRESS, joinHostPort(addr, num(port)));
        t.put(INSTANCE, str(n.getMetadata().getName()));
        for (var e : byType.entrySet()) {
            t.put(MetaLabels.sanitize(PREFIX + "node_address_" + e.getKey()), e.getValue().getFirst());
        }
        return new TargetGroup(nodeSource(n.getMetadata().getName()), List.of(Labels.of(t)), Labels.of(group));
    }

    // ---- service (service.go)

    static String serviceSource(String namespace, String name) { return "svc/" + namespace + "/" + name; }

    /** Prometheus's {@code serviceLabels}: also the group labels endpoints and endpointslice targets get. */
    static void serviceLabels(Map<String, String> ls, Service svc) {
        ls.put(NAMESPACE, str(svc.getMetadata().getNamespace()));
        MetaLabels.addObjectMeta(ls, svc.getMetadata(), "service");
    }

    static TargetGroup service(Service svc, Lookup lookup) {
        String ns = str(svc.getMetadata().getNamespace()), name = str(svc.getMetadata().getName());
        Map<String, String> group = new HashMap<>();
        serviceLabels(group, svc);
        if (lookup.attachNamespace()) MetaLabels.addNamespaceLabels(group, lookup, ns);
        var spec = svc.getSpec();
        List<Labels> targets = new ArrayList<>();
        String type = spec == null ? "" : str(spec.getType());
        for (ServicePort port : spec == null ? List.<ServicePort>of() : list(spec.getPorts())) {
            Map<String, String> t = new HashMap<>();
            t.put(ADDRESS, joinHostPort(name + "." + ns + ".svc", num(port.getPort())));
            t.put(PREFIX + "service_port_name", str(port.getName()));
            t.put(PREFIX + "service_port_number", num(port.getPort()));
            t.put(PREFIX + "service_port_protocol", str(port.getProtocol()));
            t.put(PREFIX + "service_type", type);
            if (type.equals("ExternalName")) t.put(PREFIX + "service_external_name", str(spec.getExternalName()));
            else t.put(PREFIX + "service_cluster_ip", str(spec.getClusterIP()));
            if (type.equals("LoadBalancer")) t.put(PREFIX + "service_loadbalancer_ip", loadBalancerIps(svc));
            targets.add(Labels.of(t));
        }
        return new TargetGroup(serviceSource(ns, name), targets, Labels.of(group));
    }

    private static String loadBalancerIps(Service svc) {
        List<String> ips = new ArrayList<>();
        if (svc.getStatus() != null && svc.getStatus().getLoadBalancer() != null) {
            for (LoadBalancerIngress ing : list(svc.getStatus().getLoadBalancer().getIngress())) {
                if (!str(ing.getIp()).isEmpty()) ips.add(ing.getIp());
            }
        }
        return ips.isEmpty() ? str(svc.getSpec().getLoadBalancerIP()) : String.join(",", ips);
    }

    // ---- ingress (ingress.go)

    static String ingressSource(String namespace, String name) { return "ingress/" + namespace + "/" + name; }

    static TargetGroup ingress(Ingress ing, Lookup lookup) {
        String ns = str(ing.getMetadata().getNamespace()), name = str(ing.getMetadata().getName());
        Map<String, String> group = new HashMap<>();
        group.put(NAMESPACE, ns);
        var spec = ing.getSpec();
        if (spec != null && spec.getIngressClassName() != null) group.put(PREFIX + "ingress_class_name", spec.getIngressClassName());
        MetaLabels.addObjectMeta(group, ing.getMetadata(), "ingress");
        if (lookup.attachNamespace()) MetaLabels.addNamespaceLabels(group, lookup, ns);

        List<String> tlsHosts = new ArrayList<>();
        if (spec != null) for (IngressTLS tls : list(spec.getTls())) tlsHosts.addAll(list(tls.getHosts()));
        List<Labels> targets = new ArrayList<>();
        for (IngressRule rule : spec == null ? List.<IngressRule>of() : list(spec.getRules())) {
            String host = str(rule.getHost());
            String scheme = "http";
            for (String pattern : tlsHosts) {
                if (matchesHostnamePattern(pattern, host)) {
                    scheme = "https";
                    break;
                }
            }
            for (String path : rulePaths(rule)) {
                targets.add(Labels.of(ADDRESS, host, PREFIX + "ingress_scheme", scheme, PREFIX + "ingress_host", host,
                        PREFIX + "ingress_path", path));
            }
        }
        return new TargetGroup(ingressSource(ns, name), targets, Labels.of(group));
    }

    /** {@code pathsFromIngressPaths(rulePaths(rule))}: "/" for a rule without http, "" paths read as "/". */
    private static List<String> rulePaths(IngressRule rule) {
        if (rule.getHttp() == null) return List.of("/");
        List<String> out = new ArrayList<>();
        for (HTTPIngressPath p : list(rule.getHttp().getPaths())) out.add(str(p.getPath()).isEmpty() ? "/" : p.getPath());
        return out;
    }

    /** A TLS host matches itself, or as {@code *.rest} any host with one more leading label. */
    static boolean matchesHostnamePattern(String pattern, String host) {
        if (pattern.equals(host)) return true;
        String[] p = pattern.split("\\.", -1), h = host.split("\\.", -1);
        if (!p[0].equals("*") || p.length != h.length) return false;
        for (int i = 1; i < p.length; i++) if (!p[i].equals(h[i])) return false;
        return true;
    }

    // ---- pod (pod.go)

    static String podSource(String namespace, String name) { return "pod/" + namespace + "/" + name; }

    /**
     * A pod without an IP, or (with attach_metadata.node) on a node not yet known, gives a group without
     * targets, which removes what was sent before.
     */
    static TargetGroup pod(Pod pod, Lookup lookup) {
        String ns = str(pod.getMetadata().getNamespace()), name = str(pod.getMetadata().getName());
        String source = podSource(ns, name);
        String ip = pod.getStatus() == null ? "" : str(pod.getStatus().getPodIP());
        if (ip.isEmpty()) return TargetGroup.empty(source);
        String nodeName = pod.getSpec() == null ? "" : str(pod.getSpec().getNodeName());
        if (lookup.attachNode() && lookup.node(nodeName) == null) return TargetGroup.empty(source);

        Map<String, String> group = new HashMap<>();
        MetaLabels.addPodLabels(group, pod, lookup);
        group.put(NAMESPACE, ns);
        if (lookup.attachNode()) MetaLabels.addNodeLabels(group, lookup, nodeName);
        if (lookup.attachNamespace()) MetaLabels.addNamespaceLabels(group, lookup, ns);

        List<Container> containers = MetaLabels.containers(pod);
        int regular = MetaLabels.regularContainers(pod);
        List<Labels> targets = new ArrayList<>();
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            boolean init = i >= regular;
            var status = pod.getStatus();
            String id = containerId(init ? status.getInitContainerStatuses() : status.getContainerStatuses(), c.getName());
            List<ContainerPort> ports = list(c.getPorts());
            if (ports.isEmpty()) {
                targets.add(Labels.of(ADDRESS, ip, MetaLabels.POD_CONTAINER_NAME, str(c.getName()),
                        MetaLabels.POD_CONTAINER_ID, id, MetaLabels.POD_CONTAINER_IMAGE, str(c.getImage()),
                        MetaLabels.POD_CONTAINER_INIT, Boolean.toString(init)));
                continue;
            }
            for (ContainerPort port : ports) {
                String p = num(port.getContainerPort());
                targets.add(Labels.of(ADDRESS, joinHostPort(ip, p), MetaLabels.POD_CONTAINER_NAME, str(c.getName()),
                        MetaLabels.POD_CONTAINER_ID, id, MetaLabels.POD_CONTAINER_IMAGE, str(c.getImage()),
                        MetaLabels.POD_CONTAINER_PORT_NUMBER, p, MetaLabels.POD_CONTAINER_PORT_NAME, str(port.getName()),
                        MetaLabels.POD_CONTAINER_PORT_PROTOCOL, str(port.getProtocol()),
                        MetaLabels.POD_CONTAINER_INIT, Boolean.toString(init)));
            }
        }
        return new TargetGroup(source, targets, Labels.of(group));
    }

    private static String containerId(List<ContainerStatus> statuses, String name) {
        for (ContainerStatus s : list(statuses)) if (str(s.getName()).equals(str(name))) return str(s.getContainerID());
        return "";
    }
}
