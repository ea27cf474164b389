package io.pyrometer.config;

import io.pyrometer.config.AlertingConfig.AlertmanagerConfig;
import io.pyrometer.config.RemoteWriteConfig.MetadataConfig;
import io.pyrometer.config.RemoteWriteConfig.QueueConfig;
import io.pyrometer.config.YamlNode.Entry;
import io.pyrometer.model.relabel.RelabelConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads {@code alerting:}, {@code remote_write:} and {@code remote_read:} with Prometheus's defaults and checks. */
final class RemoteDecoder {
    private RemoteDecoder() {}

    private static final String AUTH_HINT = "use basic_auth, authorization or oauth2";
    private static final Map<String, String> UNSUPPORTED_AUTH;

    static {
        Map<String, String> m = new HashMap<>(HttpClientDecoder.UNSUPPORTED_REFS);
        m.put("sigv4", AUTH_HINT);
        m.put("azuread", AUTH_HINT);
        m.put("google_iam", AUTH_HINT);
        UNSUPPORTED_AUTH = Map.copyOf(m);
    }

    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-encoding", "content-length",
            "content-type", "user-agent", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "www-authenticate", "accept-encoding", "x-prometheus-remote-write-version",
            "x-prometheus-remote-read-version", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256");

    /** Remote write clients do not negotiate HTTP/2 by default (Prometheus's DefaultRemoteWriteHTTPClientConfig). */
    private static final HttpClientConfig REMOTE_WRITE_HTTP = new HttpClientConfig(null, null, null,
            HttpClientConfig.TlsConfig.EMPTY, HttpClientConfig.ProxyConfig.EMPTY, true, false, Map.of());

