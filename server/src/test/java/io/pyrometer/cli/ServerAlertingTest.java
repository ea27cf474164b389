package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pyrometer.model.Labels;
import io.pyrometer.notifier.Alert;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Prometheus config with an {@code alerting:} section (static and file discovery, relabeling)
 * starts the server; {@code /api/v1/alertmanagers} answers as Prometheus does, the notifier's
 * metrics are on {@code /metrics}, and alerts handed to the server's sender arrive.
 */
class ServerAlertingTest {
    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();
    private Server server;
    private HttpServer am;
    private final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (am != null) am.stop(0);
    }

    private String get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String await(String path, Predicate<String> ok) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String last = null;
        while (System.nanoTime() < deadline) {
            last = get(path);
            if (ok.test(last)) return last;
            Thread.sleep(50);
        }
        throw new AssertionError("condition not met for " + path + "; last response: " + last);
    }

    @Test
    void alertingSectionStartsTheServerAndListsAlertmanagers() throws Exception {
        am = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        am.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                bodies.add(ex.getRequestURI().getPath() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        am.start();
        String amAddr = "127.0.0.1:" + am.getAddress().getPort();
        Files.writeString(dir.resolve("alertmanagers.yml"), "- targets: ['am-from-file:9093', 'skip-me:9093']\n");
        Path cfg = dir.resolve("prometheus.yml");
        Files.writeString(cfg, """
                global:
                  scrape_interval: 15s
                  evaluation_interval: 15s
                  external_labels: {replica: a}
                alerting:
                  alertmanagers:
                    - scheme: http
                      timeout: 2s
                      api_version: v2
                      static_configs:
                        - targets: ['%s']
                    - path_prefix: /alertmanager
                      file_sd_configs:
                        - files: ['alertmanagers.yml']
                      relabel_configs:
                        - source_labels: [__address__]
                          regex: 'skip-me:.*'
                          action: drop
                scrape_configs: []
                """.formatted(amAddr));
        Flags flags = ServerFlags.declare().parse(List.of("--config.file=" + cfg, "--web.listen-address=127.0.0.1:0",
                "--storage.tsdb.path=" + dir.resolve("data")));
        server = Server.start(flags, () -> { });
        String expected = "{\"status\":\"success\",\"data\":{\"activeAlertmanagers\":["
                + "{\"url\":\"http://" + amAddr + "/api/v2/alerts\"},"
                + "{\"url\":\"http://am-from-file:9093/alertmanager/api/v2/alerts\"}],"
                + "\"droppedAlertmanagers\":[{\"url\":\"http://skip-me:9093/alertmanager/api/v2/alerts\"}]}}";
        assertThat(await("/api/v1/alertmanagers", expected::equals)).isEqualTo(expected);

        String metrics = get("/metrics");
        assertThat(metrics).contains("prometheus_notifications_alertmanagers_discovered 2.0")
                .contains("prometheus_notifications_queue_capacity 10000.0")
                .contains("prometheus_sd_discovered_targets{config=\"config-1\",name=\"notify\"} 2.0");

        server.alertSender().send(List.of(new Alert(Labels.of("alertname", "ServerSent"), Labels.EMPTY,
                1_700_000_000_000L, 0, "")));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (bodies.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(bodies).singleElement().asString().startsWith("/api/v2/alerts [")
                .contains("\"labels\":{\"alertname\":\"ServerSent\",\"replica\":\"a\"}");

        // a reload whose Alertmanager HTTP client cannot be built fails and keeps the running config
        String good = Files.readString(cfg);
        Files.writeString(cfg, good.replace("      api_version: v2\n", "      api_version: v2\n      tls_config: {ca_file: missing-ca.pem}\n"));
        String err = server.reload("test");
        assertThat(err).contains("alerting.alertmanagers[0]").contains("missing-ca.pem");
        assertThat(get("/api/v1/alertmanagers")).isEqualTo(expected);
        assertThat(get("/metrics")).contains("prometheus_config_last_reload_successful 0.0");
    }

    @Test
    void helpShowsTheNotifierFlagsWithDefaults() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ServerFlags.declare().printHelp(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(help).containsPattern("--alertmanager.notification-queue-capacity=<value> +.*\\(default: 10000\\)")
                .containsPattern("--\\[no-]alertmanager.drain-notification-queue-on-shutdown +.*\\(default: true\\)");
    }
}
