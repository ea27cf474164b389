package io.pyrometer.alerting.notify;

import io.pyrometer.config.ConfigException;
import io.pyrometer.config.Fields;
import io.pyrometer.config.HttpClientConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code discord_configs}: one embed to a Discord webhook, as {@code notify/discord/discord.go}
 * builds it: title and description from templates (cut to Discord's 256 and 4096 runes, as
 * Alertmanager 0.26+ does), color red while firing, green when resolved.
 */
final class DiscordNotifier implements Integration {
    static final int COLOR_RED = 0x992D22, COLOR_GREEN = 0x2ECC71;
    static final int MAX_TITLE_RUNES = 256, MAX_DESCRIPTION_RUNES = 4096;

    /** {@code DiscordConfig}; {@code send_resolved} defaults to true. */
    record Config(boolean sendResolved, HttpClientConfig http, String webhookUrl, String webhookUrlFile, String title,
                  String message) implements IntegrationConfig {
        @Override public String kind() { return "discord"; }

        @Override
        public String toString() {
            return "DiscordConfig[sendResolved=" + sendResolved + ", webhookUrl=<secret>, webhookUrlFile=" + webhookUrlFile + "]";
        }

        static Config read(Fields f, NotifyGlobals g) throws ConfigException {
            boolean sendResolved = f.bool("send_resolved", true);
            HttpClientConfig http = Receivers.httpConfig(f, "http_config", g.httpConfig());
            String url = Receivers.url(f, "webhook_url", "");
            String urlFile = f.string("webhook_url_file", "");
            String title = f.string("title", "{{ template \"discord.default.title\" . }}");
            String message = f.string("message", "{{ template \"discord.default.message\" . }}");
            f.finish();
            if (url.isEmpty() && urlFile.isEmpty()) throw f.error("one of webhook_url or webhook_url_file must be configured");
            if (!url.isEmpty() && !urlFile.isEmpty()) {
                throw f.error("webhook_url_file", "at most one of webhook_url & webhook_url_file must be configured");
            }
            return new Config(sendResolved, http, url, urlFile, title, message);
        }
    }

    private final Config config;
    private final int index;
    private final NotifyTemplates templates;
    private final NotifyHttp http;

    DiscordNotifier(Config config, int index, NotifyTemplates templates) {
        this.config = config;
        this.index = index;
        this.templates = templates;
        this.http = new NotifyHttp(config.http());
    }

    @Override public String name() { return "discord"; }
    @Override public int index() { return index; }
    @Override public boolean sendResolved() { return config.sendResolved(); }

    @Override
    public void notify(NotificationContext ctx, List<NotifyAlert> alerts) throws NotifyException {
        String body = payload(ctx, alerts);
        http.postChecked(describe(), url(describe(), config.webhookUrl(), config.webhookUrlFile()), "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    String payload(NotificationContext ctx, List<NotifyAlert> alerts) throws NotifyException {
        TemplateData.Data d = TemplateData.of(ctx, alerts);
        String title = Truncation.runes(templates.render(describe(), "title", config.title(), d), MAX_TITLE_RUNES);
        String description = Truncation.runes(templates.render(describe(), "message", config.message(), d), MAX_DESCRIPTION_RUNES);
        return new GoJson().beginObject().name("content").value("").name("embeds").beginArray().beginObject()
                .name("title").value(title).name("description").value(description)
                .name("color").value(d.status().equals("firing") ? COLOR_RED : COLOR_GREEN)
                .endObject().endArray().endObject().encodeEnd().toString();
    }

    /** The configured URL, or the trimmed content of its file, read at each notification. */
    static String url(String what, String url, String file) throws NotifyException {
        if (!url.isEmpty()) return url;
        try {
            return NotifyHttp.readTrimmed(file);
        } catch (IOException e) {
            throw NotifyException.permanent(what + ": read webhook_url_file [file=" + file + ", error=" + e.getMessage() + "]", e);
        }
    }
}
