package io.pyrometer.discovery.kubernetes;

import static io.pyrometer.discovery.kubernetes.K8sObjects.group;
import static io.pyrometer.discovery.kubernetes.K8sObjects.ls;
import static io.pyrometer.discovery.kubernetes.K8sObjects.port;
import static io.pyrometer.discovery.kubernetes.K8sObjects.with;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.pyrometer.config.KubernetesSdConfig.AttachMetadata;
import io.pyrometer.config.KubernetesSdConfig.Namespaces;
import io.pyrometer.discovery.TargetGroup;
import io.pyrometer.model.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's {@code discovery/kubernetes/endpoints_test.go} and {@code endpointslice_test.go}: the
 * same objects, served by the fabric8 mock API server, give the same target groups.
 */
class EndpointsDiscoveryTest {
    private final MockApiServer api = new MockApiServer();

    @AfterEach
    void close() throws InterruptedException {
        api.close();
    }

    // ---- endpoints_test.go

    /** endpoints_test.go makeEndpoints. */
    private static Endpoints endpoints() {
        return new EndpointsBuilder().withNewMetadata().withName("testendpoints").withNamespace("default")
                .withAnnotations(Map.of("test.annotation", "test")).endMetadata()
                .addNewSubset().withAddresses(new EndpointAddressBuilder().withIp("1.2.3.4").withHostname("testendpoint1")
                        .withNodeName("foobar").build())
                .withPorts(new EndpointPortBuilder().withName("testport").withPort(9000).withProtocol("TCP").build()).endSubset()
                .addNewSubset().withAddresses(new EndpointAddressBuilder().withIp("2.3.4.5").build())
                .withNotReadyAddresses(new EndpointAddressBuilder().withIp("2.3.4.5").build())
                .withPorts(new EndpointPortBuilder().withName("testport").withPort(9001).withProtocol("TCP").build()).endSubset()
                .addNewSubset().withAddresses(new EndpointAddressBuilder().withIp("6.7.8.9").withNewTargetRef()
                        .withKind("Node").withName("barbaz").endTargetRef().build())
                .withPorts(new EndpointPortBuilder().withName("testport").withPort(9002).withProtocol("TCP").build()).endSubset()
                .build();
    }

    private static final Labels[] ENDPOINTS_TARGETS = {
        ls("__address__", "1.2.3.4:9000", "__meta_kubernetes_endpoint_hostname", "testendpoint1",
                "__meta_kubernetes_endpoint_node_name", "foobar", "__meta_kubernetes_endpoint_port_name", "testport",
                "__meta_kubernetes_endpoint_port_protocol", "TCP", "__meta_kubernetes_endpoint_ready", "true"),
        ls("__address__", "2.3.4.5:9001", "__meta_kubernetes_endpoint_port_name", "testport",
                "__meta_kubernetes_endpoint_port_protocol", "TCP", "__meta_kubernetes_endpoint_ready", "true"),
        ls("__address__", "2.3.4.5:9001", "__meta_kubernetes_endpoint_port_name", "testport",
                "__meta_kubernetes_endpoint_port_protocol", "TCP", "__meta_kubernetes_endpoint_ready", "false"),
        ls("__address__", "6.7.8.9:9002", "__meta_kubernetes_endpoint_address_target_kind", "Node",
                "__meta_kubernetes_endpoint_address_target_name", "barbaz", "__meta_kubernetes_endpoint_port_name", "testport",
                "__meta_kubernetes_endpoint_port_protocol", "TCP", "__meta_kubernetes_endpoint_ready", "true"),
    };

    private static final Labels ENDPOINTS_GROUP = ls("__meta_kubernetes_namespace", "default",
            "__meta_kubernetes_endpoints_name", "testendpoints",
            "__meta_kubernetes_endpoints_annotation_test_annotation", "test",
            "__meta_kubernetes_endpoints_annotationpresent_test_annotation", "true");

    /** TestEndpointsDiscoveryBeforeRun, then TestEndpointsDiscoveryDelete. */
    @Test
    void endpointsBeforeRunAndDelete() throws Exception {
        api.apply(endpoints());
        api.discover(api.config("endpoints"));
        api.awaitEqual(Map.of("endpoints/default/testendpoints", group("endpoints/default/testendpoints", ENDPOINTS_GROUP, ENDPOINTS_TARGETS)));
        api.delete(endpoints());
        api.awaitEqual(Map.of("endpoints/default/testendpoints", TargetGroup.empty("endpoints/default/testendpoints")));
    }

