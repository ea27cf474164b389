package io.pyrometer.discovery.kubernetes;

import static io.pyrometer.discovery.kubernetes.K8sObjects.expectedPodGroups;
import static io.pyrometer.discovery.kubernetes.K8sObjects.group;
import static io.pyrometer.discovery.kubernetes.K8sObjects.ls;
import static io.pyrometer.discovery.kubernetes.K8sObjects.with;
import static io.pyrometer.discovery.kubernetes.K8sObjects.withMeta;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pyrometer.config.KubernetesSdConfig.AttachMetadata;
import io.pyrometer.config.KubernetesSdConfig.Namespaces;
import io.pyrometer.discovery.TargetGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's {@code discovery/kubernetes/pod_test.go}, case by case: the same objects, served by the
 * fabric8 mock API server, give the same target groups.
 */
class PodDiscoveryTest {
    private final MockApiServer api = new MockApiServer();

    @AfterEach
    void close() throws InterruptedException {
        api.close();
    }

    /** TestPodDiscoveryBeforeRun. */
    @Test
    void beforeRun() throws Exception {
        api.apply(K8sObjects.multiPortPod());
        api.discover(api.config("pod"));
        api.awaitEqual(Map.of("pod/default/testpod", group("pod/default/testpod",
                ls("__meta_kubernetes_pod_name", "testpod", "__meta_kubernetes_namespace", "default",
                        "__meta_kubernetes_pod_label_test_label", "testvalue",
                        "__meta_kubernetes_pod_labelpresent_test_label", "true",
                        "__meta_kubernetes_pod_annotation_test_annotation", "testannotationvalue",
                        "__meta_kubernetes_pod_annotationpresent_test_annotation", "true",
                        "__meta_kubernetes_pod_node_name", "testnode", "__meta_kubernetes_pod_ip", "1.2.3.4",
                        "__meta_kubernetes_pod_host_ip", "2.3.4.5", "__meta_kubernetes_pod_ready", "true",
                        "__meta_kubernetes_pod_phase", "Running", "__meta_kubernetes_pod_uid", "abc123",
                        "__meta_kubernetes_pod_controller_kind", "testcontrollerkind",
                        "__meta_kubernetes_pod_controller_name", "testcontrollername"),
                ls("__address__", "1.2.3.4:9000", "__meta_kubernetes_pod_container_name", "testcontainer0",
                        "__meta_kubernetes_pod_container_image", "testcontainer0:latest",
                        "__meta_kubernetes_pod_container_port_name", "testport0",
                        "__meta_kubernetes_pod_container_port_number", "9000",
                        "__meta_kubernetes_pod_container_port_protocol", "TCP",
                        "__meta_kubernetes_pod_container_init", "false",
                        "__meta_kubernetes_pod_container_id", "docker://a1b2c3d4e5f6"),
                ls("__address__", "1.2.3.4:9001", "__meta_kubernetes_pod_container_name", "testcontainer0",
                        "__meta_kubernetes_pod_container_image", "testcontainer0:latest",
                        "__meta_kubernetes_pod_container_port_name", "testport1",
                        "__meta_kubernetes_pod_container_port_number", "9001",
                        "__meta_kubernetes_pod_container_port_protocol", "UDP",
                        "__meta_kubernetes_pod_container_init", "false",
                        "__meta_kubernetes_pod_container_id", "docker://a1b2c3d4e5f6"),
                ls("__address__", "1.2.3.4", "__meta_kubernetes_pod_container_name", "testcontainer1",
                        "__meta_kubernetes_pod_container_image", "testcontainer1:latest",
                        "__meta_kubernetes_pod_container_init", "false",
                        "__meta_kubernetes_pod_container_id", "containerd://6f5e4d3c2b1a"))));
    }

    /** TestPodDiscoveryInitContainer. */
    @Test
    void initContainer() throws Exception {
        api.apply(K8sObjects.initContainerPod());
        api.discover(api.config("pod"));
        TargetGroup base = expectedPodGroups("default").get("pod/default/testpod");
        List<io.pyrometer.model.Labels> targets = new java.util.ArrayList<>(base.targets());
        targets.add(ls("__address__", "1.2.3.4", "__meta_kubernetes_pod_container_name", "initcontainer",
                "__meta_kubernetes_pod_container_image", "initcontainer:latest",
                "__meta_kubernetes_pod_container_init", "true",
                "__meta_kubernetes_pod_container_id", "containerd://6f5e4d3c2b1a"));
        api.awaitEqual(Map.of(base.source(), new TargetGroup(base.source(), targets,
                with(base.labels(), "__meta_kubernetes_pod_phase", "Pending", "__meta_kubernetes_pod_ready", "false"))));
    }

    /** TestPodDiscoveryAdd: a pod created after discovery started. */
    @Test
    void add() throws Exception {
        api.discover(api.config("pod"));
        api.await(g -> api.updates() >= 0);
        api.apply(K8sObjects.pod("default"));
        api.awaitEqual(expectedPodGroups("default"));
    }

    /** TestPodDiscoveryDelete: the group is sent again without targets. */
    @Test
    void delete() throws Exception {
        api.apply(K8sObjects.pod("default"));
        api.discover(api.config("pod"));
        api.awaitEqual(expectedPodGroups("default"));
        api.delete(K8sObjects.pod("default"));
        api.awaitEqual(Map.of("pod/default/testpod", TargetGroup.empty("pod/default/testpod")));
    }

    /** TestPodDiscoveryUpdate. */
    @Test
    void update() throws Exception {
        Pod before = new PodBuilder(K8sObjects.pod("default")).editMetadata().withUid("xyz321").endMetadata()
                .editStatus().withPhase(null).withConditions(List.of()).withContainerStatuses(List.of()).endStatus().build();
        api.apply(before);
        api.discover(api.config("pod"));
        api.await(g -> g.containsKey("pod/default/testpod"));
        api.apply(K8sObjects.pod("default"));
        api.awaitEqual(expectedPodGroups("default"));
    }

