package io.pyrometer.discovery.kubernetes;

import static io.pyrometer.discovery.kubernetes.K8sObjects.group;
import static io.pyrometer.discovery.kubernetes.K8sObjects.ls;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.pyrometer.discovery.TargetGroup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's {@code discovery/kubernetes/node_test.go}, {@code service_test.go} and {@code ingress_test.go}:
 * the same objects, served by the fabric8 mock API server, give the same target groups.
 */
class NodeServiceIngressDiscoveryTest {
    private final MockApiServer api = new MockApiServer();

    @AfterEach
    void close() throws InterruptedException {
        api.close();
    }

    // ---- node_test.go

    private static TargetGroup nodeGroup(String name, String providerId, String... extraGroupLabels) {
        var labels = K8sObjects.with(ls("__meta_kubernetes_node_name", name, "__meta_kubernetes_node_provider_id", providerId), extraGroupLabels);
        return group("node/" + name, labels,
                ls("__address__", "1.2.3.4:10250", "instance", name, "__meta_kubernetes_node_address_InternalIP", "1.2.3.4"));
    }

    /** TestNodeDiscoveryAdd, then TestNodeDiscoveryUpdate and TestNodeDiscoveryDelete on the same node. */
    @Test
    void nodeAddUpdateDelete() throws Exception {
        api.discover(api.config("node"));
        api.apply(K8sObjects.node("test1", "1.2.3.4", "aws:///de-west-3a/i-1", Map.of(), Map.of()));
        api.awaitEqual(Map.of("node/test1", nodeGroup("test1", "aws:///de-west-3a/i-1")));

        api.apply(K8sObjects.node("test1", "1.2.3.4", "aws:///fr-south-1c/i-49508290343823952", Map.of("Unschedulable", "true"), Map.of()));
        api.awaitEqual(Map.of("node/test1", nodeGroup("test1", "aws:///fr-south-1c/i-49508290343823952",
                "__meta_kubernetes_node_label_Unschedulable", "true", "__meta_kubernetes_node_labelpresent_Unschedulable", "true")));

        api.delete(K8sObjects.node("test1", "1.2.3.4", "", Map.of(), Map.of()));
        api.awaitEqual(Map.of("node/test1", TargetGroup.empty("node/test1")));
    }

    /** TestNodeDiscoveryConditions, case "node multiple conditions" (condition types lower-cased and sanitized). */
    @Test
    void nodeConditions() throws Exception {
        api.apply(new NodeBuilder(K8sObjects.node("test", "1.2.3.4", "aws:///test-zone/i-test", Map.of(), Map.of()))
                .editStatus().withConditions(condition("MemoryPressure", "False"), condition("Ready", "True"),
                        condition("DiskPressure", "False")).endStatus().build());
        api.discover(api.config("node"));
        api.awaitEqual(Map.of("node/test", nodeGroup("test", "aws:///test-zone/i-test",
                "__meta_kubernetes_node_condition_memorypressure", "false", "__meta_kubernetes_node_condition_ready", "true",
                "__meta_kubernetes_node_condition_diskpressure", "false")));
    }

    private static NodeCondition condition(String type, String status) {
        return new io.fabric8.kubernetes.api.model.NodeConditionBuilder().withType(type).withStatus(status).build();
    }

    // ---- service_test.go

