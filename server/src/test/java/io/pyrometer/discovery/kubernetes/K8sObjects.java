package io.pyrometer.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pyrometer.discovery.TargetGroup;
import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects of Prometheus's {@code discovery/kubernetes/*_test.go} ({@code makeMultiPortPods},
 * {@code makePods}, {@code makeNode}, {@code makeNamespace}, ...), built with fabric8's builders, and
 * shorthands for expected target groups.
 */
final class K8sObjects {
    private K8sObjects() {}

    static TargetGroup group(String source, Labels labels, Labels... targets) {
        return new TargetGroup(source, List.of(targets), labels);
    }

    static Labels ls(String... pairs) {
        return Labels.of(pairs);
    }

    /** {@code labels} plus more pairs (empty values kept: Prometheus's discovery sets some labels to ""). */
    static Labels with(Labels labels, String... pairs) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < labels.size(); i++) m.put(labels.name(i), labels.value(i));
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return Labels.of(m);
    }

    /** pod_test.go makeMultiPortPods. */
    static Pod multiPortPod() {
        return new PodBuilder()
                .withNewMetadata().withName("testpod").withNamespace("default")
                .withLabels(Map.of("test/label", "testvalue")).withAnnotations(Map.of("test/annotation", "testannotationvalue"))
                .withUid("abc123")
                .addNewOwnerReference().withKind("testcontrollerkind").withName("testcontrollername").withController(true)
                .withApiVersion("v1").withUid("o1").endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName("testnode")
                .addToContainers(new ContainerBuilder().withName("testcontainer0").withImage("testcontainer0:latest")
                        .withPorts(port("testport0", "TCP", 9000), port("testport1", "UDP", 9001)).build())
                .addToContainers(new ContainerBuilder().withName("testcontainer1").withImage("testcontainer1:latest").build())
                .endSpec()
                .withNewStatus().withPodIP("1.2.3.4").withHostIP("2.3.4.5").withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("testcontainer0").withContainerID("docker://a1b2c3d4e5f6").endContainerStatus()
                .addNewContainerStatus().withName("testcontainer1").withContainerID("containerd://6f5e4d3c2b1a").endContainerStatus()
                .endStatus()
                .build();
    }

    /** pod_test.go makePods. */
    static Pod pod(String namespace) {
        return new PodBuilder()
                .withNewMetadata().withName("testpod").withNamespace(namespace).withUid("abc123").endMetadata()
                .withNewSpec().withNodeName("testnode")
                .addToContainers(new ContainerBuilder().withName("testcontainer").withImage("testcontainer:latest")
                        .withPorts(port("testport", "TCP", 9000)).build())
                .endSpec()
                .withNewStatus().withPodIP("1.2.3.4").withHostIP("2.3.4.5").withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("testcontainer").withContainerID("docker://a1b2c3d4e5f6").endContainerStatus()
                .endStatus()
                .build();
    }

    /** pod_test.go makeInitContainerPods. */
    static Pod initContainerPod() {
        return new PodBuilder(pod("default"))
                .editSpec().addToInitContainers(new ContainerBuilder().withName("initcontainer").withImage("initcontainer:latest").build()).endSpec()
                .editStatus().withPhase("Pending").withConditions().addNewCondition().withType("Ready").withStatus("False").endCondition()
                .addNewInitContainerStatus().withName("initcontainer").withContainerID("containerd://6f5e4d3c2b1a").endInitContainerStatus()
                .endStatus()
                .build();
    }

    static io.fabric8.kubernetes.api.model.ContainerPort port(String name, String protocol, int port) {
        return new ContainerPortBuilder().withName(name).withProtocol(protocol).withContainerPort(port).build();
    }

    /** pod_test.go expectedPodTargetGroups. */
    static Map<String, TargetGroup> expectedPodGroups(String ns) {
        String source = "pod/" + ns + "/testpod";
        return Map.of(source, group(source,
                ls("__meta_kubernetes_pod_name", "testpod", "__meta_kubernetes_namespace", ns,
                        "__meta_kubernetes_pod_node_name", "testnode", "__meta_kubernetes_pod_ip", "1.2.3.4",
                        "__meta_kubernetes_pod_host_ip", "2.3.4.5", "__meta_kubernetes_pod_ready", "true",
                        "__meta_kubernetes_pod_phase", "Running", "__meta_kubernetes_pod_uid", "abc123"),
                ls("__address__", "1.2.3.4:9000", "__meta_kubernetes_pod_container_name", "testcontainer",
                        "__meta_kubernetes_pod_container_image", "testcontainer:latest",
                        "__meta_kubernetes_pod_container_port_name", "testport",
                        "__meta_kubernetes_pod_container_port_number", "9000",
                        "__meta_kubernetes_pod_container_port_protocol", "TCP",
                        "__meta_kubernetes_pod_container_init", "false",
                        "__meta_kubernetes_pod_container_id", "docker://a1b2c3d4e5f6")));
    }

    /** node_test.go / kubernetes_test.go makeNode(name, address, providerID, labels, annotations, conditions). */
    static Node node(String name, String address, String providerId, Map<String, String> labels, Map<String, String> annotations) {
        var b = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec().withProviderID(providerId).endSpec()
                .withNewStatus()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint().endDaemonEndpoints();
        return b.addNewAddress().withType("InternalIP").withAddress(address).endAddress().endStatus().build();
    }

    /** makeNamespace(name, labels, annotations). */
    static Namespace namespace(String name, Map<String, String> labels, Map<String, String> annotations) {
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).withAnnotations(annotations)
                .endMetadata().build();
    }

    /** Group labels plus {@code <prefix>_label_k}/{@code _labelpresent_k} (and annotations) for each entry. */
    static Labels withMeta(Labels labels, String prefix, Map<String, String> objLabels, Map<String, String> objAnnotations) {
        List<String> pairs = new ArrayList<>();
        objLabels.forEach((k, v) -> {
            pairs.add(prefix + "_label_" + k);
            pairs.add(v);
            pairs.add(prefix + "_labelpresent_" + k);
            pairs.add("true");
        });
        objAnnotations.forEach((k, v) -> {
            pairs.add(prefix + "_annotation_" + k);
            pairs.add(v);
            pairs.add(prefix + "_annotationpresent_" + k);
            pairs.add("true");
        });
        return with(labels, pairs.toArray(String[]::new));
    }
}