    /** TestPodDiscoveryUpdateEmptyPodIP: a pod that loses its IP loses its targets. */
    @Test
    void updateEmptyPodIp() throws Exception {
        api.apply(K8sObjects.pod("default"));
        api.discover(api.config("pod"));
        api.awaitEqual(expectedPodGroups("default"));
        api.apply(new PodBuilder(K8sObjects.pod("default")).editStatus().withPodIP("").endStatus().build());
        api.awaitEqual(Map.of("pod/default/testpod", TargetGroup.empty("pod/default/testpod")));
    }

    /** TestPodDiscoveryNamespaces: only the listed namespaces are watched. */
    @Test
    void namespaces() throws Exception {
        for (String ns : List.of("ns1", "ns2", "ns3")) api.apply(K8sObjects.pod(ns));
        api.discover(api.config("pod", new Namespaces(false, List.of("ns1", "ns2")), AttachMetadata.NONE, List.of()));
        Map<String, TargetGroup> expected = new HashMap<>(expectedPodGroups("ns1"));
        expected.putAll(expectedPodGroups("ns2"));
        api.awaitEqual(expected);
    }

    /** TestPodDiscoveryWithNodeMetadata: node labels join the group once the node is known. */
    @Test
    void withNodeMetadata() throws Exception {
        api.discover(api.config("pod", Namespaces.ALL, new AttachMetadata(true, false, false, false, false), List.of()));
        api.apply(K8sObjects.node("testnode", "", "", Map.of("l1", "v1"), Map.of()));
        api.apply(K8sObjects.pod("default"));
        api.awaitEqual(withNode(expectedPodGroups("default"), Map.of("l1", "v1")));
    }

    /** TestPodDiscoveryWithNodeMetadataUpdateNode: a node's new labels reach its pods' groups. */
    @Test
    void withNodeMetadataUpdateNode() throws Exception {
        api.apply(K8sObjects.node("testnode", "", "", Map.of("l1", "v1"), Map.of()));
        api.discover(api.config("pod", Namespaces.ALL, new AttachMetadata(true, false, false, false, false), List.of()));
        api.apply(K8sObjects.pod("default"));
        api.awaitEqual(withNode(expectedPodGroups("default"), Map.of("l1", "v1")));
        api.apply(K8sObjects.node("testnode", "", "", Map.of("l2", "v2"), Map.of()));
        api.awaitEqual(withNode(expectedPodGroups("default"), Map.of("l2", "v2")));
    }

    /** TestPodDiscoveryWithNamespaceMetadata and TestPodDiscoveryWithUpdatedNamespaceMetadata. */
    @Test
    void withNamespaceMetadataAndItsUpdate() throws Exception {
        String ns = "test-ns";
        api.apply(K8sObjects.namespace(ns, Map.of("app", "web", "tier", "frontend"), Map.of("maintainer", "devops", "build", "v3.4.5")));
        api.apply(K8sObjects.pod(ns));
        api.discover(api.config("pod", Namespaces.ALL, new AttachMetadata(false, true, false, false, false), List.of()));
        TargetGroup base = expectedPodGroups(ns).get("pod/test-ns/testpod");
        api.awaitEqual(Map.of(base.source(), new TargetGroup(base.source(), base.targets(), withMeta(base.labels(),
                "__meta_kubernetes_namespace", Map.of("app", "web", "tier", "frontend"), Map.of("maintainer", "devops", "build", "v3.4.5")))));

        api.apply(K8sObjects.namespace(ns, Map.of("app", "service", "tier", "frontend", "zone", "us-east"),
                Map.of("maintainer", "sre", "build", "v3.4.5", "deployment", "canary")));
        api.awaitEqual(Map.of(base.source(), new TargetGroup(base.source(), base.targets(), withMeta(base.labels(),
                "__meta_kubernetes_namespace", Map.of("app", "service", "tier", "frontend", "zone", "us-east"),
                Map.of("maintainer", "sre", "build", "v3.4.5", "deployment", "canary")))));
        assertThat(api.registry.scrape().stream().map(s -> s.getMetadata().getPrometheusName()))
                .contains("prometheus_sd_kubernetes_events");
    }

    /** Selectors are sent to the API server: only pods matching the label selector are discovered. */
    @Test
    void labelSelector() throws Exception {
        api.apply(new PodBuilder(K8sObjects.pod("ns1")).editMetadata().withLabels(Map.of("app", "shop")).endMetadata().build());
        api.apply(new PodBuilder(K8sObjects.pod("ns2")).editMetadata().withLabels(Map.of("app", "other")).endMetadata().build());
        api.discover(api.config("pod", Namespaces.ALL, AttachMetadata.NONE,
                List.of(new io.pyrometer.config.KubernetesSdConfig.Selector("pod", "app=shop", ""))));
        TargetGroup base = expectedPodGroups("ns1").get("pod/ns1/testpod");
        api.awaitEqual(Map.of(base.source(), new TargetGroup(base.source(), base.targets(),
                withMeta(base.labels(), "__meta_kubernetes_pod", Map.of("app", "shop"), Map.of()))));
    }

    private static Map<String, TargetGroup> withNode(Map<String, TargetGroup> groups, Map<String, String> nodeLabels) {
        Map<String, TargetGroup> out = new HashMap<>();
        groups.forEach((k, g) -> out.put(k, new TargetGroup(g.source(), g.targets(),
                withMeta(with(g.labels(), "__meta_kubernetes_node_name", "testnode"), "__meta_kubernetes_node", nodeLabels, Map.of()))));
        return out;
    }
}
