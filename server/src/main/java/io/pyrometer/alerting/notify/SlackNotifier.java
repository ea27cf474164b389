package io.pyrometer.alerting.notify;

import io.pyrometer.config.ConfigException;
import io.pyrometer.config.Fields;
import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code slack_configs}: one message with one attachment to an incoming webhook ({@code api_url},
 * or the global {@code slack_api_url}), as {@code notify/slack/slack.go} at v0.25.0 builds it: every
 * text field is a template, the title is cut to 1024 runes, {@code mrkdwn_in} defaults to
 * fallback, pretext and text, fields take {@code short_fields} when they do not say.
 */
final class SlackNotifier implements Integration {
    static final int MAX_TITLE_RUNES = 1024;

    record Field(String title, String value, Boolean short_) {}

    record Confirm(String text, String title, String okText, String dismissText) {}

    record Action(String type, String text, String url, String style, String name, String value, Confirm confirm) {}

    /** {@code SlackConfig} with {@code DefaultSlackConfig} applied; {@code send_resolved} defaults to false. */
    record Config(boolean sendResolved, HttpClientConfig http, String apiUrl, String apiUrlFile, String channel,
                  String username, String color, String title, String titleLink, String pretext, String text,
                  List<Field> fields, boolean shortFields, String footer, String fallback, String callbackId,
                  String iconEmoji, String iconUrl, String imageUrl, String thumbUrl, boolean linkNames,
                  List<String> mrkdwnIn, List<Action> actions) implements IntegrationConfig {
        @Override public String kind() { return "slack"; }

        @Override
        public String toString() {
            return "SlackConfig[sendResolved=" + sendResolved + ", apiUrl=<secret>, apiUrlFile=" + apiUrlFile + ", channel=" + channel + "]";
        }

        static Config read(Fields f, NotifyGlobals g) throws ConfigException {
            boolean sendResolved = f.bool("send_resolved", false);
            HttpClientConfig http = Receivers.httpConfig(f, "http_config", g.httpConfig());
            String apiUrl = Receivers.url(f, "api_url", "");
            String apiUrlFile = f.string("api_url_file", "");
            String channel = f.string("channel", "");
            String username = f.string("username", "{{ template \"slack.default.username\" . }}");
            String color = f.string("color", "{{ if eq .Status \"firing\" }}danger{{ else }}good{{ end }}");
            String title = f.string("title", "{{ template \"slack.default.title\" . }}");
            String titleLink = f.string("title_link", "{{ template \"slack.default.titlelink\" . }}");
            String pretext = f.string("pretext", "{{ template \"slack.default.pretext\" . }}");
            String text = f.string("text", "{{ template \"slack.default.text\" . }}");
            List<Field> fields = new ArrayList<>();
            List<YamlNode> fl = f.list("fields", "[]*config.SlackField");
            for (int i = 0; i < fl.size(); i++) fields.add(field(Fields.of(f.file, Fields.index(f.path("fields"), i), fl.get(i), "Slack field")));
            boolean shortFields = f.bool("short_fields", false);
            String footer = f.string("footer", "{{ template \"slack.default.footer\" . }}");
            String fallback = f.string("fallback", "{{ template \"slack.default.fallback\" . }}");
            String callbackId = f.string("callback_id", "{{ template \"slack.default.callbackid\" . }}");
            String iconEmoji = f.string("icon_emoji", "{{ template \"slack.default.iconemoji\" . }}");
            String iconUrl = f.string("icon_url", "{{ template \"slack.default.iconurl\" . }}");
            String imageUrl = f.string("image_url", "");
            String thumbUrl = f.string("thumb_url", "");
            boolean linkNames = f.bool("link_names", false);
            List<String> mrkdwnIn = f.strings("mrkdwn_in");
            List<Action> actions = new ArrayList<>();
            List<YamlNode> al = f.list("actions", "[]*config.SlackAction");
            for (int i = 0; i < al.size(); i++) actions.add(action(Fields.of(f.file, Fields.index(f.path("actions"), i), al.get(i), "Slack action")));
            f.finish();
            if (!apiUrl.isEmpty() && !apiUrlFile.isEmpty()) {
                throw f.error("api_url_file", "at most one of api_url & api_url_file must be configured");
            }
            if (apiUrl.isEmpty() && apiUrlFile.isEmpty()) { // Config.UnmarshalYAML's global fill-in
                if (g.slackApiUrl().isEmpty() && g.slackApiUrlFile().isEmpty()) {
                    throw f.error("no global Slack API URL set either inline or in a file; set api_url here or slack_api_url in global");
                }
                apiUrl = g.slackApiUrl();
                apiUrlFile = g.slackApiUrlFile();
            }
            return new Config(sendResolved, http, apiUrl, apiUrlFile, channel, username, color, title, titleLink, pretext, text,
                    List.copyOf(fields), shortFields, footer, fallback, callbackId, iconEmoji, iconUrl, imageUrl, thumbUrl,
                    linkNames, List.copyOf(mrkdwnIn), List.copyOf(actions));
        }

        private static Field field(Fields f) throws ConfigException {
            String title = f.string("title", "");
            String value = f.string("value", "");
            Boolean short_ = f.has("short") ? f.bool("short", false) : null;
            f.finish();
            if (title.isEmpty()) throw f.error("missing title in Slack field configuration");
            if (value.isEmpty()) throw f.error("missing value in Slack field configuration");
            return new Field(title, value, short_);
        }

        private static Action action(Fields f) throws ConfigException {
            String type = f.string("type", ""), text = f.string("text", ""), url = f.string("url", "");
            String style = f.string("style", ""), name = f.string("name", ""), value = f.string("value", "");
            Confirm confirm = null;
            if (f.has("confirm") && !YamlNode.isNull(f.get("confirm"))) {
                Fields c = Fields.of(f.file, f.path("confirm"), f.get("confirm"), "Slack confirmation field");
                confirm = new Confirm(c.string("text", ""), c.string("title", ""), c.string("ok_text", ""), c.string("dismiss_text", ""));
                c.finish();
                if (confirm.text().isEmpty()) throw c.error("missing text in Slack confirmation configuration");
            }
            f.finish();
            if (type.isEmpty()) throw f.error("missing type in Slack action configuration");
            if (text.isEmpty()) throw f.error("missing text in Slack action configuration");
            if (!url.isEmpty()) { // a link button: message-action fields are cleared
                name = "";
                value = "";
                confirm = null;
            } else if (name.isEmpty()) {
                throw f.error("missing name or url in Slack action configuration");
            }
            return new Action(type, text, url, style, name, value, confirm);
        }
    }

