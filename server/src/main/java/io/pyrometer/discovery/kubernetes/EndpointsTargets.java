package io.pyrometer.discovery.kubernetes;

import static io.pyrometer.discovery.kubernetes.MetaLabels.ADDRESS;
import static io.pyrometer.discovery.kubernetes.MetaLabels.NAMESPACE;
import static io.pyrometer.discovery.kubernetes.MetaLabels.PREFIX;
import static io.pyrometer.discovery.kubernetes.MetaLabels.joinHostPort;
import static io.pyrometer.discovery.kubernetes.MetaLabels.list;
import static io.pyrometer.discovery.kubernetes.MetaLabels.num;
import static io.pyrometer.discovery.kubernetes.MetaLabels.str;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.pyrometer.discovery.TargetGroup;
import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Target groups of the {@code endpoints} and {@code endpointslice} roles, as Prometheus's
 * {@code discovery/kubernetes/endpoints.go} and {@code endpointslice.go} build them: one target per
 * address and port, enriched with the service's labels and, for addresses backed by a pod, the pod's
 * labels and matching container; then one target for every container port of those pods that no
 * endpoint port covers.
 */
final class EndpointsTargets {
    private EndpointsTargets() {}

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    static String endpointsSource(String namespace, String name) { return "endpoints/" + namespace + "/" + name; }

    static String endpointSliceSource(String namespace, String name) { return "endpointslice/" + namespace + "/" + name; }

    /** A pod seen behind an address, with the ports it was seen on (null entries: a slice port without a number). */
    private record SeenPod(Pod pod, List<Integer> ports) {}

    // ---- endpoints (endpoints.go)

    static TargetGroup endpoints(Endpoints eps, Lookup lookup) {
        String ns = str(eps.getMetadata().getNamespace()), name = str(eps.getMetadata().getName());
        Map<String, String> group = new HashMap<>();
        group.put(NAMESPACE, ns);
        Service svc = lookup.service(ns, name);
        if (svc != null) RoleTargets.serviceLabels(group, svc);
        MetaLabels.addObjectMeta(group, eps.getMetadata(), "endpoints");
        if (lookup.attachNamespace()) MetaLabels.addNamespaceLabels(group, lookup, ns);

        List<Labels> targets = new ArrayList<>();
        Map<String, SeenPod> seen = new LinkedHashMap<>();
        for (EndpointSubset ss : list(eps.getSubsets())) {
            for (EndpointPort port : list(ss.getPorts())) {
                for (EndpointAddress a : list(ss.getAddresses())) targets.add(endpointsTarget(a, port, "true", lookup, seen));
                for (EndpointAddress a : list(ss.getNotReadyAddresses())) targets.add(endpointsTarget(a, port, "false", lookup, seen));
            }
        }
        addUncoveredPodPorts(targets, seen, lookup, true);
        return new TargetGroup(endpointsSource(ns, name), targets, Labels.of(group));
    }

    private static Labels endpointsTarget(EndpointAddress addr, EndpointPort port, String ready, Lookup lookup,
                                          Map<String, SeenPod> seen) {
        Map<String, String> t = new HashMap<>();
        t.put(ADDRESS, joinHostPort(str(addr.getIp()), num(port.getPort())));
        t.put(PREFIX + "endpoint_port_name", str(port.getName()));
        t.put(PREFIX + "endpoint_port_protocol", str(port.getProtocol()));
        t.put(PREFIX + "endpoint_ready", ready);
        ObjectReference ref = addr.getTargetRef();
        if (ref != null) {
            t.put(PREFIX + "endpoint_address_target_kind", str(ref.getKind()));
            t.put(PREFIX + "endpoint_address_target_name", str(ref.getName()));
        }
        if (addr.getNodeName() != null) t.put(PREFIX + "endpoint_node_name", addr.getNodeName());
        if (!str(addr.getHostname()).isEmpty()) t.put(PREFIX + "endpoint_hostname", addr.getHostname());
        if (lookup.attachNode()) {
            if (addr.getNodeName() != null) MetaLabels.addNodeLabels(t, lookup, addr.getNodeName());
            else if (ref != null && "Node".equals(ref.getKind())) MetaLabels.addNodeLabels(t, lookup, ref.getName());
        }
        Pod pod = resolvePod(ref, lookup);
        if (pod == null) return Labels.of(t);
        seenPod(seen, pod).ports().add(port.getPort());
        MetaLabels.addPodLabels(t, pod, lookup);
        matchContainer(t, pod, port.getPort(), str(port.getProtocol()));
        return Labels.of(t);
    }

