package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyrometer.alerting.WebhookSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two replicas named with --cluster.peer: silences replicate, one notification per group, one replica down still delivers. */
class AlertmanagerClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir Path dir;

    AlertmanagerCommand.Running replica(String name, int port, int peerPort, Path config) throws Exception {
        Flags f = AlertmanagerFlags.declare();
        f.parse(List.of("--config.file=" + config, "--storage.path=" + dir.resolve(name), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.advertise-address=127.0.0.1:" + port, "--cluster.peer-timeout=5s"));
        return AlertmanagerCommand.start(f, List.of("127.0.0.1:" + peerPort));
    }

    HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void replicasShareSilencesAndSendOneNotificationPerGroup() throws Exception {
        try (WebhookSink sink = new WebhookSink()) {
            Path cfg = dir.resolve("am.yml");
            Files.writeString(cfg, AlertmanagerInteropTest.config(sink));
            int pa = AlertmanagerInteropTest.freePort(), pb = AlertmanagerInteropTest.freePort();
            int first = ("127.0.0.1:" + pa).compareTo("127.0.0.1:" + pb) < 0 ? pa : pb; // position 0 sends without waiting
            try (AlertmanagerCommand.Running a = replica("a", pa, pb, cfg); AlertmanagerCommand.Running b = replica("b", pb, pa, cfg)) {
                long now = System.currentTimeMillis();
                String sid = JSON.readTree(send(pa, "POST", "/api/v2/silences", """
                        {"matchers":[{"name":"alertname","value":"Muted","isRegex":false}],"startsAt":"%s","endsAt":"%s","createdBy":"t","comment":"c"}"""
                        .formatted(Instant.ofEpochMilli(now), Instant.ofEpochMilli(now + 3_600_000))).body()).path("silenceID").asText();
                AlertmanagerInteropTest.await("silence replicated", 10_000, () -> {
                    try {
                        return send(pb, "GET", "/api/v2/silence/" + sid, null).statusCode() == 200;
                    } catch (Exception e) {
                        return false;
                    }
                });
                JsonNode status = JSON.readTree(send(pb, "GET", "/api/v2/status", null).body());
                assertThat(status.path("cluster").path("status").asText()).isEqualTo("ready");
                String alerts = "[{\"labels\":{\"alertname\":\"Up\"}},{\"labels\":{\"alertname\":\"Muted\"}}]";
                // long enough for the second replica's wait (group_wait + peer timeout) to pass and find the first's log entry
                for (int i = 0; i < 9; i++) {
                    send(pa, "POST", "/api/v2/alerts", alerts);
                    send(pb, "POST", "/api/v2/alerts", alerts);
                    Thread.sleep(1000); // a sender's resend cadence, to both replicas as Prometheus does
                }
                assertThat(sink.payloads).extracting(n -> n.path("groupLabels").path("alertname").asText()).containsExactly("Up");
                // the replica that sends first goes down: the other still delivers, after its wait
                AlertmanagerCommand.Running firstReplica = first == pa ? a : b;
                int other = first == pa ? pb : pa;
                firstReplica.close();
                send(other, "POST", "/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Later\"}}]");
                sink.await(n -> n.path("groupLabels").path("alertname").asText().equals("Later"), 30_000);
            }
        }
    }
}
