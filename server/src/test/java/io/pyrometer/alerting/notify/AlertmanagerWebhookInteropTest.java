package io.pyrometer.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same alerts go through a real Alertmanager 0.25 with a webhook receiver pointing at this test,
 * and through our webhook encoder with the same receiver, group key, group labels and external URL:
 * the two bodies must be identical byte for byte (field order, escaping, time format, fingerprints,
 * QuoteMeta of the receiver name, common labels and annotations, zeroed end of firing alerts).
 */
class AlertmanagerWebhookInteropTest {
    @Test
    void ourWebhookBodyEqualsRealAlertmanagers(@TempDir Path dir) throws Exception {
        try (CapturingHttpServer hook = new CapturingHttpServer()) {
            String config = """
                    route:
                      receiver: team-a.hooks
                      group_by: [alertname]
                      group_wait: 1s
                      group_interval: 1s
                    receivers:
                      - name: team-a.hooks
                        webhook_configs:
                          - url: %s
                            send_resolved: true
                    """.formatted(hook.url("/hook"));
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Instant firingStart = now.minusSeconds(120).plusMillis(123);
            Instant resolvedStart = now.minusSeconds(600);
            Instant resolvedEnd = now.minusSeconds(30).plusMillis(500);
            Instant firingEnd = now.plusSeconds(3600);
            try (RealAlertmanager am = new RealAlertmanager(dir, config, "http://am.example:9093/prefix")) {
                // Alertmanager flushes a new group at once when its first alert is older than group_wait, and
                // drops resolved alerts after a flush: post the firing alert alone, then the resolved one.
                am.postAlerts("""
                        [{"labels":{"alertname":"Down","job":"node","instance":"a:9100"},
                          "annotations":{"summary":"a down","description":"same"},
                          "startsAt":"%s","endsAt":"%s","generatorURL":"http://prom:9090/graph?g0.expr=up&g0.tab=1"}]
                        """.formatted(firingStart, firingEnd));
                CapturingHttpServer.Request first = hook.next(Duration.ofSeconds(20));
                assertThat(first).as("first notification from alertmanager").isNotNull();
                am.postAlerts("""
                        [{"labels":{"alertname":"Down","job":"node","instance":"b:9100","note":"<&>\\u2028é"},
                          "annotations":{"summary":"b down","description":"same"},
                          "startsAt":"%s","endsAt":"%s","generatorURL":"http://prom:9090/graph?g0.expr=up&g0.tab=1"}]
                        """.formatted(resolvedStart, resolvedEnd));
                CapturingHttpServer.Request r = hook.next(Duration.ofSeconds(20));
                assertThat(r).as("second notification from alertmanager").isNotNull();
                JsonNode theirs = new ObjectMapper().readTree(r.body());
                assertThat(theirs.get("groupKey").asText()).isEqualTo("{}:{alertname=\"Down\"}");

                NotifyAlert a = NotifyAlert.of(Map.of("alertname", "Down", "job", "node", "instance", "a:9100"),
                        Map.of("summary", "a down", "description", "same"), firingStart, firingEnd,
                        "http://prom:9090/graph?g0.expr=up&g0.tab=1");
                NotifyAlert b = NotifyAlert.of(Map.of("alertname", "Down", "job", "node", "instance", "b:9100", "note", "<&>\u2028é"),
                        Map.of("summary", "b down", "description", "same"), resolvedStart, resolvedEnd,
                        "http://prom:9090/graph?g0.expr=up&g0.tab=1");
                NotificationContext ctx = NotificationContext.of("team-a.hooks", "{}:{alertname=\"Down\"}",
                        Map.of("alertname", "Down"), "http://am.example:9093/prefix", Instant.now());
                assertThat(WebhookNotifier.payload(ctx, List.of(a), 0)).isEqualTo(first.body());
                // the router sorts alerts by job, then instance (types.AlertSlice): a before b
                assertThat(WebhookNotifier.payload(ctx, List.of(a, b), 0)).isEqualTo(r.body());
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
            }
        }
    }
}
