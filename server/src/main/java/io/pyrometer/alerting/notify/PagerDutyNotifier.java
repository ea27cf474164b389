package io.pyrometer.alerting.notify;

import io.pyrometer.config.ConfigException;
import io.pyrometer.config.Fields;
import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code pagerduty_configs} with a {@code routing_key}: an Events API v2 event as
 * {@code notify/pagerduty/pagerduty.go} (v0.25.0, {@code notifyV2}) sends it: {@code trigger}
 * while any alert fires, {@code resolve} when all are resolved, the dedup key is the hex SHA-256 of
 * the group key ({@code notify.Key.Hash}), severity defaults to {@code error}, the summary is cut to
 * 1024 runes, details are templates (defaults: firing, resolved, num_firing, num_resolved), links
 * and images without {@code href}/{@code src} are dropped. 5xx and 429 are retried.
 */
final class PagerDutyNotifier implements Integration {
    static final int MAX_SUMMARY_RUNES = 1024;

    /** {@code DefaultPagerdutyDetails}. */
    static final Map<String, String> DEFAULT_DETAILS = Map.of(
            "firing", "{{ template \"pagerduty.default.instances\" .Alerts.Firing }}",
            "resolved", "{{ template \"pagerduty.default.instances\" .Alerts.Resolved }}",
            "num_firing", "{{ .Alerts.Firing | len }}",
            "num_resolved", "{{ .Alerts.Resolved | len }}");

    record Link(String href, String text) {}

    record Image(String src, String alt, String href) {}

    /** {@code PagerdutyConfig} with {@code DefaultPagerdutyConfig}; {@code send_resolved} defaults to true. */
    record Config(boolean sendResolved, HttpClientConfig http, String routingKey, String routingKeyFile, String url,
                  String client, String clientUrl, String description, SortedMap<String, String> details, List<Image> images,
                  List<Link> links, String source, String severity, String clazz, String component, String group)
            implements IntegrationConfig {
        @Override public String kind() { return "pagerduty"; }

        @Override
        public String toString() {
            return "PagerdutyConfig[sendResolved=" + sendResolved + ", routingKey=<secret>, routingKeyFile=" + routingKeyFile + ", url=" + url + "]";
        }

        static Config read(Fields f, NotifyGlobals g) throws ConfigException {
            boolean sendResolved = f.bool("send_resolved", true);
            HttpClientConfig http = Receivers.httpConfig(f, "http_config", g.httpConfig());
            String serviceKey = f.string("service_key", "");
            String serviceKeyFile = f.string("service_key_file", "");
            String routingKey = f.string("routing_key", "");
            String routingKeyFile = f.string("routing_key_file", "");
            String url = Receivers.url(f, "url", "");
            String client = f.string("client", "{{ template \"pagerduty.default.client\" . }}");
            String clientUrl = f.string("client_url", "{{ template \"pagerduty.default.clientURL\" . }}");
            String description = f.string("description", "{{ template \"pagerduty.default.description\" .}}");
            Map<String, String> details = f.stringMap("details");
            List<Image> images = new ArrayList<>();
            List<YamlNode> il = f.list("images", "[]config.PagerdutyImage");
            for (int i = 0; i < il.size(); i++) {
                Fields x = Fields.of(f.file, Fields.index(f.path("images"), i), il.get(i), "PagerDuty image");
                images.add(new Image(x.string("src", ""), x.string("alt", ""), x.string("href", "")));
                x.finish();
            }
            List<Link> links = new ArrayList<>();
            List<YamlNode> ll = f.list("links", "[]config.PagerdutyLink");
            for (int i = 0; i < ll.size(); i++) {
                Fields x = Fields.of(f.file, Fields.index(f.path("links"), i), ll.get(i), "PagerDuty link");
                links.add(new Link(x.string("href", ""), x.string("text", "")));
                x.finish();
            }
            String source = f.string("source", "");
            String severity = f.string("severity", "");
            String clazz = f.string("class", "");
            String component = f.string("component", "");
            String group = f.string("group", "");
            f.finish();
            if (routingKey.isEmpty() && serviceKey.isEmpty() && routingKeyFile.isEmpty() && serviceKeyFile.isEmpty()) {
                throw f.error("missing service or routing key in PagerDuty config");
            }
            if (!routingKey.isEmpty() && !routingKeyFile.isEmpty()) {
                throw f.error("routing_key_file", "at most one of routing_key & routing_key_file must be configured");
            }
            if (!serviceKey.isEmpty() && !serviceKeyFile.isEmpty()) {
                throw f.error("service_key_file", "at most one of service_key & service_key_file must be configured");
            }
            if (routingKey.isEmpty() && routingKeyFile.isEmpty()) {
                throw f.error(serviceKey.isEmpty() ? "service_key_file" : "service_key",
                        "service_key (PagerDuty Events API v1) is not supported by Pyrometer yet; use routing_key (Events API v2)");
            }
            if (source.isEmpty()) source = client;
            SortedMap<String, String> allDetails = new TreeMap<>(details);
            for (Map.Entry<String, String> e : DEFAULT_DETAILS.entrySet()) allDetails.putIfAbsent(e.getKey(), e.getValue());
            if (url.isEmpty()) url = g.pagerdutyUrl();
            return new Config(sendResolved, http, routingKey, routingKeyFile, url, client, clientUrl, description,
                    java.util.Collections.unmodifiableSortedMap(allDetails), List.copyOf(images), List.copyOf(links), source,
                    severity, clazz, component, group);
        }
    }

