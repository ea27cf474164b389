package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code alerting:} section (static and file discovery, target relabeling with a drop, a
 * path prefix) in our server and in the real Prometheus (Debian 2.42): {@code /api/v1/alertmanagers}
 * answers with the same JSON, up to the order of Alertmanagers from different discovery providers.
 */
class AlertmanagersApiInteropTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Process prometheus;
    private Server server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) prometheus.destroyForcibly();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private JsonNode awaitAlertmanagers(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/alertmanagers"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body());
                if (last.path("data").path("activeAlertmanagers").size() == 3) return last;
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("alertmanagers not discovered on port " + port + "; last: " + last);
    }

    @Test
    void sameConfigSameAlertmanagersJson() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), "Prometheus interop skipped: /usr/bin/prometheus not installed (apt-get install prometheus)");
        Files.writeString(dir.resolve("ams.yml"), "- targets: ['am-file-1:9093', 'am-file-2:9093', 'am-skip:9093']\n  labels: {dc: x}\n");
        Path cfg = Files.writeString(dir.resolve("prometheus.yml"), """
                alerting:
                  alertmanagers:
                    - path_prefix: /am//
                      scheme: https
                      static_configs: [{targets: ['am-static:9093']}]
                      file_sd_configs: [{files: [ams.yml], refresh_interval: 1s}]
                      relabel_configs:
                        - {source_labels: [__address__], regex: 'am-skip:.*', action: drop}
                        - {source_labels: [dc], target_label: __alerts_path__, regex: x, replacement: /dc-x/api/v2/alerts}
                scrape_configs: []
                """);
        int promPort = freePort();
        prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + cfg, "--storage.tsdb.path=" + dir.resolve("prom-data"),
                "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        server = Server.start(ServerFlags.declare().parse(List.of("--config.file=" + cfg, "--web.listen-address=127.0.0.1:0",
                "--storage.tsdb.path=" + dir.resolve("data"))), () -> { });
        JsonNode ours = awaitAlertmanagers(server.port());
        JsonNode theirs = awaitAlertmanagers(promPort);
        // same shape and content; Prometheus's order across discovery providers is Go map order
        // (unspecified, changes between runs), ours is config order
        assertThat(ours.fieldNames()).toIterable().containsExactly("status", "data");
        assertThat(ours.path("data").fieldNames()).toIterable().containsExactly("activeAlertmanagers", "droppedAlertmanagers");
        assertThat(ours.path("status")).isEqualTo(theirs.path("status"));
        for (String f : List.of("activeAlertmanagers", "droppedAlertmanagers")) {
            assertThat(ours.path("data").path(f)).containsExactlyInAnyOrderElementsOf(theirs.path("data").path(f));
        }
        assertThat(ours.path("data").path("droppedAlertmanagers").get(0).path("url").asText())
                .isEqualTo("https://am-skip:9093/am/api/v2/alerts");
    }
}