    /** TestEndpointsDiscoveryWithService, then TestEndpointsDiscoveryWithServiceUpdate's idea: service changes re-label. */
    @Test
    void endpointsWithService() throws Exception {
        api.apply(endpoints());
        api.apply(new ServiceBuilder().withNewMetadata().withName("testendpoints").withNamespace("default")
                .withLabels(Map.of("app/name", "test")).endMetadata().build());
        api.discover(api.config("endpoints"));
        Labels withService = with(ENDPOINTS_GROUP, "__meta_kubernetes_service_label_app_name", "test",
                "__meta_kubernetes_service_labelpresent_app_name", "true", "__meta_kubernetes_service_name", "testendpoints");
        api.awaitEqual(Map.of("endpoints/default/testendpoints", group("endpoints/default/testendpoints", withService, ENDPOINTS_TARGETS)));

        api.apply(new ServiceBuilder().withNewMetadata().withName("testendpoints").withNamespace("default")
                .withLabels(Map.of("app/name", "svc", "component", "testing")).endMetadata().build());
        Labels updated = with(ENDPOINTS_GROUP, "__meta_kubernetes_service_label_app_name", "svc",
                "__meta_kubernetes_service_labelpresent_app_name", "true", "__meta_kubernetes_service_name", "testendpoints",
                "__meta_kubernetes_service_label_component", "testing", "__meta_kubernetes_service_labelpresent_component", "true");
        api.awaitEqual(Map.of("endpoints/default/testendpoints", group("endpoints/default/testendpoints", updated, ENDPOINTS_TARGETS)));
    }

    /** TestEndpointsDiscoveryAdd: a pod-backed address gets the pod's labels; its other container port becomes a target. */
    @Test
    void endpointsAddWithPod() throws Exception {
        api.apply(new PodBuilder().withNewMetadata().withName("testpod").withNamespace("default").withUid("deadbeef").endMetadata()
                .withNewSpec().withNodeName("testnode")
                .addToContainers(new ContainerBuilder().withName("c1").withImage("c1:latest").withPorts(port("mainport", "TCP", 9000)).build())
                .addToContainers(new ContainerBuilder().withName("c2").withImage("c2:latest").withPorts(port("sideport", "TCP", 9001)).build())
                .endSpec().withNewStatus().withHostIP("2.3.4.5").withPodIP("1.2.3.4").endStatus().build());
        api.discover(api.config("endpoints"));
        api.apply(new EndpointsBuilder().withNewMetadata().withName("testendpoints").withNamespace("default").endMetadata()
                .addNewSubset().withAddresses(new EndpointAddressBuilder().withIp("4.3.2.1").withNewTargetRef().withKind("Pod")
                        .withName("testpod").withNamespace("default").endTargetRef().build())
                .withPorts(new EndpointPortBuilder().withName("testport").withPort(9000).withProtocol("TCP").build()).endSubset()
                .build());
        Labels pod = ls("__meta_kubernetes_pod_name", "testpod", "__meta_kubernetes_pod_ip", "1.2.3.4",
                "__meta_kubernetes_pod_ready", "unknown", "__meta_kubernetes_pod_phase", "",
                "__meta_kubernetes_pod_node_name", "testnode", "__meta_kubernetes_pod_host_ip", "2.3.4.5",
                "__meta_kubernetes_pod_uid", "deadbeef", "__meta_kubernetes_pod_container_init", "false");
        api.awaitEqual(Map.of("endpoints/default/testendpoints", group("endpoints/default/testendpoints",
                ls("__meta_kubernetes_endpoints_name", "testendpoints", "__meta_kubernetes_namespace", "default"),
                with(pod, "__address__", "4.3.2.1:9000", "__meta_kubernetes_endpoint_port_name", "testport",
                        "__meta_kubernetes_endpoint_port_protocol", "TCP", "__meta_kubernetes_endpoint_ready", "true",
                        "__meta_kubernetes_endpoint_address_target_kind", "Pod",
                        "__meta_kubernetes_endpoint_address_target_name", "testpod",
                        "__meta_kubernetes_pod_container_name", "c1", "__meta_kubernetes_pod_container_image", "c1:latest",
                        "__meta_kubernetes_pod_container_port_name", "mainport",
                        "__meta_kubernetes_pod_container_port_number", "9000",
                        "__meta_kubernetes_pod_container_port_protocol", "TCP"),
                with(pod, "__address__", "1.2.3.4:9001", "__meta_kubernetes_pod_container_name", "c2",
                        "__meta_kubernetes_pod_container_image", "c2:latest",
                        "__meta_kubernetes_pod_container_port_name", "sideport",
                        "__meta_kubernetes_pod_container_port_number", "9001",
                        "__meta_kubernetes_pod_container_port_protocol", "TCP"))));
    }

