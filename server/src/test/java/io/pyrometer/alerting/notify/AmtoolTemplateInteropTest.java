package io.pyrometer.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alertmanager's own default templates as the oracle: real {@code amtool template render}
 * (Alertmanager 0.25) renders Debian's copy of Alertmanager's {@code default.tmpl}
 * ({@code /usr/share/prometheus/alertmanager/}, read at test time, not part of Pyrometer) against
 * the template data we build (written as JSON by our webhook encoder, which
 * {@link AlertmanagerWebhookInteropTest} proves equal to Alertmanager's), and our own templates
 * rendered by our engine must give the same text. Definitions Alertmanager 0.25 does not have
 * ({@code msteams.*}, {@code discord.default.content}) are checked by hand in {@link DefaultTemplatesTest}.
 */
class AmtoolTemplateInteropTest {
    static final Path UPSTREAM = Path.of(System.getenv().getOrDefault("ALERTMANAGER_TEMPLATES", "/usr/share/prometheus/alertmanager"));

    static final List<String> TEXTS = List.of("{{ template \"__subject\" . }}", "{{ template \"__alertmanagerURL\" . }}",
            "{{ template \"__text_alert_list\" .Alerts.Firing }}", "{{ template \"__text_alert_list\" .Alerts }}",
            "{{ template \"slack.default.title\" . }}", "{{ template \"slack.default.username\" . }}",
            "{{ template \"slack.default.fallback\" . }}", "{{ template \"slack.default.titlelink\" . }}",
            "{{ template \"slack.default.text\" . }}", "{{ template \"slack.default.pretext\" . }}",
            "{{ template \"slack.default.callbackid\" . }}", "{{ template \"slack.default.iconemoji\" . }}",
            "{{ template \"slack.default.iconurl\" . }}", "{{ template \"slack.default.footer\" . }}",
            "{{ template \"pagerduty.default.description\" . }}", "{{ template \"pagerduty.default.client\" . }}",
            "{{ template \"pagerduty.default.clientURL\" . }}", "{{ template \"pagerduty.default.instances\" .Alerts.Firing }}",
            "{{ template \"pagerduty.default.instances\" .Alerts.Resolved }}", "{{ template \"email.default.subject\" . }}",
            "{{ template \"discord.default.title\" . }}", "{{ template \"discord.default.message\" . }}");

    @Test
    void ourTemplatesRenderWhatAlertmanagersDefaultsRender(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(AmtoolReceiversInteropTest.AMTOOL), "amtool not installed at "
                + AmtoolReceiversInteropTest.AMTOOL + " (Debian package 'prometheus-alertmanager'); set AMTOOL to override");
        assumeTrue(Files.isRegularFile(UPSTREAM.resolve("default.tmpl")), "Alertmanager's default.tmpl not found in " + UPSTREAM
                + " (Debian package 'prometheus-alertmanager'); set ALERTMANAGER_TEMPLATES to override");
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (Map.Entry<String, TemplateData.Data> e : groups().entrySet()) {
            TemplateData.Data data = e.getValue();
            Path json = dir.resolve(e.getKey() + ".json");
            GoJson j = new GoJson().beginObject();
            WebhookNotifier.writeData(j, data);
            Files.writeString(json, j.endObject().toString());
            for (String text : TEXTS) {
                String theirs = amtool(json, text);
                String ours = DefaultTemplatesTest.T.text(text, data);
                if (!theirs.equals(ours)) {
                    mismatches.add(e.getKey() + " " + text + ": amtool " + theirs.replace("\n", "\\n") + " ours " + ours.replace("\n", "\\n"));
                }
                compared++;
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(compared).isEqualTo(TEXTS.size() * 3);
    }

    /** A firing+resolved group, an all-resolved group, and a group whose values need escaping. */
    static Map<String, TemplateData.Data> groups() {
        Instant now = Instant.parse("2026-12-08T01:00:00Z");
        NotificationContext ctx = NotificationContext.of("team-a", "{}:{alertname=\"Down\"}", Map.of("alertname", "Down"),
                "http://am.example:9093", now);
        List<NotifyAlert> mixed = DefaultTemplatesTest.group();
        NotifyAlert odd = NotifyAlert.of(Map.of("alertname", "Disk & <full>", "mount", "/var \"x\"", "team", "ops"),
                Map.of("description", "line1\nline2 'quoted'", "runbook_url", "https://r/?a=1&b=2"),
                Instant.parse("2026-12-08T00:00:00Z"), null, "");
        return Map.of(
                "mixed", TemplateData.of(ctx, mixed),
                "resolved", TemplateData.of(ctx, List.of(mixed.get(1))),
                "odd", TemplateData.of(NotificationContext.of("ops", "{}/{team=\"ops\"}:{team=\"ops\"}", Map.of("team", "ops"),
                        "https://am.example/prefix", now), List.of(odd, mixed.getFirst())));
    }

    private static String amtool(Path data, String text) throws Exception {
        Process p = new ProcessBuilder(AmtoolReceiversInteropTest.AMTOOL.toString(), "template", "render",
                "--template.glob=" + UPSTREAM + "/*.tmpl", "--template.data=" + data,
                "--template.text=" + text).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("amtool: " + err).isZero();
        return out; // cli/template_render.go: fmt.Print(rendered)
    }
}
