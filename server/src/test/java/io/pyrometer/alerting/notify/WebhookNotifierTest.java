package io.pyrometer.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.config.HttpClientConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookNotifierTest {
    static final Instant NOW = Instant.parse("2026-12-08T01:00:00Z");

    static NotifyAlert firing() {
        return NotifyAlert.of(Map.of("alertname", "Down", "job", "node", "instance", "a:9100"),
                Map.of("summary", "a is down", "runbook", "https://x/?a=1&b=<2>"),
                Instant.parse("2026-12-08T00:50:00.123Z"), NOW.plusSeconds(300), "http://prom:9090/graph?g0.expr=up");
    }

    static NotifyAlert resolved() {
        return NotifyAlert.of(Map.of("alertname", "Down", "job", "node", "instance", "b:9100"), Map.of("summary", "b is down"),
                Instant.parse("2026-12-08T00:40:00Z"), Instant.parse("2026-12-08T00:55:30.5Z"), "http://prom:9090/graph?g0.expr=up");
    }

    static NotificationContext ctx() {
        return NotificationContext.of("team-a.hooks", "{}:{alertname=\"Down\"}", Map.of("alertname", "Down"),
                "http://am.example:9093", NOW);
    }

    /**
     * The payload of Alertmanager's documented webhook format (docs/configuration.md, "webhook_config"),
     * as Go's encoding/json writes template.Data embedded in webhook.Message (notify/webhook/webhook.go at
     * v0.25.0): Data's fields first, maps with sorted keys, HTML characters escaped, a firing alert's
     * future end time hidden as Go's zero time, the receiver through regexp.QuoteMeta, fingerprints
     * computed by hand with FNV-1a over "alertname\xffDown\xffinstance\xffa:9100\xffjob\xffnode\xff".
     */
    @Test
    void payloadIsAlertmanagersVersion4Json() {
        String expected = "{\"receiver\":\"team-a\\\\.hooks\",\"status\":\"firing\",\"alerts\":["
                + "{\"status\":\"firing\",\"labels\":{\"alertname\":\"Down\",\"instance\":\"a:9100\",\"job\":\"node\"},"
                + "\"annotations\":{\"runbook\":\"https://x/?a=1\\u0026b=\\u003c2\\u003e\",\"summary\":\"a is down\"},"
                + "\"startsAt\":\"2026-12-08T00:50:00.123Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
                + "\"generatorURL\":\"http://prom:9090/graph?g0.expr=up\",\"fingerprint\":\"" + fnv("alertname", "Down", "instance", "a:9100", "job", "node") + "\"},"
                + "{\"status\":\"resolved\",\"labels\":{\"alertname\":\"Down\",\"instance\":\"b:9100\",\"job\":\"node\"},"
                + "\"annotations\":{\"summary\":\"b is down\"},"
                + "\"startsAt\":\"2026-12-08T00:40:00Z\",\"endsAt\":\"2026-12-08T00:55:30.5Z\","
                + "\"generatorURL\":\"http://prom:9090/graph?g0.expr=up\",\"fingerprint\":\"" + fnv("alertname", "Down", "instance", "b:9100", "job", "node") + "\"}],"
                + "\"groupLabels\":{\"alertname\":\"Down\"},\"commonLabels\":{\"alertname\":\"Down\",\"job\":\"node\"},"
                + "\"commonAnnotations\":{},\"externalURL\":\"http://am.example:9093\","
                + "\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\"Down\\\"}\",\"truncatedAlerts\":0}\n";
        assertThat(WebhookNotifier.payload(ctx(), List.of(firing(), resolved()), 0)).isEqualTo(expected);
    }

    @Test
    void allResolvedGroupHasStatusResolvedAndEmptyGroupIsResolvedWithEmptyArray() {
        String p = WebhookNotifier.payload(ctx(), List.of(resolved()), 0);
        assertThat(p).startsWith("{\"receiver\":\"team-a\\\\.hooks\",\"status\":\"resolved\",\"alerts\":[{\"status\":\"resolved\"");
        String empty = WebhookNotifier.payload(ctx(), List.of(), 0);
        assertThat(empty).contains("\"status\":\"resolved\",\"alerts\":[],\"groupLabels\":{\"alertname\":\"Down\"},\"commonLabels\":{},");
    }

    @Test
    void maxAlertsKeepsTheFirstAndCountsTheRest() {
        String p = WebhookNotifier.payload(ctx(), List.of(firing(), resolved(), firing()), 1);
        assertThat(p).endsWith("\"truncatedAlerts\":2}\n");
        assertThat(p.split("\"fingerprint\"")).hasSize(2);
        // common labels are computed over the alerts sent, not the truncated ones
        assertThat(p).contains("\"commonLabels\":{\"alertname\":\"Down\",\"instance\":\"a:9100\",\"job\":\"node\"}");
    }

    @Test
    void postsJsonWithAuthAndUserAgentAndClassifiesStatuses() throws Exception {
        try (CapturingHttpServer s = new CapturingHttpServer()) {
            HttpClientConfig http = new HttpClientConfig(new HttpClientConfig.BasicAuth("u", "", "p", ""), null, null,
                    HttpClientConfig.TlsConfig.EMPTY, HttpClientConfig.ProxyConfig.EMPTY, true, false, Map.of());
            WebhookNotifier n = new WebhookNotifier(new WebhookNotifier.Config(true, http, s.url("/hook"), "", 0), 0);
            n.notify(ctx(), List.of(firing()));
            CapturingHttpServer.Request r = s.next(Duration.ofSeconds(5));
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/hook");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("Authorization")).isEqualTo("Basic dTpw"); // base64("u:p")
            assertThat(r.header("User-Agent")).startsWith("Pyrometer-Alertmanager/");
            assertThat(r.body()).isEqualTo(WebhookNotifier.payload(ctx(), List.of(firing()), 0));

            s.status.set(503);
            s.responseBody.set("overloaded");
            assertThatThrownBy(() -> n.notify(ctx(), List.of(firing())))
                    .isInstanceOfSatisfying(NotifyException.class, e -> {
                        assertThat(e.retry()).isTrue();
                        assertThat(e.getMessage()).isEqualTo("webhook[0]: unexpected status code 503: overloaded");
                    });
            s.status.set(400);
            s.responseBody.set("{\"status\":\"invalid event\"}");
            assertThatThrownBy(() -> n.notify(ctx(), List.of(firing())))
                    .isInstanceOfSatisfying(NotifyException.class, e -> {
                        assertThat(e.retry()).isFalse();
                        assertThat(e.getMessage()).isEqualTo("webhook[0]: unexpected status code 400: {\"status\":\"invalid event\"}");
                    });
            s.status.set(204);
            s.responseBody.set("");
            n.notify(ctx(), List.of(firing()));
        }
    }

    @Test
    void networkErrorsAreRetriedAndDoNotLeakTheUrl() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        WebhookNotifier n = new WebhookNotifier(new WebhookNotifier.Config(true, HttpClientConfig.DEFAULT,
                "http://127.0.0.1:" + port + "/secret-token-path", "", 0), 2);
        assertThatThrownBy(() -> n.notify(ctx(), List.of(firing())))
                .isInstanceOfSatisfying(NotifyException.class, e -> {
                    assertThat(e.retry()).isTrue();
                    assertThat(e.getMessage()).startsWith("webhook[2]: request failed [host=127.0.0.1").doesNotContain("secret-token-path");
                });
    }

    @Test
    void urlFileIsReadAtEachNotification(@TempDir Path dir) throws Exception {
        try (CapturingHttpServer s = new CapturingHttpServer()) {
            Path f = dir.resolve("url");
            Files.writeString(f, s.url("/one") + "\n");
            WebhookNotifier n = new WebhookNotifier(new WebhookNotifier.Config(true, HttpClientConfig.DEFAULT, "", f.toString(), 0), 0);
            n.notify(ctx(), List.of(firing()));
            assertThat(s.next(Duration.ofSeconds(5)).path()).isEqualTo("/one");
            Files.writeString(f, s.url("/two"));
            n.notify(ctx(), List.of(firing()));
            assertThat(s.next(Duration.ofSeconds(5)).path()).isEqualTo("/two");
            Files.delete(f);
            assertThatThrownBy(() -> n.notify(ctx(), List.of(firing())))
                    .isInstanceOfSatisfying(NotifyException.class, e -> assertThat(e.retry()).isFalse());
        }
    }

    /** FNV-1a 64 written out independently of NotifyAlert: name, 0xff, value, 0xff for each sorted pair. */
    static String fnv(String... pairs) {
        long h = 0xcbf29ce484222325L;
        for (String s : pairs) {
            for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
            h ^= 0xff;
            h *= 0x100000001b3L;
        }
        return String.format("%016x", h);
    }
}