    // ---- endpointslice (endpointslice.go)

    static TargetGroup endpointSlice(EndpointSlice eps, Lookup lookup) {
        String ns = str(eps.getMetadata().getNamespace()), name = str(eps.getMetadata().getName());
        Map<String, String> group = new HashMap<>();
        group.put(NAMESPACE, ns);
        group.put(PREFIX + "endpointslice_address_type", str(eps.getAddressType()));
        MetaLabels.addObjectMeta(group, eps.getMetadata(), "endpointslice");
        Service svc = null;
        var labels = eps.getMetadata().getLabels();
        if (labels != null && labels.containsKey(SERVICE_NAME_LABEL)) {
            svc = lookup.service(ns, labels.get(SERVICE_NAME_LABEL));
            if (svc != null) RoleTargets.serviceLabels(group, svc);
        }
        if (lookup.attachNamespace()) MetaLabels.addNamespaceLabels(group, lookup, ns);
        String source = endpointSliceSource(ns, name);
        if (nonPrimaryIpFamilySlice(svc, eps)) return new TargetGroup(source, List.of(), Labels.of(group));

        List<Labels> targets = new ArrayList<>();
        Map<String, SeenPod> seen = new LinkedHashMap<>();
        for (Endpoint ep : list(eps.getEndpoints())) {
            for (var port : list(eps.getPorts())) {
                for (String addr : list(ep.getAddresses())) targets.add(sliceTarget(addr, ep, port, lookup, seen));
            }
        }
        addUncoveredPodPorts(targets, seen, lookup, false);
        return new TargetGroup(source, targets, Labels.of(group));
    }

    private static Labels sliceTarget(String addr, Endpoint ep, io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort port,
                                      Lookup lookup, Map<String, SeenPod> seen) {
        Map<String, String> t = new HashMap<>();
        t.put(ADDRESS, port.getPort() != null ? joinHostPort(addr, num(port.getPort())) : addr);
        if (port.getName() != null) t.put(PREFIX + "endpointslice_port_name", port.getName());
        if (port.getProtocol() != null) t.put(PREFIX + "endpointslice_port_protocol", port.getProtocol());
        if (port.getPort() != null) t.put(PREFIX + "endpointslice_port", num(port.getPort()));
        if (port.getAppProtocol() != null) t.put(PREFIX + "endpointslice_port_app_protocol", port.getAppProtocol());
        var cond = ep.getConditions();
        if (cond != null) {
            if (cond.getReady() != null) t.put(PREFIX + "endpointslice_endpoint_conditions_ready", cond.getReady().toString());
            if (cond.getServing() != null) t.put(PREFIX + "endpointslice_endpoint_conditions_serving", cond.getServing().toString());
            if (cond.getTerminating() != null) {
                t.put(PREFIX + "endpointslice_endpoint_conditions_terminating", cond.getTerminating().toString());
            }
        }
        if (ep.getHostname() != null) t.put(PREFIX + "endpointslice_endpoint_hostname", ep.getHostname());
        ObjectReference ref = ep.getTargetRef();
        if (ref != null) {
            t.put(PREFIX + "endpointslice_address_target_kind", str(ref.getKind()));
            t.put(PREFIX + "endpointslice_address_target_name", str(ref.getName()));
        }
        if (ep.getNodeName() != null) t.put(PREFIX + "endpointslice_endpoint_node_name", ep.getNodeName());
        if (ep.getZone() != null) t.put(PREFIX + "endpointslice_endpoint_zone", ep.getZone());
        if (ep.getDeprecatedTopology() != null) {
            for (var e : ep.getDeprecatedTopology().entrySet()) {
                String ln = MetaLabels.sanitize(e.getKey());
                t.put(PREFIX + "endpointslice_endpoint_topology_" + ln, str(e.getValue()));
                t.put(PREFIX + "endpointslice_endpoint_topology_present_" + ln, MetaLabels.PRESENT);
            }
        }
        if (lookup.attachNode()) {
            if (ref != null && "Node".equals(ref.getKind())) MetaLabels.addNodeLabels(t, lookup, ref.getName());
            else MetaLabels.addNodeLabels(t, lookup, ep.getNodeName());
        }
        Pod pod = resolvePod(ref, lookup);
        if (pod == null) return Labels.of(t);
        seenPod(seen, pod).ports().add(port.getPort());
        MetaLabels.addPodLabels(t, pod, lookup);
        if (port.getPort() != null) matchContainer(t, pod, port.getPort(), null);
        return Labels.of(t);
    }

