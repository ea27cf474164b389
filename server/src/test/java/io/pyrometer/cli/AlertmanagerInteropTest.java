package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyrometer.alerting.WebhookSink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes: a real Prometheus 2.42 sends its alerts to our router, which delivers grouped
 * notifications to a webhook in the test; our router as its own process killed with SIGKILL keeps
 * its silences and does not notify a group twice within its repeat interval.
 */
class AlertmanagerInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir Path dir;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void await(String what, long timeoutMs, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    boolean ready(int port) {
        try {
            return send(port, "GET", "/-/ready", null).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    static String config(WebhookSink sink) {
        return """
                route:
                  receiver: hook
                  group_by: [alertname]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: %s
                """.formatted(sink.url());
    }

    @Test
    void realPrometheusDeliversGroupedAlertsThroughTheRouter() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS), "prometheus not installed (apt-get install prometheus)");
        try (WebhookSink sink = new WebhookSink()) {
            Files.writeString(dir.resolve("am.yml"), config(sink));
            Flags f = AlertmanagerFlags.declare();
            f.parse(List.of("--config.file=" + dir.resolve("am.yml"), "--storage.path=" + dir.resolve("am"),
                    "--web.listen-address=127.0.0.1:0"));
            try (AlertmanagerCommand.Running am = AlertmanagerCommand.start(f, List.of())) {
                Files.writeString(dir.resolve("rules.yml"), """
                        groups:
                          - name: g
                            interval: 1s
                            rules:
                              - alert: InstanceDown
                                expr: label_replace(vector(1), "instance", "host-a", "", "")
                                labels: {severity: page}
                                annotations: {summary: "{{ $labels.instance }} is down"}
                              - alert: InstanceDown
                                expr: label_replace(vector(1), "instance", "host-b", "", "")
                                labels: {severity: page}
                              - alert: DiskFull
                                expr: vector(1)
                        """);
                Files.writeString(dir.resolve("prometheus.yml"), """
                        global: {evaluation_interval: 1s}
                        rule_files: [rules.yml]
                        alerting:
                          alertmanagers:
                            - static_configs: [{targets: ['127.0.0.1:%d']}]
                        """.formatted(am.port));
                int promPort = freePort();
                Process prom = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("prom"), "--web.listen-address=127.0.0.1:" + promPort,
                        // the notifier learns its targets ~5 s after start; re-send every second rather than every minute
                        "--rules.alert.resend-delay=1s")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
                try {
                    JsonNode down = sink.await(n -> n.path("groupLabels").path("alertname").asText().equals("InstanceDown")
                            && n.path("alerts").size() == 2, 30_000);
                    JsonNode disk = sink.await(n -> n.path("groupLabels").path("alertname").asText().equals("DiskFull"), 30_000);
                    assertThat(down.path("groupKey").asText()).isEqualTo("{}:{alertname=\"InstanceDown\"}");
                    assertThat(down.path("commonLabels").path("severity").asText()).isEqualTo("page");
                    List<String> instances = new ArrayList<>();
                    for (JsonNode a : down.path("alerts")) instances.add(a.path("labels").path("instance").asText());
                    assertThat(instances).containsExactly("host-a", "host-b");
                    assertThat(down.path("alerts").get(0).path("annotations").path("summary").asText()).isEqualTo("host-a is down");
                    assertThat(down.path("alerts").get(0).path("generatorURL").asText()).contains("/graph?g0.expr=");
                    assertThat(disk.path("alerts")).hasSize(1);
                    // Prometheus re-sends every evaluation; nothing changed, so no further notification within repeat_interval
                    Thread.sleep(3000); // observation window for the absence of notifications
                    long forDown = sink.payloads.stream().filter(n -> n.path("groupLabels").path("alertname").asText().equals("InstanceDown")
                            && n.path("alerts").size() == 2).count();
                    assertThat(forDown).isEqualTo(1);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nrouter alerts: " + send(am.port, "GET", "/api/v2/alerts", null).body()
                            + "\nrouter metrics: " + send(am.port, "GET", "/metrics", null).body().lines().filter(l -> l.startsWith("alertmanager_")).toList()
                            + "\nprometheus log:\n" + Files.readString(dir.resolve("prometheus.log")), e);
                } finally {
                    prom.destroy();
                    if (!prom.waitFor(20, TimeUnit.SECONDS)) prom.destroyForcibly();
                }
            }
        }
    }

    private Process startRouter(int port, Path config, Path data) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.pyrometer.cli.Main", "alertmanager",
                "--config.file=" + config, "--storage.path=" + data, "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("router.log").toFile())).start();
    }

    @Test
    void killDashNineDuringDeliveryKeepsSilencesAndSendsNoDuplicate() throws Exception {
        try (WebhookSink sink = new WebhookSink()) {
            Path cfg = dir.resolve("am.yml");
            Files.writeString(cfg, config(sink));
            Path data = dir.resolve("data");
            int port = freePort();
            Process p = startRouter(port, cfg, data);
            String silenceId;
            String alerts = "[{\"labels\":{\"alertname\":\"Up\"}},{\"labels\":{\"alertname\":\"Slow\"}},{\"labels\":{\"alertname\":\"Muted\"}}]";
            try {
                await("router ready", 30_000, () -> ready(port));
                long now = System.currentTimeMillis();
                HttpResponse<String> r = send(port, "POST", "/api/v2/silences", """
                        {"matchers":[{"name":"alertname","value":"Muted","isRegex":false}],"startsAt":"%s","endsAt":"%s",
                         "createdBy":"test","comment":"survives kill -9"}""".formatted(Instant.ofEpochMilli(now), Instant.ofEpochMilli(now + 3_600_000)));
                silenceId = JSON.readTree(r.body()).path("silenceID").asText();
                send(port, "POST", "/api/v2/alerts", alerts);
                sink.await(n -> n.path("groupLabels").path("alertname").asText().equals("Up"), 20_000);
                sink.await(n -> n.path("groupLabels").path("alertname").asText().equals("Slow"), 20_000);
                // now hold deliveries, change a group and kill the router while it is delivering
                sink.delayMs = 60_000;
                int before = sink.requests.get();
                send(port, "POST", "/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Slow\",\"instance\":\"b\"}}]");
                await("delivery in flight", 20_000, () -> sink.requests.get() > before);
            } finally {
                p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
            sink.delayMs = 0;
            int delivered = sink.payloads.size();
            Process p2 = startRouter(port, cfg, data);
            try {
                await("router ready after kill -9", 30_000, () -> ready(port));
                JsonNode sil = JSON.readTree(send(port, "GET", "/api/v2/silence/" + silenceId, null).body());
                assertThat(sil.path("status").path("state").asText()).isEqualTo("active");
                assertThat(sil.path("comment").asText()).isEqualTo("survives kill -9");
                // Prometheus would re-send its firing alerts: do that for a few group intervals
                for (int i = 0; i < 4; i++) {
                    send(port, "POST", "/api/v2/alerts", alerts);
                    send(port, "POST", "/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Slow\",\"instance\":\"b\"}}]");
                    Thread.sleep(1000); // one group interval between re-sends, as a sender's resend cadence
                }
                List<JsonNode> after = sink.payloads.subList(delivered, sink.payloads.size());
                // the interrupted notification was never logged, so it goes out once; Up was logged and is not repeated
                assertThat(after).extracting(n -> n.path("groupLabels").path("alertname").asText()).containsExactly("Slow");
                assertThat(after.getFirst().path("alerts")).hasSize(2);
                assertThat(sink.payloads).noneMatch(n -> n.path("groupLabels").path("alertname").asText().equals("Muted"));
            } finally {
                p2.destroy();
                p2.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