    private final Config config;
    private final int index;
    private final NotifyTemplates templates;
    private final NotifyHttp http;

    PagerDutyNotifier(Config config, int index, NotifyTemplates templates) {
        this.config = config;
        this.index = index;
        this.templates = templates;
        this.http = new NotifyHttp(config.http());
    }

    @Override public String name() { return "pagerduty"; }
    @Override public int index() { return index; }
    @Override public boolean sendResolved() { return config.sendResolved(); }

    @Override
    public void notify(NotificationContext ctx, List<NotifyAlert> alerts) throws NotifyException {
        byte[] body = payload(ctx, alerts).getBytes(StandardCharsets.UTF_8);
        NotifyHttp.Response r = http.post(describe(), config.url(), "application/json", body);
        NotifyException e = NotifyHttp.check(describe(), r);
        if (e != null && r.status() == 429) throw NotifyException.retryable(e.getMessage());
        if (e != null) throw e;
    }

    /** {@code notify.Key.Hash}: hex SHA-256 of the group key. */
    static String dedupKey(String groupKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(groupKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Events API v2 body ({@code pagerDutyMessage}, Go's field order and omitempty). */
    String payload(NotificationContext ctx, List<NotifyAlert> alerts) throws NotifyException {
        TemplateData.Data d = TemplateData.of(ctx, alerts);
        String w = describe();
        Map<String, String> details = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : config.details().entrySet()) details.put(e.getKey(), t(w, "details." + e.getKey(), e.getValue(), d));
        String routingKey = config.routingKey();
        if (routingKey.isEmpty()) {
            try {
                routingKey = NotifyHttp.readTrimmed(config.routingKeyFile());
            } catch (IOException e) {
                throw NotifyException.permanent(w + ": failed to read routing key from file [file=" + config.routingKeyFile() + ", error=" + e.getMessage() + "]", e);
            }
        }
        routingKey = t(w, "routing_key", routingKey, d);
        if (routingKey.isEmpty()) throw NotifyException.permanent(w + ": routing key cannot be empty");
        String severity = config.severity().isEmpty() ? "error" : config.severity();
        GoJson j = new GoJson().beginObject();
        j.name("routing_key").value(routingKey);
        j.name("dedup_key").value(dedupKey(ctx.groupKey()));
        j.name("event_action").value(d.status().equals("resolved") ? "resolve" : "trigger");
        j.name("payload").beginObject();
        j.name("summary").value(Truncation.runes(t(w, "description", config.description(), d), MAX_SUMMARY_RUNES));
        j.name("source").value(t(w, "source", config.source(), d));
        j.name("severity").value(t(w, "severity", severity, d));
        SlackNotifier.omitEmpty(j, "class", t(w, "class", config.clazz(), d));
        SlackNotifier.omitEmpty(j, "component", t(w, "component", config.component(), d));
        SlackNotifier.omitEmpty(j, "group", t(w, "group", config.group(), d));
        if (!details.isEmpty()) j.name("custom_details").value(NotifyAlert.sortedCopy(details));
        j.endObject();
        SlackNotifier.omitEmpty(j, "client", t(w, "client", config.client(), d));
        SlackNotifier.omitEmpty(j, "client_url", t(w, "client_url", config.clientUrl(), d));
        List<Image> images = new ArrayList<>();
        for (Image i : config.images()) {
            Image x = new Image(t(w, "images.src", i.src(), d), t(w, "images.alt", i.alt(), d), t(w, "images.href", i.href(), d));
            if (!x.src().isEmpty()) images.add(x);
        }
        if (!images.isEmpty()) {
            j.name("images").beginArray();
            for (Image i : images) j.beginObject().name("src").value(i.src()).name("alt").value(i.alt()).name("href").value(i.href()).endObject();
            j.endArray();
        }
        List<Link> links = new ArrayList<>();
        for (Link l : config.links()) {
            Link x = new Link(t(w, "links.href", l.href(), d), t(w, "links.text", l.text(), d));
            if (!x.href().isEmpty()) links.add(x);
        }
        if (!links.isEmpty()) {
            j.name("links").beginArray();
            for (Link l : links) j.beginObject().name("href").value(l.href()).name("text").value(l.text()).endObject();
            j.endArray();
        }
        return j.endObject().encodeEnd().toString();
    }

    private String t(String what, String field, String text, TemplateData.Data d) throws NotifyException {
        return templates.render(what, field, text, d);
    }
}