    /** TestEndpointsDiscoveryUpdatePod: a pod's phase change re-labels the endpoints that reference it. */
    @Test
    void endpointsUpdatePod() throws Exception {
        var pending = new PodBuilder().withNewMetadata().withName("testpod").withNamespace("default").withUid("deadbeef").endMetadata()
                .withNewSpec().withNodeName("testnode")
                .addToContainers(new ContainerBuilder().withName("c1").withImage("c1:latest").withPorts(port("mainport", "TCP", 9000)).build())
                .endSpec().withNewStatus().withPhase("Pending").addNewCondition().withType("Ready").withStatus("False").endCondition()
                .withHostIP("2.3.4.5").withPodIP("4.3.2.1").endStatus().build();
        api.apply(pending);
        api.apply(new EndpointsBuilder().withNewMetadata().withName("testendpoints").withNamespace("default").endMetadata()
                .addNewSubset().withAddresses(new EndpointAddressBuilder().withIp("4.3.2.1").withNewTargetRef().withKind("Pod")
                        .withName("testpod").withNamespace("default").endTargetRef().build())
                .withPorts(new EndpointPortBuilder().withName("mainport").withPort(9000).withProtocol("TCP").build()).endSubset()
                .build());
        api.discover(api.config("endpoints"));
        api.await(g -> g.containsKey("endpoints/default/testendpoints"));
        api.apply(new PodBuilder(pending).editStatus().withPhase("Running")
                .withConditions().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
        api.awaitEqual(Map.of("endpoints/default/testendpoints", group("endpoints/default/testendpoints",
                ls("__meta_kubernetes_namespace", "default", "__meta_kubernetes_endpoints_name", "testendpoints"),
                ls("__address__", "4.3.2.1:9000", "__meta_kubernetes_endpoint_port_name", "mainport",
                        "__meta_kubernetes_endpoint_port_protocol", "TCP", "__meta_kubernetes_endpoint_ready", "true",
                        "__meta_kubernetes_endpoint_address_target_kind", "Pod",
                        "__meta_kubernetes_endpoint_address_target_name", "testpod",
                        "__meta_kubernetes_pod_name", "testpod", "__meta_kubernetes_pod_ip", "4.3.2.1",
                        "__meta_kubernetes_pod_ready", "true", "__meta_kubernetes_pod_phase", "Running",
                        "__meta_kubernetes_pod_node_name", "testnode", "__meta_kubernetes_pod_host_ip", "2.3.4.5",
                        "__meta_kubernetes_pod_container_name", "c1", "__meta_kubernetes_pod_container_image", "c1:latest",
                        "__meta_kubernetes_pod_container_port_name", "mainport",
                        "__meta_kubernetes_pod_container_port_number", "9000",
                        "__meta_kubernetes_pod_container_port_protocol", "TCP",
                        "__meta_kubernetes_pod_uid", "deadbeef", "__meta_kubernetes_pod_container_init", "false"))));
    }

    // ---- endpointslice_test.go

    /** endpointslice_test.go makeEndpointSliceV1. */
    private static EndpointSlice slice() {
        return new EndpointSliceBuilder().withNewMetadata().withName("testendpoints").withNamespace("default")
                .withLabels(Map.of("kubernetes.io/service-name", "testendpoints"))
                .withAnnotations(Map.of("test.annotation", "test")).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("testport").withPort(9000).withProtocol("TCP").withAppProtocol("http").endPort()
                .withEndpoints(
                        new EndpointBuilder().withAddresses("1.2.3.4").withNewConditions().withReady(true).withServing(true)
                                .withTerminating(false).endConditions().withHostname("testendpoint1").withNewTargetRef().endTargetRef()
                                .withNodeName("foobar").withDeprecatedTopology(Map.of("topology", "value")).withZone("us-east-1a").build(),
                        new EndpointBuilder().withAddresses("2.3.4.5").withNewConditions().withReady(true).withServing(true)
                                .withTerminating(false).endConditions().withZone("us-east-1b").build(),
                        new EndpointBuilder().withAddresses("3.4.5.6").withNewConditions().withReady(false).withServing(true)
                                .withTerminating(true).endConditions().withZone("us-east-1c").build(),
                        new EndpointBuilder().withAddresses("4.5.6.7").withNewConditions().withReady(true).withServing(true)
                                .withTerminating(false).endConditions().withNewTargetRef().withKind("Node").withName("barbaz")
                                .endTargetRef().withZone("us-east-1a").build())
                .build();
    }

    private static Labels sliceTarget(String address, String ready, String serving, String terminating, String zone, String... more) {
        return with(ls("__address__", address, "__meta_kubernetes_endpointslice_endpoint_conditions_ready", ready,
                "__meta_kubernetes_endpointslice_endpoint_conditions_serving", serving,
                "__meta_kubernetes_endpointslice_endpoint_conditions_terminating", terminating,
                "__meta_kubernetes_endpointslice_endpoint_zone", zone, "__meta_kubernetes_endpointslice_port", "9000",
                "__meta_kubernetes_endpointslice_port_app_protocol", "http",
                "__meta_kubernetes_endpointslice_port_name", "testport",
                "__meta_kubernetes_endpointslice_port_protocol", "TCP"), more);
    }

    private static final Labels[] SLICE_TARGETS = {
        sliceTarget("1.2.3.4:9000", "true", "true", "false", "us-east-1a",
                "__meta_kubernetes_endpointslice_address_target_kind", "", "__meta_kubernetes_endpointslice_address_target_name", "",
                "__meta_kubernetes_endpointslice_endpoint_hostname", "testendpoint1",
                "__meta_kubernetes_endpointslice_endpoint_node_name", "foobar",
                "__meta_kubernetes_endpointslice_endpoint_topology_present_topology", "true",
                "__meta_kubernetes_endpointslice_endpoint_topology_topology", "value"),
        sliceTarget("2.3.4.5:9000", "true", "true", "false", "us-east-1b"),
        sliceTarget("3.4.5.6:9000", "false", "true", "true", "us-east-1c"),
        sliceTarget("4.5.6.7:9000", "true", "true", "false", "us-east-1a",
                "__meta_kubernetes_endpointslice_address_target_kind", "Node",
                "__meta_kubernetes_endpointslice_address_target_name", "barbaz"),
    };

    private static final Labels SLICE_GROUP = ls("__meta_kubernetes_endpointslice_address_type", "IPv4",
            "__meta_kubernetes_namespace", "default", "__meta_kubernetes_endpointslice_name", "testendpoints",
            "__meta_kubernetes_endpointslice_label_kubernetes_io_service_name", "testendpoints",
            "__meta_kubernetes_endpointslice_labelpresent_kubernetes_io_service_name", "true",
            "__meta_kubernetes_endpointslice_annotation_test_annotation", "test",
            "__meta_kubernetes_endpointslice_annotationpresent_test_annotation", "true");

    /** TestEndpointSliceDiscoveryBeforeRun (namespaces: [default]). */
    @Test
    void endpointSliceBeforeRun() throws Exception {
        api.apply(slice());
        api.discover(api.config("endpointslice", new Namespaces(false, List.of("default")), AttachMetadata.NONE, List.of()));
        api.awaitEqual(Map.of("endpointslice/default/testendpoints", group("endpointslice/default/testendpoints", SLICE_GROUP, SLICE_TARGETS)));
    }

    /** TestEndpointSliceDiscoveryWithService: the service named by kubernetes.io/service-name labels the group. */
    @Test
    void endpointSliceWithServiceAndItsUpdate() throws Exception {
        api.apply(slice());
        api.apply(new ServiceBuilder().withNewMetadata().withName("testendpoints").withNamespace("default")
                .withLabels(Map.of("app/name", "test")).endMetadata().build());
        api.discover(api.config("endpointslice"));
        api.awaitEqual(Map.of("endpointslice/default/testendpoints", group("endpointslice/default/testendpoints",
                with(SLICE_GROUP, "__meta_kubernetes_service_label_app_name", "test",
                        "__meta_kubernetes_service_labelpresent_app_name", "true", "__meta_kubernetes_service_name", "testendpoints"),
                SLICE_TARGETS)));
        api.apply(new ServiceBuilder().withNewMetadata().withName("testendpoints").withNamespace("default")
                .withLabels(Map.of("app/name", "svc", "component", "testing")).endMetadata().build());
        api.awaitEqual(Map.of("endpointslice/default/testendpoints", group("endpointslice/default/testendpoints",
                with(SLICE_GROUP, "__meta_kubernetes_service_label_app_name", "svc",
                        "__meta_kubernetes_service_labelpresent_app_name", "true", "__meta_kubernetes_service_name", "testendpoints",
                        "__meta_kubernetes_service_label_component", "testing",
                        "__meta_kubernetes_service_labelpresent_component", "true"),
                SLICE_TARGETS)));
    }
}
