package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyrometer.alerting.WebhookSink;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same config and the same scripted alert stream (alerts start, repeat, resolve, get silenced
 * and inhibited, routed with continue) go to a real Alertmanager 0.25 and to our router; the same
 * notifications (receiver, group key, status, alerts with their status) reach their webhooks.
 */
class AlertmanagerSideBySideTest {
    private static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir Path dir;

    static String config(WebhookSink sink) {
        return """
                route:
                  receiver: hook
                  group_by: [alertname]
                  group_wait: 1s
                  group_interval: 2s
                  repeat_interval: 1h
                  routes:
                    - matchers: [team="db"]
                      receiver: db
                      continue: true
                    - matchers: [severity="critical"]
                      receiver: pager
                inhibit_rules:
                  - source_matchers: [severity="critical"]
                    target_matchers: [severity="warning"]
                    equal: [cluster]
                receivers:
                  - name: hook
                    webhook_configs: [{url: '%1$s'}]
                  - name: db
                    webhook_configs: [{url: '%1$s'}]
                  - name: pager
                    webhook_configs: [{url: '%1$s', send_resolved: false}]
                """.formatted(sink.url());
    }

    void post(int port, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(200);
    }

    boolean ready(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    static String alert(String labels, Long endsAtMs) {
        return "{\"labels\":" + labels + (endsAtMs == null ? "" : ",\"endsAt\":\"" + Instant.ofEpochMilli(endsAtMs) + "\"") + "}";
    }

    /** One notification, normalised: receiver, group key, status, each alert's labels and status. */
    static String normalise(JsonNode n) {
        List<String> alerts = new ArrayList<>();
        for (JsonNode a : n.path("alerts")) alerts.add(a.path("labels").toString() + "=" + a.path("status").asText());
        alerts.sort(null);
        return n.path("receiver").asText() + " " + n.path("groupKey").asText() + " " + n.path("status").asText() + " " + alerts;
    }

    @Test
    void sameNotificationsAsRealAlertmanager() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(ALERTMANAGER), "prometheus-alertmanager not installed (apt-get install prometheus-alertmanager)");
        try (WebhookSink realSink = new WebhookSink(); WebhookSink oursSink = new WebhookSink()) {
            Path realDir = Files.createDirectories(dir.resolve("real"));
            Files.writeString(realDir.resolve("am.yml"), config(realSink));
            int realPort = AlertmanagerInteropTest.freePort();
            Process real = new ProcessBuilder(ALERTMANAGER.toString(), "--config.file=" + realDir.resolve("am.yml"),
                    "--storage.path=" + realDir.resolve("data"), "--web.listen-address=127.0.0.1:" + realPort,
                    "--cluster.listen-address=", "--web.external-url=http://am.example", "--web.route-prefix=/")
                    .redirectErrorStream(true).redirectOutput(realDir.resolve("log").toFile()).start();
            Files.writeString(dir.resolve("ours.yml"), config(oursSink));
            Flags f = AlertmanagerFlags.declare();
            f.parse(List.of("--config.file=" + dir.resolve("ours.yml"), "--storage.path=" + dir.resolve("ours"),
                    "--web.listen-address=127.0.0.1:0", "--web.external-url=http://am.example"));
            try (AlertmanagerCommand.Running ours = AlertmanagerCommand.start(f, List.of())) {
                AlertmanagerInteropTest.await("real alertmanager ready", 30_000, () -> ready(realPort));
                int[] ports = {realPort, ours.port};
                long now = System.currentTimeMillis();
                String silence = """
                        {"matchers":[{"name":"alertname","value":"Noise","isRegex":false,"isEqual":true}],
                         "startsAt":"%s","endsAt":"%s","createdBy":"t","comment":"c"}"""
                        .formatted(Instant.ofEpochMilli(now), Instant.ofEpochMilli(now + 3_600_000));
                for (int p : ports) post(p, "/api/v2/silences", silence);
                String a1 = "{\"alertname\":\"Disk\",\"instance\":\"a\",\"team\":\"db\"}";
                String firing = "[" + String.join(",", alert(a1, null),
                        alert("{\"alertname\":\"Disk\",\"instance\":\"b\"}", null),
                        alert("{\"alertname\":\"Down\",\"severity\":\"critical\",\"cluster\":\"x\"}", null),
                        alert("{\"alertname\":\"Lag\",\"severity\":\"warning\",\"cluster\":\"x\"}", null),
                        alert("{\"alertname\":\"Lag\",\"severity\":\"warning\",\"cluster\":\"y\"}", null),
                        alert("{\"alertname\":\"Noise\"}", null)) + "]";
                // the stream: everything fires and is re-sent every second; after 4 s Disk/a resolves, then Down resolves
                for (int sec = 0; sec < 12; sec++) {
                    long t = System.currentTimeMillis();
                    for (int p : ports) post(p, "/api/v2/alerts", firing.replace(alert(a1, null) + ",", sec >= 4 ? "" : alert(a1, null) + ","));
                    if (sec == 4) for (int p : ports) post(p, "/api/v2/alerts", "[" + alert(a1, t) + "]");
                    if (sec == 7) {
                        firing = firing.replace(alert("{\"alertname\":\"Down\",\"severity\":\"critical\",\"cluster\":\"x\"}", null) + ",", "");
                        for (int p : ports) post(p, "/api/v2/alerts", "[" + alert("{\"alertname\":\"Down\",\"severity\":\"critical\",\"cluster\":\"x\"}", t) + "]");
                    }
                    Thread.sleep(1000); // the scripted stream's one-second cadence
                }
                Set<String> fromReal = new TreeSet<>(), fromOurs = new TreeSet<>();
                for (JsonNode n : realSink.payloads) fromReal.add(normalise(n));
                for (JsonNode n : oursSink.payloads) fromOurs.add(normalise(n));
                assertThat(fromReal).as("real Alertmanager sent something").isNotEmpty();
                assertThat(fromOurs).containsExactlyElementsOf(fromReal);
                // the scenario did what it means to: Lag/x inhibited until Down resolved, Noise silenced, Disk/a resolved
                // to db, and pager (send_resolved: false) told nothing of Down's resolution
                assertThat(fromOurs).contains("hook {}:{alertname=\"Lag\"} firing [{\"alertname\":\"Lag\",\"cluster\":\"y\",\"severity\":\"warning\"}=firing]",
                        "db {}/{team=\"db\"}:{alertname=\"Disk\"} resolved [{\"alertname\":\"Disk\",\"instance\":\"a\",\"team\":\"db\"}=resolved]");
                assertThat(String.join("\n", fromOurs)).doesNotContain("Noise").doesNotContain("pager {}/{severity=\"critical\"}:{alertname=\"Down\"} resolved");
            } finally {
                real.destroy();
                if (!real.waitFor(20, TimeUnit.SECONDS)) real.destroyForcibly();
            }
        }
    }
}
