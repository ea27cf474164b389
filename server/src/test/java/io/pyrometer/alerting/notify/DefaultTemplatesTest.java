package io.pyrometer.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.template.TemplateException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Alertmanager's default templates rendered for a group with one firing and one resolved alert.
 * Expected texts are worked out by hand from template/default.tmpl; {@link AmtoolTemplateInteropTest}
 * compares many more against Go's own engine (amtool template render).
 */
class DefaultTemplatesTest {
    static final Instant NOW = Instant.parse("2026-12-08T01:00:00Z");

    static List<NotifyAlert> group() {
        return List.of(
                NotifyAlert.of(Map.of("alertname", "Down", "job", "node", "instance", "a:9100", "severity", "critical"),
                        Map.of("summary", "a <down>"), Instant.parse("2026-12-08T00:50:00Z"), null, "http://prom/graph?g0.expr=up&x=1"),
                NotifyAlert.of(Map.of("alertname", "Down", "job", "node", "instance", "b:9100"), Map.of("summary", "b"),
                        Instant.parse("2026-12-08T00:40:00Z"), Instant.parse("2026-12-08T00:55:00Z"), "http://prom/graph"));
    }

    static TemplateData.Data data() {
        return TemplateData.of(NotificationContext.of("team a", "{}:{alertname=\"Down\"}", Map.of("alertname", "Down"),
                "http://am:9093", NOW), group());
    }

    static final NotifyTemplates T = NotifyTemplates.defaults();

    @Test
    void subjectCountsFiringAndListsGroupThenOtherCommonLabels() throws Exception {
        // __subject: [STATUS:firing count] group label values (other common label values)
        assertThat(T.text("{{ template \"slack.default.title\" . }}", data())).isEqualTo("[FIRING:1] Down (node)");
        assertThat(T.text("{{ template \"email.default.subject\" . }}", data())).isEqualTo("[FIRING:1] Down (node)");
        assertThat(T.text("{{ template \"pagerduty.default.description\" . }}", data())).isEqualTo("[FIRING:1] Down (node)");
        TemplateData.Data resolved = TemplateData.of(NotificationContext.of("r", "k", Map.of("alertname", "Down"), "", NOW),
                List.of(group().get(1)));
        assertThat(T.text("{{ template \"__subject\" . }}", resolved)).isEqualTo("[RESOLVED] Down (b:9100 node)");
    }

    @Test
    void alertmanagerUrlQuotesTheReceiver() throws Exception {
        assertThat(T.text("{{ template \"slack.default.titlelink\" . }}", data())).isEqualTo("http://am:9093/#/alerts?receiver=team+a");
        assertThat(T.text("{{ template \"slack.default.fallback\" . }}", data()))
                .isEqualTo("[FIRING:1] Down (node) | http://am:9093/#/alerts?receiver=team+a");
        assertThat(T.text("{{ template \"slack.default.username\" . }}", data())).isEqualTo("Alertmanager");
        assertThat(T.text("{{ template \"slack.default.text\" . }}", data())).isEmpty();
    }

    @Test
    void textAlertListShowsSortedPairsAlertnameFirst() throws Exception {
        assertThat(T.text("{{ template \"pagerduty.default.instances\" .Alerts.Firing }}", data())).isEqualTo("""
                Labels:
                 - alertname = Down
                 - instance = a:9100
                 - job = node
                 - severity = critical
                Annotations:
                 - summary = a <down>
                Source: http://prom/graph?g0.expr=up&x=1
                """);
        assertThat(T.text("{{ .Alerts.Resolved | len }}/{{ len .Alerts }}", data())).isEqualTo("1/2");
    }

