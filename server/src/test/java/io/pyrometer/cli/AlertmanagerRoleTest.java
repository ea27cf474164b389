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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pyrometer alertmanager} in process: API v2 shapes, webhook delivery, reload, and real amtool against it. */
class AlertmanagerRoleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path AMTOOL = Path.of("/usr/bin/amtool");

    @TempDir Path dir;
    WebhookSink sink;
    AlertmanagerCommand.Running am;

    @AfterEach
    void stop() {
        if (am != null) am.close();
        if (sink != null) sink.close();
    }

    String config(String extra) {
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
                """.formatted(sink.url()) + extra;
    }

    void start(String yaml) throws Exception {
        Files.writeString(dir.resolve("am.yml"), yaml);
        Flags f = AlertmanagerFlags.declare();
        f.parse(List.of("--config.file=" + dir.resolve("am.yml"), "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:0", "--web.external-url=http://am.example:9093"));
        am = AlertmanagerCommand.start(f, List.of());
    }

    String base() { return "http://127.0.0.1:" + am.port; }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void postedAlertsAreGroupedDeliveredAndListedWithApiV2Shapes() throws Exception {
        sink = new WebhookSink();
        start(config(""));
        HttpResponse<String> r = send("POST", "/api/v2/alerts", """
                [{"labels":{"alertname":"Disk","instance":"a"},"annotations":{"summary":"full"},"generatorURL":"http://prom/graph"},
                 {"labels":{"alertname":"Disk","instance":"b"}}]""");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode p = sink.await(n -> n.path("alerts").size() == 2, 10_000);
        assertThat(p.path("version").asText()).isEqualTo("4");
        assertThat(p.path("receiver").asText()).isEqualTo("hook");
        assertThat(p.path("status").asText()).isEqualTo("firing");
        assertThat(p.path("groupKey").asText()).isEqualTo("{}:{alertname=\"Disk\"}");
        assertThat(p.path("groupLabels").toString()).isEqualTo("{\"alertname\":\"Disk\"}");
        assertThat(p.path("commonLabels").toString()).isEqualTo("{\"alertname\":\"Disk\"}");
        assertThat(p.path("externalURL").asText()).isEqualTo("http://am.example:9093");
        assertThat(p.path("alerts").get(0).path("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(p.path("alerts").get(0).path("labels").path("instance").asText()).isEqualTo("a");

        // a filter that does not parse is the client's error, on both alert listings
        assertThat(send("GET", "/api/v2/alerts?filter=instance%3D~%22(%22", null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/v2/alerts/groups?filter=instance%3D~%22(%22", null).statusCode()).isEqualTo(400);
        JsonNode alerts = JSON.readTree(send("GET", "/api/v2/alerts?filter=instance%3D%22a%22", null).body());
        assertThat(alerts).hasSize(1);
        JsonNode a = alerts.get(0);
        assertThat(a.path("status").path("state").asText()).isEqualTo("active");
        assertThat(a.path("receivers").get(0).path("name").asText()).isEqualTo("hook");
        assertThat(a.path("annotations").path("summary").asText()).isEqualTo("full");
        assertThat(a.path("generatorURL").asText()).isEqualTo("http://prom/graph");
        assertThat(a.path("fingerprint").asText()).hasSize(16);

        JsonNode groups = JSON.readTree(send("GET", "/api/v2/alerts/groups", null).body());
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).path("receiver").path("name").asText()).isEqualTo("hook");
        assertThat(groups.get(0).path("alerts")).hasSize(2);

        JsonNode status = JSON.readTree(send("GET", "/api/v2/status", null).body());
        assertThat(status.path("config").path("original").asText()).contains("webhook_configs");
        assertThat(JSON.readTree(send("GET", "/api/v2/receivers", null).body()).get(0).path("name").asText()).isEqualTo("hook");

        assertThat(send("POST", "/api/v2/alerts", "[{\"annotations\":{}}]").statusCode()).isEqualTo(400);
        String metrics = send("GET", "/metrics", null).body();
        assertThat(metrics).contains("alertmanager_alerts_received_total{status=\"firing\"} 2")
                .contains("alertmanager_notifications_total{integration=\"webhook\"} 1")
                .contains("alertmanager_config_last_reload_successful 1");
    }

    @Test
    void silencesLifecycleOverTheApi() throws Exception {
        sink = new WebhookSink();
        start(config(""));
        long now = System.currentTimeMillis();
        String body = """
                {"matchers":[{"name":"alertname","value":"Disk","isRegex":false,"isEqual":true}],
                 "startsAt":"%s","endsAt":"%s","createdBy":"me","comment":"maint"}"""
                .formatted(java.time.Instant.ofEpochMilli(now), java.time.Instant.ofEpochMilli(now + 3_600_000));
        HttpResponse<String> r = send("POST", "/api/v2/silences", body);
        assertThat(r.statusCode()).isEqualTo(200);
        String id = JSON.readTree(r.body()).path("silenceID").asText();
        send("POST", "/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Disk\"}}]");
        JsonNode a = JSON.readTree(send("GET", "/api/v2/alerts", null).body()).get(0);
        assertThat(a.path("status").path("state").asText()).isEqualTo("suppressed");
        assertThat(a.path("status").path("silencedBy").get(0).asText()).isEqualTo(id);
        assertThat(JSON.readTree(send("GET", "/api/v2/alerts?silenced=false", null).body())).isEmpty();
        // editing an active silence's end keeps the id; changing its matchers expires it and makes a new one
        String edited = JSON.readTree(send("POST", "/api/v2/silences", body.replace("{\"matchers\"", "{\"id\":\"" + id + "\",\"matchers\"")
                .replace("maint", "longer")).body()).path("silenceID").asText();
        assertThat(edited).isEqualTo(id);
        String replaced = JSON.readTree(send("POST", "/api/v2/silences", body.replace("{\"matchers\"", "{\"id\":\"" + id + "\",\"matchers\"")
                .replace("\"Disk\"", "\"Other\"")).body()).path("silenceID").asText();
        assertThat(replaced).isNotEqualTo(id);
        assertThat(JSON.readTree(send("GET", "/api/v2/silence/" + id, null).body()).path("status").path("state").asText()).isEqualTo("expired");
        assertThat(send("DELETE", "/api/v2/silence/" + replaced, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/v2/silence/nope", null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/v2/silences", body.replace("\"Disk\"", "\"\"").replace("\"isRegex\":false", "\"isRegex\":true")
                .replace("\"\"", "\".*\"")).statusCode()).isEqualTo(400);
        // the alert is no longer silenced, so it is delivered
        sink.await(n -> n.path("status").asText().equals("firing"), 10_000);
    }

    @Test
    void badReloadKeepsTheOldConfig() throws Exception {
        sink = new WebhookSink();
        start(config(""));
        Files.writeString(dir.resolve("am.yml"), "route:\n  receiver: nope\nreceivers: [{name: x}]\n");
        HttpResponse<String> r = send("POST", "/-/reload", null);
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("am.yml:2:").contains("undefined receiver \"nope\"");
        assertThat(send("GET", "/metrics", null).body()).contains("alertmanager_config_last_reload_successful 0");
        assertThat(JSON.readTree(send("GET", "/api/v2/receivers", null).body()).get(0).path("name").asText()).isEqualTo("hook");
        Files.writeString(dir.resolve("am.yml"), config("").replace("name: hook", "name: hook2").replace("receiver: hook", "receiver: hook2"));
        assertThat(send("POST", "/-/reload", null).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(send("GET", "/api/v2/receivers", null).body()).get(0).path("name").asText()).isEqualTo("hook2");
    }

    String amtool(String... args) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(AMTOOL), "amtool not installed (apt-get install prometheus-alertmanager)");
        List<String> cmd = new ArrayList<>(List.of(AMTOOL.toString(), "--alertmanager.url=" + base()));
        cmd.addAll(List.of(args));
        // stderr only warns that versions differ (ours is Pyrometer's)
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("amtool %s: %s", List.of(args), out).isZero();
        return out.strip();
    }

    @Test
    void amtoolAddsQueriesAndExpiresSilencesAndQueriesAlerts() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(AMTOOL), "amtool not installed (apt-get install prometheus-alertmanager)");
        sink = new WebhookSink();
        start(config(""));
        send("POST", "/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Disk\",\"severity\":\"page\"}},{\"labels\":{\"alertname\":\"Cpu\"}}]");
        String id = amtool("silence", "add", "alertname=Disk", "severity=~pa.e", "--comment=maintenance", "--duration=2h", "--author=ops");
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(amtool("silence", "query", "-q")).isEqualTo(id);
        assertThat(amtool("silence", "query", "-o", "extended")).contains("maintenance").contains("ops").contains("severity=~\"pa.e\"");
        assertThat(amtool("alert", "query", "-o", "simple")).contains("Cpu").doesNotContain("Disk");
        assertThat(amtool("alert", "query", "-s", "-o", "simple")).contains("Disk");
        assertThat(amtool("alert", "query", "alertname=Cpu", "-o", "extended")).contains("alertname=\"Cpu\"");
        amtool("silence", "expire", id);
        assertThat(amtool("silence", "query", "-q")).isEmpty();
        assertThat(amtool("silence", "query", "--expired", "-q")).isEqualTo(id);
        assertThat(amtool("alert", "query", "-o", "simple")).contains("Disk");
        assertThat(amtool("config", "routes", "test", "alertname=Disk")).isEqualTo("hook");
    }
}
