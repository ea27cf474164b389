package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server in-process against a real node_exporter (Debian prometheus-node-exporter), a
 * target serving broken text, and itself: what a user sees in /api/v1/targets, reloads, limits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerIntegrationTest {
    private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    private Process nodeExporter;
    private HttpServer broken;
    private Server server;
    private int port;
    private int nodePort;
    private Path configFile;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    void startAll() throws Exception {
        assumeTrue(Files.isExecutable(NODE_EXPORTER),
                "node_exporter interop skipped: /usr/bin/prometheus-node-exporter not installed (apt-get install prometheus-node-exporter)");
        nodePort = freePort();
        nodeExporter = new ProcessBuilder(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + nodePort,
                "--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.loadavg")
                .redirectErrorStream(true).redirectOutput(dir.resolve("node_exporter.log").toFile()).start();
        broken = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        broken.createContext("/metrics", ex -> {
            byte[] b = "ok_metric 1\nbroken{label=\"x\" 1\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        broken.start();
        port = freePort();
        configFile = dir.resolve("prometheus.yml");
        writeConfig("");
        Flags flags = ServerFlags.declare().parse(List.of("--config.file=" + configFile, "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.path=" + dir.resolve("data"), "--config.auto-reload-interval=500ms", "--web.enable-lifecycle"));
        server = Server.start(flags, () -> { });
    }

    private void writeConfig(String extraJob) throws IOException {
        Files.writeString(configFile, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                scrape_configs:
                  - job_name: node
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                  - job_name: self
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                  - job_name: broken
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                    relabel_configs:
                      - source_labels: [__address__]
                        regex: nothing-matches
                        action: drop
                """.formatted(nodePort, port, broken.getAddress().getPort()) + extraJob);
    }

    @AfterAll
    void stopAll() {
        if (server != null) server.close();
        if (nodeExporter != null) nodeExporter.destroy();
        if (broken != null) broken.stop(0);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private String getText(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private JsonNode await(String path, Predicate<JsonNode> ok) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            last = get(path);
            if (ok.test(last)) return last;
            Thread.sleep(200);
        }
        throw new AssertionError("condition not met for " + path + "; last response: " + last);
    }

    private static JsonNode target(JsonNode targets, String job) {
        for (JsonNode t : targets.path("data").path("activeTargets")) {
            if (t.path("labels").path("job").asText().equals(job)) return t;
        }
        return null;
    }

    @Test
    void nodeExporterAndSelfAreUpAndBrokenTargetIsDownNamingTheLine() throws Exception {
        JsonNode targets = await("/api/v1/targets", j -> {
            JsonNode n = target(j, "node"), s = target(j, "self"), b = target(j, "broken");
            return n != null && s != null && b != null && n.path("health").asText().equals("up")
                    && s.path("health").asText().equals("up") && b.path("health").asText().equals("down");
        });
        JsonNode node = target(targets, "node");
        assertThat(node.path("scrapeUrl").asText()).isEqualTo("http://127.0.0.1:" + nodePort + "/metrics");
        assertThat(node.path("labels").path("instance").asText()).isEqualTo("127.0.0.1:" + nodePort);
        assertThat(node.path("discoveredLabels").path("__address__").asText()).isEqualTo("127.0.0.1:" + nodePort);
        assertThat(node.path("scrapeInterval").asText()).isEqualTo("1s");
        assertThat(node.path("scrapeTimeout").asText()).isEqualTo("900ms");
        assertThat(node.path("lastError").asText()).isEmpty();
        assertThat(target(targets, "broken").path("lastError").asText()).contains("2:");

        JsonNode series = await("/api/v1/series?match%5B%5D=" + URLEncoder.encode("node_cpu_seconds_total", StandardCharsets.UTF_8),
                j -> j.path("data").size() > 0);
        assertThat(series.path("data").get(0).path("job").asText()).isEqualTo("node");
        // the broken target's good line of the same scrape is not kept, other targets' data is
        JsonNode ok = get("/api/v1/series?match%5B%5D=ok_metric");
        assertThat(ok.path("data").size()).isZero();
    }

    @Test
    void metadataOfNodeExporterIsKeptPerTarget() throws Exception {
        JsonNode md = await("/api/v1/metadata?metric=node_cpu_seconds_total", j -> j.path("data").has("node_cpu_seconds_total"));
        assertThat(md.path("data").path("node_cpu_seconds_total").get(0).path("type").asText()).isEqualTo("counter");
        JsonNode tm = get("/api/v1/targets/metadata?match_target=" + URLEncoder.encode("{job=\"node\"}", StandardCharsets.UTF_8)
                + "&metric=node_load1");
        assertThat(tm.path("data").get(0).path("type").asText()).isEqualTo("gauge");
        assertThat(tm.path("data").get(0).path("target").path("job").asText()).isEqualTo("node");
    }

    @Test
    void statusEndpointsAnswerInPrometheusShapes() throws Exception {
        assertThat(get("/api/v1/status/flags").path("data").path("web.listen-address").asText()).isEqualTo("127.0.0.1:" + port);
        assertThat(get("/api/v1/status/config").path("data").path("yaml").asText()).contains("job_name: node");
        assertThat(get("/api/v1/status/buildinfo").path("data").has("version")).isTrue();
        assertThat(get("/api/v1/status/runtimeinfo").path("data").path("storageRetention").asText()).isEqualTo("15d");
        assertThat(getText("/-/healthy")).contains("Healthy");
        assertThat(getText("/-/ready")).contains("Ready");
        assertThat(getText("/metrics")).contains("prometheus_config_last_reload_successful 1")
                .contains("prometheus_target_scrape_pool_targets")
                .contains("# TYPE prometheus_tsdb_head_series_created_total counter\n");
    }

    @Test
    void experimentalFunctionsNeedTheFeatureFlag() throws Exception {
        String q = "/api/v1/query?query=" + URLEncoder.encode("sort_by_label(up, \"job\")", StandardCharsets.UTF_8);
        JsonNode refused = get(q);
        assertThat(refused.path("errorType").asText()).isEqualTo("bad_data");
        assertThat(refused.path("error").asText()).contains("sort_by_label");
        int otherPort = freePort();
        Flags flags = ServerFlags.declare().parse(List.of("--config.file=" + configFile, "--web.listen-address=127.0.0.1:" + otherPort,
                "--storage.tsdb.path=" + dir.resolve("data-experimental"), "--enable-feature=promql-experimental-functions"));
        try (Server other = Server.start(flags, () -> { })) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otherPort + q)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(r.body()).path("status").asText()).isEqualTo("success");
        }
    }

    @Test
    void reloadsOnFileChangeAndKeepsTheOldConfigWhenTheNewOneIsBad() throws Exception {
        writeConfig("""
                  - job_name: added
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(nodePort));
        await("/api/v1/targets", j -> target(j, "added") != null);

        Files.writeString(configFile, Files.readString(configFile) + "  - job_name: bad\n    scrape_intervall: 5s\n");
        await("/api/v1/status/runtimeinfo", j -> !j.path("data").path("reloadConfigSuccess").asBoolean());
        assertThat(getText("/metrics")).contains("prometheus_config_last_reload_successful 0");
        assertThat(target(get("/api/v1/targets"), "added")).isNotNull(); // old config still running

        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("scrape_intervall");

        writeConfig("");
        await("/api/v1/status/runtimeinfo", j -> j.path("data").path("reloadConfigSuccess").asBoolean());
        await("/api/v1/targets", j -> target(j, "added") == null);
    }
}