    /**
     * msteams.default.text as Alertmanager 0.26+ defines it (template/default.tmpl: a blank line,
     * "# Alerts Firing:" and __text_alert_list_markdown, then the same for resolved), by hand.
     */
    @Test
    void teamsTextIsMarkdownSections() throws Exception {
        // each alert: "\nLabels:\n" pairs "\nAnnotations:\n" pairs "\nSource: URL\n"; the list ends with "\n"
        String firing = "\nLabels:\n  - alertname = Down\n  - instance = a:9100\n  - job = node\n  - severity = critical\n"
                + "\nAnnotations:\n  - summary = a <down>\n\nSource: http://prom/graph?g0.expr=up&x=1\n" + "\n";
        String resolved = "\nLabels:\n  - alertname = Down\n  - instance = b:9100\n  - job = node\n"
                + "\nAnnotations:\n  - summary = b\n\nSource: http://prom/graph\n" + "\n";
        // "\n", then "\n# Alerts Firing:\n" list "\n", then "\n", then "\n# Alerts Resolved:\n" list "\n", then "\n"
        assertThat(T.text("{{ template \"msteams.default.text\" . }}", data())).isEqualTo(
                "\n" + "\n# Alerts Firing:\n" + firing + "\n" + "\n" + "\n# Alerts Resolved:\n" + resolved + "\n" + "\n");
        assertThat(T.text("{{ template \"msteams.default.title\" . }}|{{ template \"msteams.default.summary\" . }}", data()))
                .isEqualTo("[FIRING:1] Down (node)|[FIRING:1] Down (node)");
        assertThat(T.text("[{{ template \"discord.default.content\" . }}]", data())).isEqualTo("[]");
    }

    @Test
    void dataModelMethodsAndMissingKeys() throws Exception {
        TemplateData.Data d = data();
        assertThat(T.text("{{ .Receiver }} {{ .Status }} {{ .ExternalURL }}", d)).isEqualTo("team a firing http://am:9093");
        assertThat(T.text("{{ .CommonLabels.Names | join \",\" }}={{ .CommonLabels.Values | join \",\" }}", d))
                .isEqualTo("alertname,job=Down,node");
        assertThat(T.text("{{ (.CommonLabels.Remove (stringSlice \"job\")).Names }}", d)).isEqualTo("[alertname]");
        assertThat(T.text("[{{ .CommonLabels.nothere }}][{{ index .CommonLabels \"nothere\" }}]", d)).isEqualTo("[][]");
        assertThat(T.text("{{ range .Alerts }}{{ .Labels.instance }}:{{ .Status }}:{{ .EndsAt.IsZero }} {{ end }}", d))
                .isEqualTo("a:9100:firing:true b:9100:resolved:false ");
        assertThat(T.text("{{ .CommonLabels }}", d)).isEqualTo("map[alertname:Down job:node]");
        assertThat(T.text("{{ range $k, $v := .GroupLabels }}{{ $k }}={{ $v }}{{ end }}", d)).isEqualTo("alertname=Down");
        assertThat(T.text("{{ \"hello wORLD\" | title }} {{ toUpper \"a\" }} {{ reReplaceAll \"(a+)\" \"<$1>\" \"xaay\" }} {{ match \"^a\" \"ab\" }}", d))
                .isEqualTo("Hello World A x<aa>y true");
        assertThatThrownBy(() -> T.text("{{ .Nope }}", d)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("can't evaluate field Nope in type *template.Data");
    }

    @Test
    void userTemplatesOverrideDefaults() throws Exception {
        NotifyTemplates t = NotifyTemplates.ofTexts(Map.of("mine.tmpl",
                "{{ define \"slack.default.title\" }}custom {{ .GroupLabels.alertname }}{{ end }}"));
        assertThat(t.text("{{ template \"slack.default.title\" . }}", data())).isEqualTo("custom Down");
        assertThat(t.text("{{ template \"slack.default.username\" . }}", data())).isEqualTo("Alertmanager");
    }

    @Test
    void brokenUserTemplateFailsCheckWithItsFileAndLine() {
        NotifyTemplates t = NotifyTemplates.ofTexts(Map.of("bad.tmpl", "{{ define \"x\" }}\n{{ .Foo \n"));
        assertThatThrownBy(t::check).isInstanceOf(TemplateException.class).hasMessage("template: bad.tmpl:3: unclosed action started at bad.tmpl:2"); // Go text/template wording
    }

    @Test
    void htmlEscapesValues() throws Exception {
        assertThat(T.html("<b>{{ (index .Alerts 0).Annotations.summary }}</b>", data())).isEqualTo("<b>a &lt;down&gt;</b>");
        String html = T.html("{{ template \"email.default.html\" . }}", data());
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>")
                .contains("<title>[FIRING:1] Down (node)</title>")
                .contains("<a class=\"button\" href=\"http://am:9093/#/alerts?receiver=team+a\">View in Alertmanager</a>")
                .contains("<tr><td class=\"section\">[1] Firing</td></tr>")
                .contains("<tr><td class=\"section\">[1] Resolved</td></tr>")
                .contains("<b>summary</b> = a &lt;down&gt;<br>")
                .contains("<a href=\"http://prom/graph?g0.expr=up&amp;x=1\">Source</a>");
    }
}