    private static Service service(String name, String type, int port, String clusterIp) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().addNewPort().withName("testport").withProtocol("TCP").withPort(port).endPort()
                .withType(type).withClusterIP(clusterIp).endSpec().build();
    }

    /** TestServiceDiscoveryAdd: ClusterIP, ExternalName, LoadBalancer (spec IP and status ingress IPs). */
    @Test
    void serviceAdd() throws Exception {
        api.discover(api.config("service"));
        api.apply(service("testservice", "ClusterIP", 30900, "10.0.0.1"));
        api.apply(new ServiceBuilder(service("testservice-external", "ExternalName", 31900, null))
                .editSpec().withExternalName("FooExternalName").endSpec().build());
        api.apply(new ServiceBuilder(service("testservice-loadbalancer", "LoadBalancer", 31900, "10.0.0.1"))
                .editSpec().withLoadBalancerIP("127.0.0.1").endSpec().build());
        api.apply(new ServiceBuilder(service("testservice-lb-ingress", "LoadBalancer", 31900, "10.0.0.1"))
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("192.168.1.15").endIngress()
                .addNewIngress().withIp("2001:db8::1").endIngress().endLoadBalancer().endStatus().build());
        api.awaitEqual(Map.of(
                "svc/default/testservice", svcGroup("testservice", ls("__meta_kubernetes_service_port_protocol", "TCP",
                        "__address__", "testservice.default.svc:30900", "__meta_kubernetes_service_type", "ClusterIP",
                        "__meta_kubernetes_service_cluster_ip", "10.0.0.1", "__meta_kubernetes_service_port_name", "testport",
                        "__meta_kubernetes_service_port_number", "30900")),
                "svc/default/testservice-external", svcGroup("testservice-external", ls("__meta_kubernetes_service_port_protocol", "TCP",
                        "__address__", "testservice-external.default.svc:31900", "__meta_kubernetes_service_type", "ExternalName",
                        "__meta_kubernetes_service_port_name", "testport", "__meta_kubernetes_service_port_number", "31900",
                        "__meta_kubernetes_service_external_name", "FooExternalName")),
                "svc/default/testservice-loadbalancer", svcGroup("testservice-loadbalancer", ls("__meta_kubernetes_service_port_protocol", "TCP",
                        "__address__", "testservice-loadbalancer.default.svc:31900", "__meta_kubernetes_service_type", "LoadBalancer",
                        "__meta_kubernetes_service_port_name", "testport", "__meta_kubernetes_service_port_number", "31900",
                        "__meta_kubernetes_service_cluster_ip", "10.0.0.1", "__meta_kubernetes_service_loadbalancer_ip", "127.0.0.1")),
                "svc/default/testservice-lb-ingress", svcGroup("testservice-lb-ingress", ls("__meta_kubernetes_service_port_protocol", "TCP",
                        "__address__", "testservice-lb-ingress.default.svc:31900", "__meta_kubernetes_service_type", "LoadBalancer",
                        "__meta_kubernetes_service_port_name", "testport", "__meta_kubernetes_service_port_number", "31900",
                        "__meta_kubernetes_service_cluster_ip", "10.0.0.1",
                        "__meta_kubernetes_service_loadbalancer_ip", "192.168.1.15,2001:db8::1"))));
    }

    /** TestServiceDiscoveryUpdate (makeMultiPortService) and TestServiceDiscoveryDelete. */
    @Test
    void serviceUpdateAndDelete() throws Exception {
        api.apply(service("testservice", "ClusterIP", 30900, "10.0.0.1"));
        api.discover(api.config("service"));
        api.await(g -> g.containsKey("svc/default/testservice"));
        api.apply(new ServiceBuilder().withNewMetadata().withName("testservice").withNamespace("default")
                .withLabels(Map.of("test-label", "testvalue")).withAnnotations(Map.of("test-annotation", "testannotationvalue")).endMetadata()
                .withNewSpec().addNewPort().withName("testport0").withProtocol("TCP").withPort(30900).endPort()
                .addNewPort().withName("testport1").withProtocol("UDP").withPort(30901).endPort()
                .withType("ClusterIP").withClusterIP("10.0.0.1").endSpec().build());
        api.awaitEqual(Map.of("svc/default/testservice", group("svc/default/testservice",
                ls("__meta_kubernetes_service_name", "testservice", "__meta_kubernetes_namespace", "default",
                        "__meta_kubernetes_service_label_test_label", "testvalue",
                        "__meta_kubernetes_service_labelpresent_test_label", "true",
                        "__meta_kubernetes_service_annotation_test_annotation", "testannotationvalue",
                        "__meta_kubernetes_service_annotationpresent_test_annotation", "true"),
                ls("__meta_kubernetes_service_port_protocol", "TCP", "__address__", "testservice.default.svc:30900",
                        "__meta_kubernetes_service_type", "ClusterIP", "__meta_kubernetes_service_cluster_ip", "10.0.0.1",
                        "__meta_kubernetes_service_port_name", "testport0", "__meta_kubernetes_service_port_number", "30900"),
                ls("__meta_kubernetes_service_port_protocol", "UDP", "__address__", "testservice.default.svc:30901",
                        "__meta_kubernetes_service_type", "ClusterIP", "__meta_kubernetes_service_cluster_ip", "10.0.0.1",
                        "__meta_kubernetes_service_port_name", "testport1", "__meta_kubernetes_service_port_number", "30901"))));
        api.delete(service("testservice", "ClusterIP", 30900, "10.0.0.1"));
        api.awaitEqual(Map.of("svc/default/testservice", TargetGroup.empty("svc/default/testservice")));
    }

    private static TargetGroup svcGroup(String name, io.pyrometer.model.Labels target) {
        return group("svc/default/" + name, ls("__meta_kubernetes_service_name", name, "__meta_kubernetes_namespace", "default"), target);
    }

    // ---- ingress_test.go

    /** ingress_test.go makeIngress(ns, tls): three rules (one without backends), TLS for the given hosts. */
    private static Ingress ingress(List<String> tlsHosts) {
        var b = new IngressBuilder().withNewMetadata().withName("testingress").withNamespace("default")
                .withLabels(Map.of("test/label", "testvalue")).withAnnotations(Map.of("test/annotation", "testannotationvalue")).endMetadata()
                .withNewSpec().withIngressClassName("testclass");
        if (!tlsHosts.isEmpty()) b = b.addNewTl().withHosts(tlsHosts).endTl();
        return b.addNewRule().withHost("example.com").withNewHttp()
                .addNewPath().withPath("/").endPath().addNewPath().withPath("/foo").endPath().endHttp().endRule()
                .addNewRule().withHost("nobackend.example.com").withNewHttp().endHttp().endRule()
                .addNewRule().withHost("test.example.com").withNewHttp().addNewPath().endPath().endHttp().endRule()
                .endSpec().build();
    }

    /** expectedTargetGroups(ns, tls) of ingress_test.go. */
    private static Map<String, TargetGroup> expectedIngress(String scheme1, String scheme2) {
        return Map.of("ingress/default/testingress", group("ingress/default/testingress",
                ls("__meta_kubernetes_ingress_name", "testingress", "__meta_kubernetes_namespace", "default",
                        "__meta_kubernetes_ingress_label_test_label", "testvalue",
                        "__meta_kubernetes_ingress_labelpresent_test_label", "true",
                        "__meta_kubernetes_ingress_annotation_test_annotation", "testannotationvalue",
                        "__meta_kubernetes_ingress_annotationpresent_test_annotation", "true",
                        "__meta_kubernetes_ingress_class_name", "testclass"),
                ingressTarget(scheme1, "example.com", "/"),
                ingressTarget(scheme1, "example.com", "/foo"),
                ingressTarget(scheme2, "test.example.com", "/")));
    }

    private static io.pyrometer.model.Labels ingressTarget(String scheme, String host, String path) {
        return ls("__meta_kubernetes_ingress_scheme", scheme, "__address__", host, "__meta_kubernetes_ingress_host", host,
                "__meta_kubernetes_ingress_path", path);
    }

    /** TestIngressDiscoveryAdd, TestIngressDiscoveryAddTLS, TestIngressDiscoveryAddMixed, and the TLSWildcard case. */
    @Test
    void ingressPlainTlsMixedAndWildcard() throws Exception {
        api.discover(api.config("ingress"));
        api.apply(ingress(List.of()));
        api.awaitEqual(expectedIngress("http", "http"));
        api.apply(ingress(List.of("example.com", "test.example.com")));
        api.awaitEqual(expectedIngress("https", "https"));
        api.apply(ingress(List.of("example.com")));
        api.awaitEqual(expectedIngress("https", "http"));
        api.apply(ingress(List.of("*.example.com")));
        api.awaitEqual(expectedIngress("http", "https"));
    }
}
