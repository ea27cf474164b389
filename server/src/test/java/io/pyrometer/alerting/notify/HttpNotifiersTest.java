package io.pyrometer.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Slack, PagerDuty, Discord and Teams bodies for a firing+resolved group, parsed from a config as a
 * user writes it and sent to a loopback server. Expected JSON is written by hand from the upstream
 * request structs and defaults (notify/slack/slack.go, notify/pagerduty/pagerduty.go,
 * notify/discord/discord.go at v0.25.0; notify/msteams/msteams.go at v0.27.0; config/notifiers.go).
 */
class HttpNotifiersTest {
    static final String SUBJECT = "[FIRING:1] Down (node)";
    static final String LINK = "http://am:9093/#/alerts?receiver=team+a";

    static NotificationContext ctx() {
        return NotificationContext.of("team a", "{}:{alertname=\"Down\"}", Map.of("alertname", "Down"), "http://am:9093",
                DefaultTemplatesTest.NOW);
    }

    static Receiver receiver(String yaml) throws Exception {
        ReceiverConfigs.Parsed p = ReceiverConfigs.parse("route:\n  receiver: r\n" + yaml);
        return Receivers.build(p.receivers().getFirst(), NotifyTemplates.defaults());
    }

    static JsonNode sendAndCapture(CapturingHttpServer s, Integration i) throws Exception {
        i.notify(ctx(), DefaultTemplatesTest.group());
        CapturingHttpServer.Request r = s.next(Duration.ofSeconds(5));
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void slackDefaultsMakeOneAttachment() throws Exception {
        try (CapturingHttpServer s = new CapturingHttpServer()) {
            Receiver r = receiver("""
                    global:
                      slack_api_url: %s
                    receivers:
                      - name: r
                        slack_configs:
                          - channel: '#ops'
                            fields:
                              - title: Severity
                                value: '{{ .CommonLabels.severity }}none'
                            actions:
                              - type: button
                                text: Runbook
                                url: 'http://runbook/{{ .GroupLabels.alertname }}'
                                name: ignored-for-url-buttons
                    """.formatted(s.url("/slack")));
            Integration slack = r.integrations().getFirst();
            assertThat(slack.describe()).isEqualTo("slack[0]");
            assertThat(slack.sendResolved()).isFalse(); // DefaultSlackConfig
            String body = ((SlackNotifier) slack).payload(ctx(), DefaultTemplatesTest.group());
            assertThat(body).isEqualTo("{\"channel\":\"#ops\",\"username\":\"Alertmanager\",\"attachments\":[{"
                    + "\"title\":\"" + SUBJECT + "\",\"title_link\":\"" + LINK + "\",\"text\":\"\","
                    + "\"fallback\":\"" + SUBJECT + " | " + LINK + "\",\"callback_id\":\"\","
                    + "\"fields\":[{\"title\":\"Severity\",\"value\":\"none\",\"short\":false}],"
                    + "\"actions\":[{\"type\":\"button\",\"text\":\"Runbook\",\"url\":\"http://runbook/Down\"}],"
                    + "\"footer\":\"\",\"color\":\"danger\",\"mrkdwn_in\":[\"fallback\",\"pretext\",\"text\"]}]}\n");
            JsonNode sent = sendAndCapture(s, slack);
            assertThat(sent.get("attachments").get(0).get("title").asText()).isEqualTo(SUBJECT);
        }
    }

    @Test
    void pagerDutyEventV2() throws Exception {
        try (CapturingHttpServer s = new CapturingHttpServer()) {
            Receiver r = receiver("""
                    receivers:
                      - name: r
                        pagerduty_configs:
                          - routing_key: rk-{{ .GroupLabels.alertname }}
                            url: %s
                            severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}warning{{ end }}'
                            details:
                              team: ops
                            links:
                              - href: http://runbook
                                text: runbook
                              - text: dropped without href
                    """.formatted(s.url("/pd")));
            PagerDutyNotifier pd = (PagerDutyNotifier) r.integrations().getFirst();
            assertThat(pd.sendResolved()).isTrue();
            JsonNode m = sendAndCapture(s, pd);
            assertThat(m.get("routing_key").asText()).isEqualTo("rk-Down");
            // echo -n '{}:{alertname="Down"}' | sha256sum
            assertThat(m.get("dedup_key").asText()).isEqualTo("af94c9e8f6a3043625e36c6f472fe6be85ac23a9117184ee4cb7b4ad7401a47e");
            assertThat(m.get("event_action").asText()).isEqualTo("trigger");
            JsonNode p = m.get("payload");
            assertThat(p.get("summary").asText()).isEqualTo(SUBJECT);
            assertThat(p.get("source").asText()).isEqualTo("Alertmanager"); // source defaults to client
            assertThat(p.get("severity").asText()).isEqualTo("warning");
            assertThat(p.has("class")).isFalse();
            JsonNode d = p.get("custom_details");
            assertThat(d.get("team").asText()).isEqualTo("ops");
            assertThat(d.get("num_firing").asText()).isEqualTo("1");
            assertThat(d.get("num_resolved").asText()).isEqualTo("1");
            assertThat(d.get("firing").asText()).startsWith("Labels:\n - alertname = Down\n - instance = a:9100\n");
            assertThat(m.get("client").asText()).isEqualTo("Alertmanager");
            assertThat(m.get("client_url").asText()).isEqualTo(LINK);
            assertThat(m.get("links")).hasSize(1);
            assertThat(m.get("links").get(0).get("href").asText()).isEqualTo("http://runbook");
            assertThat(m.has("images")).isFalse();
            // resolved group
            pd.notify(ctx(), List.of(DefaultTemplatesTest.group().get(1)));
            assertThat(new ObjectMapper().readTree(s.next(Duration.ofSeconds(5)).body()).get("event_action").asText()).isEqualTo("resolve");
            // 429 is retried for PagerDuty, 400 is not
            s.status.set(429);
            assertThatThrownBy(() -> pd.notify(ctx(), DefaultTemplatesTest.group()))
                    .isInstanceOfSatisfying(NotifyException.class, e -> assertThat(e.retry()).isTrue());
            s.status.set(400);
            assertThatThrownBy(() -> pd.notify(ctx(), DefaultTemplatesTest.group()))
                    .isInstanceOfSatisfying(NotifyException.class, e -> assertThat(e.retry()).isFalse());
        }
    }

    @Test
    void discordEmbed() throws Exception {
        try (CapturingHttpServer s = new CapturingHttpServer()) {
            Receiver r = receiver("receivers:\n  - name: r\n    discord_configs:\n      - webhook_url: " + s.url("/d") + "\n");
            DiscordNotifier dn = (DiscordNotifier) r.integrations().getFirst();
            String desc = DefaultTemplatesTest.T.text("{{ template \"discord.default.message\" . }}", TemplateData.of(ctx(), DefaultTemplatesTest.group()));
            assertThat(dn.payload(ctx(), DefaultTemplatesTest.group())).isEqualTo("{\"content\":\"\",\"embeds\":[{\"title\":\""
                    + SUBJECT + "\",\"description\":\"" + desc.replace("\n", "\\n").replace("<", "\\u003c").replace(">", "\\u003e")
                    .replace("&", "\\u0026") + "\",\"color\":" + 0x992D22 + "}]}\n");
            JsonNode m = sendAndCapture(s, dn);
            assertThat(m.get("embeds").get(0).get("color").asInt()).isEqualTo(10038562);
        }
    }

    @Test
    void teamsMessageCard() throws Exception {
        try (CapturingHttpServer s = new CapturingHttpServer()) {
            Receiver r = receiver("receivers:\n  - name: r\n    msteams_configs:\n      - webhook_url: " + s.url("/t") + "\n        title: T {{ .Status }}\n");
            JsonNode m = sendAndCapture(s, r.integrations().getFirst());
            assertThat(m.get("@context").asText()).isEqualTo("http://schema.org/extensions");
            assertThat(m.get("type").asText()).isEqualTo("MessageCard");
            assertThat(m.get("title").asText()).isEqualTo("T firing");
            assertThat(m.get("summary").asText()).isEqualTo(SUBJECT);
            assertThat(m.get("text").asText()).startsWith("\n\n# Alerts Firing:\n\nLabels:\n  - alertname = Down\n");
            assertThat(m.get("themeColor").asText()).isEqualTo("8C1A1A");
            List<String> names = new java.util.ArrayList<>();
            m.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("@context", "type", "title", "summary", "text", "themeColor");
        }
    }

    @Test
    void templateErrorsAreNotRetried() throws Exception {
        Receiver r = receiver("receivers:\n  - name: r\n    discord_configs:\n      - webhook_url: http://127.0.0.1:1/\n        title: '{{ .Nope }}'\n");
        assertThatThrownBy(() -> r.integrations().getFirst().notify(ctx(), DefaultTemplatesTest.group()))
                .isInstanceOfSatisfying(NotifyException.class, e -> {
                    assertThat(e.retry()).isFalse();
                    assertThat(e.getMessage()).startsWith("discord[0]: template for title failed").contains("can't evaluate field Nope");
                });
    }
}
