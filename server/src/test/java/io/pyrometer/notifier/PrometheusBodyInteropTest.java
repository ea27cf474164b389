package io.pyrometer.notifier;

import static io.pyrometer.notifier.AlertReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyrometer.model.Labels;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus (Debian 2.42, which posts the same API v2 models) fires an alert at an in-test
 * Alertmanager; the same alert encoded by {@link AlertsJson} must give exactly the bytes Prometheus
 * sent: field order, escaping of {@code < > &}, quotes and non-ASCII text, time format.
 */
class PrometheusBodyInteropTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    @TempDir
    Path dir;
    private Process prometheus;
    private AlertReceiver receiver;

    @AfterEach
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) prometheus.destroyForcibly();
        }
        if (receiver != null) receiver.close();
    }

    @Test
    void ourBodyIsByteForByteWhatPrometheusSends() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), "Prometheus interop skipped: /usr/bin/prometheus not installed (apt-get install prometheus)");
        receiver = new AlertReceiver();
        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                  - name: g
                    interval: 1s
                    rules:
                      - alert: Body<Check>
                        expr: vector(1)
                        labels: {severity: "page & wake", team: "ünïcode"}
                        annotations:
                          summary: 'value {{ $value }} <b>"quoted"</b> & more'
                          description: "tab\\there"
                """);
        Path cfg = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  evaluation_interval: 1s
                  external_labels: {cluster: "c<1>"}
                rule_files: [rules.yml]
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ["%s"]}]
                """.formatted(receiver.address()));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + cfg, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--web.external-url=http://prom.example:9090/",
                // its notify discovery delivers after ~5 s: resend soon after so one send finds the Alertmanager
                "--rules.alert.resend-delay=1s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        await("a notification from Prometheus (log: " + dir.resolve("prometheus.log") + ")", () -> !receiver.list().isEmpty());

        AlertReceiver.Request req = receiver.list().getFirst();
        String theirs = new String(req.body(), StandardCharsets.UTF_8);
        JsonNode a = req.json().get(0);
        Alert same = new Alert(labels(a.get("labels")), labels(a.get("annotations")),
                millis(a.get("startsAt").asText()), millis(a.get("endsAt").asText()), a.get("generatorURL").asText());
        String ours = new String(new AlertsJson().encode(List.of(same)), StandardCharsets.UTF_8);
        assertThat(ours).isEqualTo(theirs.strip());
        // what the comparison covered
        assertThat(theirs).contains("\\u003c").contains("\\u0026").contains("ünïcode").contains("\\\"quoted\\\"");
        assertThat(req.path()).isEqualTo("/api/v2/alerts");
    }

    private static Labels labels(JsonNode obj) {
        Map<String, String> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            var e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return Labels.of(m);
    }

    private static long millis(String rfc3339) {
        return rfc3339.startsWith("0001-01-01") ? 0 : Instant.parse(rfc3339).toEpochMilli();
    }
}