    /** Dual-stack services: only the slices of the service's primary IP family are scraped. */
    private static boolean nonPrimaryIpFamilySlice(Service svc, EndpointSlice eps) {
        if (svc == null || svc.getSpec() == null) return false;
        String policy = svc.getSpec().getIpFamilyPolicy();
        if (!"PreferDualStack".equals(policy) && !"RequireDualStack".equals(policy)) return false;
        List<String> families = list(svc.getSpec().getIpFamilies());
        if (families.isEmpty()) return false;
        return !str(eps.getAddressType()).equals(families.getFirst());
    }

    // ---- shared

    private static Pod resolvePod(ObjectReference ref, Lookup lookup) {
        if (ref == null || !"Pod".equals(ref.getKind())) return null;
        return lookup.pod(str(ref.getNamespace()), str(ref.getName()));
    }

    private static SeenPod seenPod(Map<String, SeenPod> seen, Pod pod) {
        return seen.computeIfAbsent(MetaLabels.key(pod.getMetadata().getNamespace(), pod.getMetadata().getName()),
                k -> new SeenPod(pod, new ArrayList<>()));
    }

    /**
     * The container port equal to the endpoint port, first match wins. The protocol label is the endpoint
     * port's in endpoints.go and the container port's in endpointslice.go ({@code endpointProtocol} null).
     */
    private static void matchContainer(Map<String, String> t, Pod pod, Integer port, String endpointProtocol) {
        List<Container> containers = MetaLabels.containers(pod);
        int regular = MetaLabels.regularContainers(pod);
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            for (ContainerPort cp : list(c.getPorts())) {
                if (port == null || !port.equals(cp.getContainerPort())) continue;
                t.put(MetaLabels.POD_CONTAINER_NAME, str(c.getName()));
                t.put(MetaLabels.POD_CONTAINER_IMAGE, str(c.getImage()));
                t.put(MetaLabels.POD_CONTAINER_PORT_NAME, str(cp.getName()));
                t.put(MetaLabels.POD_CONTAINER_PORT_NUMBER, num(port));
                t.put(MetaLabels.POD_CONTAINER_PORT_PROTOCOL, endpointProtocol != null ? endpointProtocol : str(cp.getProtocol()));
                t.put(MetaLabels.POD_CONTAINER_INIT, Boolean.toString(i >= regular));
                break;
            }
        }
    }

    /** Container ports of seen pods that no endpoint port covered become targets of their own. */
    private static void addUncoveredPodPorts(List<Labels> targets, Map<String, SeenPod> seen, Lookup lookup, boolean endpointsRole) {
        for (SeenPod sp : seen.values()) {
            Pod pod = sp.pod();
            String ip = pod.getStatus() == null ? "" : str(pod.getStatus().getPodIP());
            if (ip.isEmpty()) continue;
            List<Container> containers = MetaLabels.containers(pod);
            int regular = MetaLabels.regularContainers(pod);
            for (int i = 0; i < containers.size(); i++) {
                Container c = containers.get(i);
                for (ContainerPort cp : list(c.getPorts())) {
                    if (sp.ports().contains(cp.getContainerPort())) continue;
                    String p = num(cp.getContainerPort());
                    Map<String, String> t = new HashMap<>();
                    t.put(ADDRESS, joinHostPort(ip, p));
                    t.put(MetaLabels.POD_CONTAINER_NAME, str(c.getName()));
                    t.put(MetaLabels.POD_CONTAINER_IMAGE, str(c.getImage()));
                    t.put(MetaLabels.POD_CONTAINER_PORT_NAME, str(cp.getName()));
                    t.put(MetaLabels.POD_CONTAINER_PORT_NUMBER, p);
                    t.put(MetaLabels.POD_CONTAINER_PORT_PROTOCOL, str(cp.getProtocol()));
                    t.put(MetaLabels.POD_CONTAINER_INIT, Boolean.toString(i >= regular));
                    MetaLabels.addPodLabels(t, pod, lookup);
                    targets.add(Labels.of(t));
                }
            }
        }
    }
}
