package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server with a {@code kubernetes_sd_configs} job (role endpoints, {@code api_server} pointing at
 * the fabric8 mock API server in CRUD mode) discovers a loopback exporter through a Service, its
 * Endpoints and Pod, scrapes it ({@code up} = 1), shows Prometheus's discovered labels in
 * {@code /api/v1/targets}, and drops the target when the Endpoints object is deleted.
 */
class KubernetesDiscoveryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    private KubernetesMockServer api;
    private NamespacedKubernetesClient kube;
    private HttpServer exporter;
    private Server server;
    private int port;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (exporter != null) exporter.stop(0);
        if (kube != null) kube.close();
        if (api != null) api.destroy();
    }

    @Test
    void endpointsRoleDiscoversAndScrapesALoopbackExporter() throws Exception {
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", ex -> {
            byte[] b = "# TYPE demo_value gauge\ndemo_value 42\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        exporter.start();
        int exporterPort = exporter.getAddress().getPort();

        api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        kube = api.createClient();
        kube.resource(new PodBuilder().withNewMetadata().withName("exporter-0").withNamespace("monitoring")
                .withLabels(Map.of("app", "exporter")).endMetadata()
                .withNewSpec().withNodeName("node-1").addToContainers(new ContainerBuilder().withName("exporter").withImage("exporter:1")
                        .withPorts(new ContainerPortBuilder().withName("metrics").withContainerPort(exporterPort).withProtocol("TCP").build())
                        .build()).endSpec()
                .withNewStatus().withPodIP("127.0.0.1").withHostIP("127.0.0.1").withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        kube.resource(new ServiceBuilder().withNewMetadata().withName("exporter").withNamespace("monitoring")
                .withLabels(Map.of("app", "exporter")).endMetadata()
                .withNewSpec().addNewPort().withName("metrics").withPort(exporterPort).withProtocol("TCP").endPort().endSpec().build()).create();
        Endpoints endpoints = new EndpointsBuilder().withNewMetadata().withName("exporter").withNamespace("monitoring").endMetadata()
                .addNewSubset().withAddresses(new EndpointAddressBuilder().withIp("127.0.0.1").withNodeName("node-1")
                        .withNewTargetRef().withKind("Pod").withName("exporter-0").withNamespace("monitoring").endTargetRef().build())
                .withPorts(new EndpointPortBuilder().withName("metrics").withPort(exporterPort).withProtocol("TCP").build()).endSubset()
                .build();
        kube.resource(endpoints).create();
        // an object in another namespace must not be discovered
        kube.resource(new EndpointsBuilder(endpoints).editMetadata().withNamespace("other").endMetadata().build()).create();

        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                scrape_configs:
                  - job_name: kubernetes-endpoints
                    kubernetes_sd_configs:
                      - role: endpoints
                        api_server: http://127.0.0.1:%d
                        namespaces:
                          names: [monitoring]
                    relabel_configs:
                      - source_labels: [__meta_kubernetes_service_label_app]
                        regex: exporter
                        action: keep
                      - source_labels: [__meta_kubernetes_namespace]
                        target_label: namespace
                      - source_labels: [__meta_kubernetes_pod_name]
                        target_label: pod
                """.formatted(api.getPort()));
        port = ServerIntegrationTest.freePort();
        server = Server.start(ServerFlags.declare().parse(List.of("--config.file=" + config,
                "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + dir.resolve("data"))), () -> { });

        JsonNode up = await("/api/v1/query?query=" + URLEncoder.encode("up{job=\"kubernetes-endpoints\"}", StandardCharsets.UTF_8),
                j -> j.path("data").path("result").size() == 1 && j.path("data").path("result").get(0).path("value").get(1).asText().equals("1"));
        JsonNode metric = up.path("data").path("result").get(0).path("metric");
        assertThat(metric.path("instance").asText()).isEqualTo("127.0.0.1:" + exporterPort);
        assertThat(metric.path("namespace").asText()).isEqualTo("monitoring");
        assertThat(metric.path("pod").asText()).isEqualTo("exporter-0");

        JsonNode targets = get("/api/v1/targets");
        JsonNode active = targets.path("data").path("activeTargets");
        assertThat(active).hasSize(1);
        Map<String, String> discovered = new TreeMap<>();
        active.get(0).path("discoveredLabels").properties().forEach(e -> discovered.put(e.getKey(), e.getValue().asText()));
        // what Prometheus shows for these objects: endpoints.go's target, group, service and pod labels, then the job's defaults
        Map<String, String> expected = new TreeMap<>();
        expected.putAll(Map.of("__address__", "127.0.0.1:" + exporterPort, "__metrics_path__", "/metrics", "__scheme__", "http",
                "__scrape_interval__", "1s", "__scrape_timeout__", "900ms", "job", "kubernetes-endpoints",
                "__meta_kubernetes_namespace", "monitoring", "__meta_kubernetes_endpoints_name", "exporter",
                "__meta_kubernetes_service_name", "exporter", "__meta_kubernetes_service_label_app", "exporter"));
        expected.putAll(Map.of("__meta_kubernetes_service_labelpresent_app", "true",
                "__meta_kubernetes_endpoint_port_name", "metrics", "__meta_kubernetes_endpoint_port_protocol", "TCP",
                "__meta_kubernetes_endpoint_ready", "true", "__meta_kubernetes_endpoint_node_name", "node-1",
                "__meta_kubernetes_endpoint_address_target_kind", "Pod", "__meta_kubernetes_endpoint_address_target_name", "exporter-0",
                "__meta_kubernetes_pod_name", "exporter-0", "__meta_kubernetes_pod_ip", "127.0.0.1",
                "__meta_kubernetes_pod_label_app", "exporter"));
        expected.putAll(Map.of("__meta_kubernetes_pod_labelpresent_app", "true", "__meta_kubernetes_pod_ready", "true",
                "__meta_kubernetes_pod_phase", "Running", "__meta_kubernetes_pod_node_name", "node-1",
                "__meta_kubernetes_pod_host_ip", "127.0.0.1",
                "__meta_kubernetes_pod_uid", kube.pods().inNamespace("monitoring").withName("exporter-0").get().getMetadata().getUid(),
                "__meta_kubernetes_pod_container_name", "exporter", "__meta_kubernetes_pod_container_image", "exporter:1",
                "__meta_kubernetes_pod_container_port_name", "metrics",
                "__meta_kubernetes_pod_container_port_number", Integer.toString(exporterPort)));
        expected.putAll(Map.of("__meta_kubernetes_pod_container_port_protocol", "TCP", "__meta_kubernetes_pod_container_init", "false"));
        assertThat(discovered).isEqualTo(expected);
        assertThat(active.get(0).path("scrapePool").asText()).isEqualTo("kubernetes-endpoints");

        kube.resource(endpoints).delete();
        await("/api/v1/targets", j -> j.path("data").path("activeTargets").isEmpty());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private JsonNode await(String path, Predicate<JsonNode> ok) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            last = get(path);
            if (ok.test(last)) return last;
            Thread.sleep(200);
        }
        throw new AssertionError("condition not met for " + path + "; last response: " + last);
    }
}