    static AlertingConfig alerting(Fields f) throws ConfigException {
        List<RelabelConfig> relabel = RelabelDecoder.read(f, "alert_relabel_configs", "empty or null alert relabeling rule");
        List<YamlNode> items = f.list("alertmanagers", "config.AlertmanagerConfigs");
        f.finish();
        List<AlertmanagerConfig> ams = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String path = Fields.index(f.path("alertmanagers"), i);
            if (YamlNode.isEmptyItem(items.get(i))) continue; // yaml.v2 leaves a nil entry, Prometheus skips it
            ams.add(alertmanager(Fields.of(f.file, path, items.get(i), "alertmanager config")));
        }
        return new AlertingConfig(relabel, ams);
    }

    private static AlertmanagerConfig alertmanager(Fields f) throws ConfigException {
        String scheme = f.string("scheme", "http");
        String pathPrefix = f.string("path_prefix", "");
        long timeout = f.durationMs("timeout", AlertmanagerConfig.DEFAULT_TIMEOUT_MS);
        String api = f.string("api_version", "v2");
        if (!api.equals("v2")) {
            throw f.error("api_version", "expected Alertmanager api version to be one of [v2] but got " + api);
        }
        HttpClientConfig http = HttpClientDecoder.read(f, HttpClientConfig.DEFAULT);
        boolean noRelabel = f.list("relabel_configs", "[]*relabel.Config").isEmpty();
        ServiceDiscoveryConfigs sd = DiscoveryDecoder.read(f, noRelabel);
        List<RelabelConfig> relabel = RelabelDecoder.read(f, "relabel_configs", "empty or null Alertmanager target relabeling rule");
        List<RelabelConfig> alertRelabel = RelabelDecoder.read(f, "alert_relabel_configs", "empty or null Alertmanager alert relabeling rule");
        Map<String, String> unsupported = new HashMap<>(DiscoveryDecoder.UNSUPPORTED);
        unsupported.putAll(UNSUPPORTED_AUTH);
        f.finish(unsupported);
        return new AlertmanagerConfig(scheme, pathPrefix, timeout, api, http, sd, relabel, alertRelabel);
    }

    static List<RemoteWriteConfig> remoteWrite(Fields top) throws ConfigException {
        List<YamlNode> items = top.list("remote_write", "[]*config.RemoteWriteConfig");
        List<RemoteWriteConfig> out = new ArrayList<>();
        Map<String, Entry> names = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = Fields.index("remote_write", i);
            if (YamlNode.isEmptyItem(items.get(i))) throw Fields.error(top.file, items.get(i), path, "empty or null remote write config section");
            Fields f = Fields.of(top.file, path, items.get(i), "remote write config");
            RemoteWriteConfig rw = remoteWrite1(f);
            uniqueName(names, f, rw.name(), "remote write");
            out.add(rw);
        }
        return out;
    }

    private static RemoteWriteConfig remoteWrite1(Fields f) throws ConfigException {
        String url = f.string("url", "");
        long timeout = f.durationMs("remote_timeout", RemoteWriteConfig.DEFAULT_REMOTE_TIMEOUT_MS);
        Map<String, String> headers = f.stringMap("headers");
        List<RelabelConfig> relabel = RelabelDecoder.read(f, "write_relabel_configs", "empty or null relabeling rule in remote write config");
        String name = f.string("name", "");
        boolean exemplars = f.bool("send_exemplars", false);
        boolean histograms = f.bool("send_native_histograms", false);
        boolean rrDns = f.bool("round_robin_dns", false);
        String message = f.string("protobuf_message", RemoteWriteConfig.PROTOBUF_V1);
        HttpClientConfig http = HttpClientDecoder.read(f, REMOTE_WRITE_HTTP);
        QueueConfig queue = f.has("queue_config") ? queue(sub(f, "queue_config")) : QueueConfig.DEFAULT;
        MetadataConfig meta = f.has("metadata_config") ? metadata(sub(f, "metadata_config")) : MetadataConfig.DEFAULT;
        f.finish(UNSUPPORTED_AUTH);
        if (url.isEmpty()) throw f.error("url", "url for remote_write is empty");
        HttpClientDecoder.checkUrl(f, "url", url);
        checkHeaders(f, headers);
        if (!message.equals(RemoteWriteConfig.PROTOBUF_V1) && !message.equals(RemoteWriteConfig.PROTOBUF_V2)) {
            throw f.error("protobuf_message", "invalid protobuf_message value: unknown type for remote write protobuf message " + message
                    + ", supported: " + RemoteWriteConfig.PROTOBUF_V1 + ", " + RemoteWriteConfig.PROTOBUF_V2);
        }
        return new RemoteWriteConfig(url, timeout, headers, relabel, name, exemplars, histograms, rrDns, message, http, queue, meta);
    }

    private static Fields sub(Fields f, String key) throws ConfigException {
        return Fields.of(f.file, f.path(key), f.get(key), key);
    }

    private static QueueConfig queue(Fields f) throws ConfigException {
        QueueConfig d = QueueConfig.DEFAULT;
        QueueConfig q = new QueueConfig(f.int32("capacity", d.capacity()), f.int32("max_shards", d.maxShards()),
                f.int32("min_shards", d.minShards()), f.int32("max_samples_per_send", d.maxSamplesPerSend()),
                f.durationMs("batch_send_deadline", d.batchSendDeadlineMs()), f.durationMs("min_backoff", d.minBackoffMs()),
                f.durationMs("max_backoff", d.maxBackoffMs()), f.bool("retry_on_http_429", d.retryOnHttp429()),
                f.durationMs("sample_age_limit", d.sampleAgeLimitMs()));
        f.finish();
        return q;
    }

    private static MetadataConfig metadata(Fields f) throws ConfigException {
        MetadataConfig d = MetadataConfig.DEFAULT;
        MetadataConfig m = new MetadataConfig(f.bool("send", d.send()), f.durationMs("send_interval", d.sendIntervalMs()),
                f.int32("max_samples_per_send", d.maxSamplesPerSend()));
        f.finish();
        return m;
    }

    static List<RemoteReadConfig> remoteRead(Fields top) throws ConfigException {
        List<YamlNode> items = top.list("remote_read", "[]*config.RemoteReadConfig");
        List<RemoteReadConfig> out = new ArrayList<>();
        Map<String, Entry> names = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = Fields.index("remote_read", i);
            if (YamlNode.isEmptyItem(items.get(i))) throw Fields.error(top.file, items.get(i), path, "empty or null remote read config section");
            Fields f = Fields.of(top.file, path, items.get(i), "remote read config");
            String url = f.string("url", "");
            long timeout = f.durationMs("remote_timeout", RemoteReadConfig.DEFAULT_REMOTE_TIMEOUT_MS);
            long limit = f.uint("chunked_read_limit", RemoteReadConfig.DEFAULT_CHUNKED_READ_LIMIT);
            Map<String, String> headers = f.stringMap("headers");
            boolean recent = f.bool("read_recent", false);
            String name = f.string("name", "");
            HttpClientConfig http = HttpClientDecoder.read(f, HttpClientConfig.DEFAULT);
            var matchers = DiscoveryDecoder.labelSet(f, "required_matchers");
            boolean filter = f.bool("filter_external_labels", true);
            f.finish(UNSUPPORTED_AUTH);
            if (url.isEmpty()) throw f.error("url", "url for remote_read is empty");
            HttpClientDecoder.checkUrl(f, "url", url);
            checkHeaders(f, headers);
            uniqueName(names, f, name, "remote read");
            out.add(new RemoteReadConfig(url, timeout, limit, headers, recent, name, http, matchers, filter));
        }
        return out;
    }

    /** Tracing exporters: Prometheus's {@code validateHeadersForTracing}. */
    static void checkTracingHeaders(Fields f, Map<String, String> headers) throws ConfigException {
        for (String h : headers.keySet()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.equals("authorization")) throw f.error("headers", "custom authorization header configuration is not yet supported");
            if (RESERVED_HEADERS.contains(lower)) throw f.error("headers", h + " is a reserved header. It must not be changed");
        }
    }

    private static void checkHeaders(Fields f, Map<String, String> headers) throws ConfigException {
        for (String h : headers.keySet()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.equals("authorization")) {
                throw f.error("headers", "authorization header must be changed via the basic_auth, authorization, oauth2,"
                        + " sigv4, azuread or google_iam parameter");
            }
            if (RESERVED_HEADERS.contains(lower)) throw f.error("headers", h + " is a reserved header. It must not be changed");
        }
    }

    private static void uniqueName(Map<String, Entry> names, Fields f, String name, String what) throws ConfigException {
        if (name.isEmpty()) return; // Prometheus names unnamed queues by a hash of their config
        Entry first = names.putIfAbsent(name, f.entry("name"));
        if (first != null) {
            throw f.error("name", "found multiple " + what + " configs with job name " + DiscoveryDecoder.quote(name)
                    + " (first at line " + first.line() + "); names must be unique");
        }
    }

}
