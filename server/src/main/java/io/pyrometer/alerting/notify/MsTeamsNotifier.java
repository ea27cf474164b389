package io.pyrometer.alerting.notify;

import io.pyrometer.config.ConfigException;
import io.pyrometer.config.Fields;
import io.pyrometer.config.HttpClientConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code msteams_configs}: an Office 365 connector MessageCard to a Teams incoming webhook, as
 * {@code notify/msteams/msteams.go} (Alertmanager 0.26+) builds it: title, summary and text from
 * templates, theme color red while firing, green when resolved.
 */
final class MsTeamsNotifier implements Integration {
    static final String COLOR_RED = "8C1A1A", COLOR_GREEN = "2DC72D";

    /** {@code MSTeamsConfig}; {@code send_resolved} defaults to true. */
    record Config(boolean sendResolved, HttpClientConfig http, String webhookUrl, String webhookUrlFile, String title,
                  String summary, String text) implements IntegrationConfig {
        @Override public String kind() { return "msteams"; }

        @Override
        public String toString() {
            return "MSTeamsConfig[sendResolved=" + sendResolved + ", webhookUrl=<secret>, webhookUrlFile=" + webhookUrlFile + "]";
        }

        static Config read(Fields f, NotifyGlobals g) throws ConfigException {
            boolean sendResolved = f.bool("send_resolved", true);
            HttpClientConfig http = Receivers.httpConfig(f, "http_config", g.httpConfig());
            String url = Receivers.url(f, "webhook_url", "");
            String urlFile = f.string("webhook_url_file", "");
            String title = f.string("title", "{{ template \"msteams.default.title\" . }}");
            String summary = f.string("summary", "{{ template \"msteams.default.summary\" . }}");
            String text = f.string("text", "{{ template \"msteams.default.text\" . }}");
            f.finish();
            if (url.isEmpty() && urlFile.isEmpty()) throw f.error("one of webhook_url or webhook_url_file must be configured");
            if (!url.isEmpty() && !urlFile.isEmpty()) {
                throw f.error("webhook_url_file", "at most one of webhook_url & webhook_url_file must be configured");
            }
            return new Config(sendResolved, http, url, urlFile, title, summary, text);
        }
    }

    private final Config config;
    private final int index;
    private final NotifyTemplates templates;
    private final NotifyHttp http;

    MsTeamsNotifier(Config config, int index, NotifyTemplates templates) {
        this.config = config;
        this.index = index;
        this.templates = templates;
        this.http = new NotifyHttp(config.http());
    }

    @Override public String name() { return "msteams"; }
    @Override public int index() { return index; }
    @Override public boolean sendResolved() { return config.sendResolved(); }

    @Override
    public void notify(NotificationContext ctx, List<NotifyAlert> alerts) throws NotifyException {
        String body = payload(ctx, alerts);
        http.postChecked(describe(), DiscordNotifier.url(describe(), config.webhookUrl(), config.webhookUrlFile()),
                "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code teamsMessage}: {@code @context}, {@code type}, {@code title}, {@code summary}, {@code text}, {@code themeColor}. */
    String payload(NotificationContext ctx, List<NotifyAlert> alerts) throws NotifyException {
        TemplateData.Data d = TemplateData.of(ctx, alerts);
        String title = templates.render(describe(), "title", config.title(), d);
        String text = templates.render(describe(), "text", config.text(), d);
        String summary = templates.render(describe(), "summary", config.summary(), d);
        return new GoJson().beginObject().name("@context").value("http://schema.org/extensions").name("type").value("MessageCard")
                .name("title").value(title).name("summary").value(summary).name("text").value(text)
                .name("themeColor").value(d.status().equals("firing") ? COLOR_RED : COLOR_GREEN)
                .endObject().encodeEnd().toString();
    }
}