    private final Config config;
    private final int index;
    private final NotifyTemplates templates;
    private final NotifyHttp http;

    SlackNotifier(Config config, int index, NotifyTemplates templates) {
        this.config = config;
        this.index = index;
        this.templates = templates;
        this.http = new NotifyHttp(config.http());
    }

    @Override public String name() { return "slack"; }
    @Override public int index() { return index; }
    @Override public boolean sendResolved() { return config.sendResolved(); }

    @Override
    public void notify(NotificationContext ctx, List<NotifyAlert> alerts) throws NotifyException {
        String body = payload(ctx, alerts);
        String url = config.apiUrl();
        if (url.isEmpty()) {
            try {
                url = NotifyHttp.readTrimmed(config.apiUrlFile());
            } catch (IOException e) {
                throw NotifyException.permanent(describe() + ": read api_url_file [file=" + config.apiUrlFile() + ", error=" + e.getMessage() + "]", e);
            }
        }
        http.postChecked(describe(), url, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON body ({@code request} and {@code attachment} of slack.go, Go's field order and omitempty). */
    String payload(NotificationContext ctx, List<NotifyAlert> alerts) throws NotifyException {
        TemplateData.Data d = TemplateData.of(ctx, alerts);
        String w = describe();
        GoJson j = new GoJson().beginObject();
        omitEmpty(j, "channel", t(w, "channel", config.channel(), d));
        omitEmpty(j, "username", t(w, "username", config.username(), d));
        omitEmpty(j, "icon_emoji", t(w, "icon_emoji", config.iconEmoji(), d));
        omitEmpty(j, "icon_url", t(w, "icon_url", config.iconUrl(), d));
        if (config.linkNames()) j.name("link_names").value(true);
        j.name("attachments").beginArray().beginObject();
        omitEmpty(j, "title", Truncation.runes(t(w, "title", config.title(), d), MAX_TITLE_RUNES));
        omitEmpty(j, "title_link", t(w, "title_link", config.titleLink(), d));
        omitEmpty(j, "pretext", t(w, "pretext", config.pretext(), d));
        j.name("text").value(t(w, "text", config.text(), d));
        j.name("fallback").value(t(w, "fallback", config.fallback(), d));
        j.name("callback_id").value(t(w, "callback_id", config.callbackId(), d));
        if (!config.fields().isEmpty()) {
            j.name("fields").beginArray();
            for (Field fl : config.fields()) {
                boolean short_ = fl.short_() != null ? fl.short_() : config.shortFields();
                j.beginObject();
                omitEmpty(j, "title", t(w, "fields.title", fl.title(), d));
                omitEmpty(j, "value", t(w, "fields.value", fl.value(), d));
                j.name("short").value(short_);
                j.endObject();
            }
            j.endArray();
        }
        if (!config.actions().isEmpty()) {
            j.name("actions").beginArray();
            for (Action a : config.actions()) {
                j.beginObject();
                omitEmpty(j, "type", t(w, "actions.type", a.type(), d));
                omitEmpty(j, "text", t(w, "actions.text", a.text(), d));
                omitEmpty(j, "url", t(w, "actions.url", a.url(), d));
                omitEmpty(j, "style", t(w, "actions.style", a.style(), d));
                omitEmpty(j, "name", t(w, "actions.name", a.name(), d));
                omitEmpty(j, "value", t(w, "actions.value", a.value(), d));
                if (a.confirm() != null) {
                    j.name("confirm").beginObject();
                    omitEmpty(j, "text", t(w, "confirm.text", a.confirm().text(), d));
                    omitEmpty(j, "title", t(w, "confirm.title", a.confirm().title(), d));
                    omitEmpty(j, "ok_text", t(w, "confirm.ok_text", a.confirm().okText(), d));
                    omitEmpty(j, "dismiss_text", t(w, "confirm.dismiss_text", a.confirm().dismissText(), d));
                    j.endObject();
                }
                j.endObject();
            }
            j.endArray();
        }
        omitEmpty(j, "image_url", t(w, "image_url", config.imageUrl(), d));
        omitEmpty(j, "thumb_url", t(w, "thumb_url", config.thumbUrl(), d));
        j.name("footer").value(t(w, "footer", config.footer(), d));
        omitEmpty(j, "color", t(w, "color", config.color(), d));
        j.name("mrkdwn_in").value(config.mrkdwnIn().isEmpty() ? List.of("fallback", "pretext", "text") : config.mrkdwnIn());
        j.endObject().endArray();
        return j.endObject().encodeEnd().toString();
    }

    private String t(String what, String field, String text, TemplateData.Data d) throws NotifyException {
        return templates.render(what, field, text, d);
    }

    static void omitEmpty(GoJson j, String name, String value) {
        if (!value.isEmpty()) j.name(name).value(value);
    }
}
