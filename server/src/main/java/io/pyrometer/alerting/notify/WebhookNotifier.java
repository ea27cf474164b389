package io.pyrometer.alerting.notify;

import io.pyrometer.config.ConfigException;
import io.pyrometer.config.Fields;
import io.pyrometer.config.HttpClientConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code webhook_configs}: POSTs Alertmanager's webhook JSON (version "4", see
 * {@code notify/webhook/webhook.go}) to {@code url} or the URL read from {@code url_file} at each
 * notification. {@code max_alerts} (0 = all) keeps the first alerts and reports the rest in
 * {@code truncatedAlerts}.
 */
final class WebhookNotifier implements Integration {
    /** {@code WebhookConfig}; {@code send_resolved} defaults to true. */
    record Config(boolean sendResolved, HttpClientConfig http, String url, String urlFile, long maxAlerts)
            implements IntegrationConfig {
        @Override public String kind() { return "webhook"; }

        static Config read(Fields f, NotifyGlobals g) throws ConfigException {
            boolean sendResolved = f.bool("send_resolved", true);
            HttpClientConfig http = Receivers.httpConfig(f, "http_config", g.httpConfig());
            String url = Receivers.url(f, "url", "");
            String urlFile = f.string("url_file", "");
            long maxAlerts = f.uint("max_alerts", 0);
            f.finish();
            if (url.isEmpty() && urlFile.isEmpty()) throw f.error("one of url or url_file must be configured");
            if (!url.isEmpty() && !urlFile.isEmpty()) throw f.error("url_file", "at most one of url & url_file must be configured");
            return new Config(sendResolved, http, url, urlFile, maxAlerts);
        }

        @Override
        public String toString() {
            return "WebhookConfig[sendResolved=" + sendResolved + ", url=<secret>, urlFile=" + urlFile + ", maxAlerts=" + maxAlerts + "]";
        }
    }

    private final Config config;
    private final int index;
    private final NotifyHttp http;

    WebhookNotifier(Config config, int index) {
        this.config = config;
        this.index = index;
        this.http = new NotifyHttp(config.http());
    }

    @Override public String name() { return "webhook"; }
    @Override public int index() { return index; }
    @Override public boolean sendResolved() { return config.sendResolved(); }

    @Override
    public void notify(NotificationContext ctx, List<NotifyAlert> alerts) throws NotifyException {
        String url = config.url();
        if (url.isEmpty()) {
            try {
                url = NotifyHttp.readTrimmed(config.urlFile());
            } catch (IOException e) {
                throw NotifyException.permanent(describe() + ": read url_file [file=" + config.urlFile() + ", error=" + e.getMessage() + "]", e);
            }
        }
        http.postChecked(describe(), url, "application/json", payload(ctx, alerts, config.maxAlerts()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The webhook body: {@code template.Data}'s fields, then {@code version}, {@code groupKey},
     * {@code truncatedAlerts}, encoded as Go's {@code json.Encoder} does (see {@link GoJson}).
     */
    static String payload(NotificationContext ctx, List<NotifyAlert> alerts, long maxAlerts) {
        long truncated = 0;
        if (maxAlerts != 0 && alerts.size() > maxAlerts) {
            truncated = alerts.size() - maxAlerts;
            alerts = alerts.subList(0, (int) maxAlerts);
        }
        TemplateData.Data data = TemplateData.of(ctx, alerts);
        GoJson j = new GoJson().beginObject();
        writeData(j, data);
        j.name("version").value("4");
        j.name("groupKey").value(ctx.groupKey());
        j.name("truncatedAlerts").value(truncated);
        return j.endObject().encodeEnd().toString();
    }

    /** The fields of {@code template.Data} with their JSON tags, in declaration order. */
    static void writeData(GoJson j, TemplateData.Data data) {
        j.name("receiver").value(data.receiver());
        j.name("status").value(data.status());
        j.name("alerts").beginArray();
        for (Object o : data.alerts()) {
            TemplateData.Alert a = (TemplateData.Alert) o;
            j.beginObject();
            j.name("status").value(a.status());
            j.name("labels").value(a.labels().asStrings());
            j.name("annotations").value(a.annotations().asStrings());
            j.name("startsAt").value(a.startsAt());
            j.name("endsAt").value(a.endsAt().equals(TemplateData.GO_ZERO_TIME) ? null : a.endsAt());
            j.name("generatorURL").value(a.generatorUrl());
            j.name("fingerprint").value(a.fingerprint());
            j.endObject();
        }
        j.endArray();
        j.name("groupLabels").value(data.groupLabels().asStrings());
        j.name("commonLabels").value(data.commonLabels().asStrings());
        j.name("commonAnnotations").value(data.commonAnnotations().asStrings());
        j.name("externalURL").value(data.externalUrl());
    }
}
