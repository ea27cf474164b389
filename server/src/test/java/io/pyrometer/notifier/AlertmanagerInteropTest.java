package io.pyrometer.notifier;

import static io.pyrometer.notifier.AlertReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.ConfigLoader;
import io.pyrometer.discovery.DiscoveryManager;
import io.pyrometer.discovery.DiscoveryMetrics;
import io.pyrometer.model.Labels;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our notifier against the real Alertmanager (Debian {@code prometheus-alertmanager} 0.25, started on
 * loopback with gossip off), checked with the real {@code amtool alert query -o json} and
 * {@code GET /api/v2/alerts}: labels (with external labels), annotations, generator URL and times
 * arrive as sent, and an alert sent again with an end time in the past is resolved.
 */
class AlertmanagerInteropTest {
    private static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");
    private static final Path AMTOOL = Path.of("/usr/bin/amtool");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Process am;
    private String amUrl;
    private Notifier notifier;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startAlertmanager() throws Exception {
        assumeTrue(Files.isExecutable(ALERTMANAGER),
                "Alertmanager interop skipped: /usr/bin/prometheus-alertmanager not installed (apt-get install prometheus-alertmanager)");
        assumeTrue(Files.isExecutable(AMTOOL), "Alertmanager interop skipped: /usr/bin/amtool not installed (apt-get install prometheus-alertmanager)");
        Path cfg = Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: blackhole
                  group_wait: 1h
                receivers:
                  - name: blackhole
                """);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        amUrl = "http://127.0.0.1:" + port;
        am = new ProcessBuilder(ALERTMANAGER.toString(), "--config.file=" + cfg, "--storage.path=" + dir.resolve("am-data"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        await("Alertmanager ready (log: " + dir.resolve("alertmanager.log") + ")", () -> {
            try {
                return am.isAlive() && http.send(HttpRequest.newBuilder(URI.create(amUrl + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (notifier != null) notifier.close();
        if (am != null) {
            am.destroy();
            if (!am.waitFor(10, TimeUnit.SECONDS)) am.destroyForcibly();
        }
    }

    private JsonNode amtoolQuery() throws Exception {
        Process p = new ProcessBuilder(AMTOOL.toString(), "alert", "query", "--alertmanager.url=" + amUrl, "-o", "json")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("amtool exit code, output: %s", new String(out, StandardCharsets.UTF_8)).isZero();
        return JSON.readTree(out);
    }

    private JsonNode apiAlerts() throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(amUrl + "/api/v2/alerts")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static JsonNode byName(JsonNode alerts, String name) {
        for (JsonNode a : alerts) if (a.path("labels").path("alertname").asText().equals(name)) return a;
        return null;
    }

    @Test
    void alertsArriveWithLabelsAnnotationsAndTimesAndResolve() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        notifier = new Notifier(NotificationManager.Options.defaults(), registry, new DiscoveryMetrics(registry),
                DiscoveryManager.Options.defaults(dir).withUpdateIntervalMs(20));
        notifier.applyConfig(ConfigLoader.parse("""
                global:
                  external_labels: {cluster: interop}
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ["%s"]}]
                """.formatted(amUrl.substring("http://".length())), Path.of("test.yml")));
        await("the Alertmanager discovered", () -> notifier.alertmanagers().size() == 1);

        long now = System.currentTimeMillis();
        long startsAt = now - 90_123, endsAt = now + 3_600_000;
        String annotation = "Disk <90% & \"falling\" on ünïcode host";
        Alert disk = new Alert(Labels.of("alertname", "DiskFilling", "severity", "warning", "instance", "db-1:9100"),
                Labels.of("summary", annotation, "runbook_url", "https://runbooks.example/disk"), startsAt, endsAt,
                "http://prometheus.example:9090/graph?g0.expr=up%3D%3D0&g0.tab=1");
        Alert down = new Alert(Labels.of("alertname", "InstanceDown", "job", "node"), Labels.of("summary", "down"),
                startsAt, endsAt, "http://prometheus.example:9090/graph");
        notifier.send(List.of(disk, down));

        JsonNode listed = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            listed = amtoolQuery();
            if (listed.size() == 2) break;
            Thread.sleep(100);
        }
        assertThat(listed).hasSize(2);
        JsonNode got = byName(listed, "DiskFilling");
        assertThat(got).isNotNull();
        assertThat(JSON.convertValue(got.get("labels"), java.util.Map.class)).isEqualTo(java.util.Map.of(
                "alertname", "DiskFilling", "severity", "warning", "instance", "db-1:9100", "cluster", "interop"));
        assertThat(got.get("annotations").get("summary").asText()).isEqualTo(annotation);
        assertThat(got.get("annotations").get("runbook_url").asText()).isEqualTo("https://runbooks.example/disk");
        assertThat(got.get("generatorURL").asText()).isEqualTo("http://prometheus.example:9090/graph?g0.expr=up%3D%3D0&g0.tab=1");
        assertThat(Instant.parse(got.get("startsAt").asText()).toEpochMilli()).isEqualTo(startsAt);
        assertThat(Instant.parse(got.get("endsAt").asText()).toEpochMilli()).isEqualTo(endsAt);
        assertThat(got.path("status").path("state").asText()).isEqualTo("active");
        assertThat(byName(apiAlerts(), "InstanceDown")).isNotNull();

        // resolved: the same alert again with its end in the past
        notifier.send(List.of(new Alert(disk.labels(), disk.annotations(), startsAt, now - 1_000, disk.generatorUrl())));
        await("DiskFilling resolved", () -> {
            try {
                return byName(apiAlerts(), "DiskFilling") == null;
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode after = amtoolQuery();
        assertThat(byName(after, "DiskFilling")).isNull();
        assertThat(byName(after, "InstanceDown")).isNotNull();
        assertThat(MetricValues.get(registry, "prometheus_notifications_errors_total", "alertmanager", amUrl + "/api/v2/alerts")).isZero();
        assertThat(MetricValues.get(registry, "prometheus_notifications_sent_total", "alertmanager", amUrl + "/api/v2/alerts")).isEqualTo(3);
    }
}
