package io.pyrometer.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pyrometer.config.AlertingConfig.AlertmanagerConfig;
import io.pyrometer.config.HttpClientConfig.ProxyConfig;
import io.pyrometer.config.HttpClientConfig.TlsConfig;
import io.pyrometer.model.ByteSizes;
import io.pyrometer.model.Durations;
import io.pyrometer.model.Labels;
import io.pyrometer.model.relabel.RelabelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders the effective configuration as YAML, the way Prometheus's {@code /api/v1/status/config} shows
 * it: every default filled in, keys in Prometheus's order, empty optional keys left out, and secrets
 * (passwords, credentials, tokens, client secrets, private keys) replaced by {@code <secret>}.
 * The output loads back into an equal configuration (secrets aside).
 *
 * <pre>{@code
 * String yaml = ConfigRenderer.toYaml(ConfigLoader.load(path));
 * }</pre>
 */
public final class ConfigRenderer {
    private ConfigRenderer() {}

    public static final String SECRET = "<secret>";

    private static final YAMLMapper MAPPER = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    public static String toYaml(PrometheusConfig c) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("global", global(c.global()));
        Map<String, Object> alerting = alerting(c.alerting());
        if (!alerting.isEmpty()) root.put("alerting", alerting);
        if (!c.ruleFiles().isEmpty()) root.put("rule_files", c.ruleFiles());
        if (!c.scrapeConfigs().isEmpty()) root.put("scrape_configs", map(c.scrapeConfigs(), ConfigRenderer::scrape));
        Map<String, Object> storage = storage(c.storage());
        if (!storage.isEmpty()) root.put("storage", storage);
        if (!c.remoteWrite().isEmpty()) root.put("remote_write", map(c.remoteWrite(), ConfigRenderer::remoteWrite));
        if (!c.remoteRead().isEmpty()) root.put("remote_read", map(c.remoteRead(), ConfigRenderer::remoteRead));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rendering plain maps and lists cannot fail", e);
        }
    }

    private static Map<String, Object> global(GlobalConfig g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scrape_interval", Durations.format(g.scrapeIntervalMs()));
        m.put("scrape_timeout", Durations.format(g.scrapeTimeoutMs()));
        putList(m, "scrape_protocols", g.scrapeProtocols());
        m.put("evaluation_interval", Durations.format(g.evaluationIntervalMs()));
        putDuration(m, "rule_query_offset", g.ruleQueryOffsetMs());
        putString(m, "query_log_file", g.queryLogFile());
        putString(m, "scrape_failure_log_file", g.scrapeFailureLogFile());
        putLabels(m, "external_labels", g.externalLabels());
        putBytes(m, "body_size_limit", g.bodySizeLimitBytes());
        putCount(m, "sample_limit", g.sampleLimit());
        putCount(m, "target_limit", g.targetLimit());
        putCount(m, "label_limit", g.labelLimit());
        putCount(m, "label_name_length_limit", g.labelNameLengthLimit());
        putCount(m, "label_value_length_limit", g.labelValueLengthLimit());
        putCount(m, "keep_dropped_targets", g.keepDroppedTargets());
        m.put("metric_name_validation_scheme", g.metricNameValidationScheme());
        m.put("metric_name_escaping_scheme", g.metricNameEscapingScheme());
        m.put("scrape_native_histograms", g.scrapeNativeHistograms());
        putTrue(m, "convert_classic_histograms_to_nhcb", g.convertClassicHistogramsToNhcb());
        putTrue(m, "always_scrape_classic_histograms", g.alwaysScrapeClassicHistograms());
        putTrue(m, "extra_scrape_metrics", g.extraScrapeMetrics());
        return m;
    }

    private static Map<String, Object> scrape(ScrapeConfig s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_name", s.jobName());
        putTrue(m, "honor_labels", s.honorLabels());
        m.put("honor_timestamps", s.honorTimestamps());
        m.put("track_timestamps_staleness", s.trackTimestampsStaleness());
        if (!s.params().isEmpty()) m.put("params", s.params());
        m.put("scrape_interval", Durations.format(s.scrapeIntervalMs()));
        m.put("scrape_timeout", Durations.format(s.scrapeTimeoutMs()));
        m.put("scrape_protocols", s.scrapeProtocols());
        putString(m, "fallback_scrape_protocol", s.fallbackScrapeProtocol());
        m.put("scrape_native_histograms", s.scrapeNativeHistograms());
        m.put("always_scrape_classic_histograms", s.alwaysScrapeClassicHistograms());
        m.put("convert_classic_histograms_to_nhcb", s.convertClassicHistogramsToNhcb());
        putString(m, "scrape_failure_log_file", s.scrapeFailureLogFile());
        m.put("metrics_path", s.metricsPath());
        m.put("scheme", s.scheme());
        m.put("enable_compression", s.enableCompression());
        putBytes(m, "body_size_limit", s.bodySizeLimitBytes());
        putCount(m, "sample_limit", s.sampleLimit());
        putCount(m, "target_limit", s.targetLimit());
        putCount(m, "label_limit", s.labelLimit());
        putCount(m, "label_name_length_limit", s.labelNameLengthLimit());
        putCount(m, "label_value_length_limit", s.labelValueLengthLimit());
        putCount(m, "native_histogram_bucket_limit", s.nativeHistogramBucketLimit());
        if (s.nativeHistogramMinBucketFactor() != 0) m.put("native_histogram_min_bucket_factor", s.nativeHistogramMinBucketFactor());
        putCount(m, "keep_dropped_targets", s.keepDroppedTargets());
        m.put("metric_name_validation_scheme", s.metricNameValidationScheme());
        m.put("metric_name_escaping_scheme", s.metricNameEscapingScheme());
        m.put("extra_scrape_metrics", s.extraScrapeMetrics());
        http(m, s.http());
        discovery(m, s.discovery());
        putRelabel(m, "relabel_configs", s.relabelConfigs());
        putRelabel(m, "metric_relabel_configs", s.metricRelabelConfigs());
        return m;
    }

    private static Map<String, Object> alerting(AlertingConfig a) {
        Map<String, Object> m = new LinkedHashMap<>();
        putRelabel(m, "alert_relabel_configs", a.alertRelabelConfigs());
        if (!a.alertmanagers().isEmpty()) m.put("alertmanagers", map(a.alertmanagers(), ConfigRenderer::alertmanager));
        return m;
    }

    private static Map<String, Object> alertmanager(AlertmanagerConfig a) {
        Map<String, Object> m = new LinkedHashMap<>();
        http(m, a.http());
        m.put("scheme", a.scheme());
        putString(m, "path_prefix", a.pathPrefix());
        m.put("timeout", Durations.format(a.timeoutMs()));
        m.put("api_version", a.apiVersion());
        discovery(m, a.discovery());
        putRelabel(m, "relabel_configs", a.relabelConfigs());
        putRelabel(m, "alert_relabel_configs", a.alertRelabelConfigs());
        return m;
    }

    private static Map<String, Object> remoteWrite(RemoteWriteConfig r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", redactUrl(r.url()));
        m.put("remote_timeout", Durations.format(r.remoteTimeoutMs()));
        if (!r.headers().isEmpty()) m.put("headers", r.headers());
        putRelabel(m, "write_relabel_configs", r.writeRelabelConfigs());
        putString(m, "name", r.name());
        putTrue(m, "send_exemplars", r.sendExemplars());
        putTrue(m, "send_native_histograms", r.sendNativeHistograms());
        putTrue(m, "round_robin_dns", r.roundRobinDns());
        m.put("protobuf_message", r.protobufMessage());
        http(m, r.http());
        var q = r.queueConfig();
        Map<String, Object> qm = new LinkedHashMap<>();
        qm.put("capacity", q.capacity());
        qm.put("max_shards", q.maxShards());
        qm.put("min_shards", q.minShards());
        qm.put("max_samples_per_send", q.maxSamplesPerSend());
        qm.put("batch_send_deadline", Durations.format(q.batchSendDeadlineMs()));
        qm.put("min_backoff", Durations.format(q.minBackoffMs()));
        qm.put("max_backoff", Durations.format(q.maxBackoffMs()));
        putTrue(qm, "retry_on_http_429", q.retryOnHttp429());
        putDuration(qm, "sample_age_limit", q.sampleAgeLimitMs());
        m.put("queue_config", qm);
        var md = r.metadataConfig();
        Map<String, Object> mm = new LinkedHashMap<>();
        mm.put("send", md.send());
        mm.put("send_interval", Durations.format(md.sendIntervalMs()));
        mm.put("max_samples_per_send", md.maxSamplesPerSend());
        m.put("metadata_config", mm);
        return m;
    }

    private static Map<String, Object> remoteRead(RemoteReadConfig r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", redactUrl(r.url()));
        m.put("remote_timeout", Durations.format(r.remoteTimeoutMs()));
        m.put("chunked_read_limit", r.chunkedReadLimitBytes());
        if (!r.headers().isEmpty()) m.put("headers", r.headers());
        putTrue(m, "read_recent", r.readRecent());
        putString(m, "name", r.name());
        http(m, r.http());
        putLabels(m, "required_matchers", r.requiredMatchers());
        putTrue(m, "filter_external_labels", r.filterExternalLabels());
        return m;
    }

    private static Map<String, Object> storage(StorageConfig s) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> tsdb = new LinkedHashMap<>();
        putDuration(tsdb, "out_of_order_time_window", s.outOfOrderTimeWindowMs());
        Map<String, Object> retention = new LinkedHashMap<>();
        putDuration(retention, "time", s.retentionTimeMs());
        putBytes(retention, "size", s.retentionSizeBytes());
        if (!retention.isEmpty()) tsdb.put("retention", retention);
        if (!tsdb.isEmpty()) m.put("tsdb", tsdb);
        if (s.maxExemplars() != StorageConfig.DEFAULT_MAX_EXEMPLARS) m.put("exemplars", Map.of("max_exemplars", s.maxExemplars()));
        return m;
    }

    // ---- shared pieces

    private static void http(Map<String, Object> m, HttpClientConfig h) {
        if (h.basicAuth() != null) {
            var b = h.basicAuth();
            Map<String, Object> bm = new LinkedHashMap<>();
            putString(bm, "username", b.username());
            putString(bm, "username_file", b.usernameFile());
            putSecret(bm, "password", b.password());
            putString(bm, "password_file", b.passwordFile());
            m.put("basic_auth", bm);
        }
        if (h.authorization() != null) {
            var a = h.authorization();
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("type", a.type());
            putSecret(am, "credentials", a.credentials());
            putString(am, "credentials_file", a.credentialsFile());
            m.put("authorization", am);
        }
        if (h.oauth2() != null) {
            var o = h.oauth2();
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("client_id", o.clientId());
            putSecret(om, "client_secret", o.clientSecret());
            putString(om, "client_secret_file", o.clientSecretFile());
            putList(om, "scopes", o.scopes());
            om.put("token_url", redactUrl(o.tokenUrl()));
            if (!o.endpointParams().isEmpty()) om.put("endpoint_params", o.endpointParams());
            if (!o.tls().equals(TlsConfig.EMPTY)) om.put("tls_config", tls(o.tls()));
            proxy(om, o.proxy());
            m.put("oauth2", om);
        }
        if (!h.tls().equals(TlsConfig.EMPTY)) m.put("tls_config", tls(h.tls())); // yaml omitempty on a zero struct
        m.put("follow_redirects", h.followRedirects());
        m.put("enable_http2", h.enableHttp2());
        proxy(m, h.proxy());
        if (!h.httpHeaders().isEmpty()) {
            Map<String, Object> hm = new LinkedHashMap<>();
            h.httpHeaders().forEach((name, v) -> {
                Map<String, Object> one = new LinkedHashMap<>();
                putList(one, "values", v.values());
                if (!v.secrets().isEmpty()) one.put("secrets", v.secrets().stream().map(x -> SECRET).toList());
                putList(one, "files", v.files());
                hm.put(name, one);
            });
            m.put("http_headers", hm);
        }
    }

    private static Map<String, Object> tls(TlsConfig t) {
        Map<String, Object> m = new LinkedHashMap<>();
        putString(m, "ca", t.ca());
        putString(m, "cert", t.cert());
        putSecret(m, "key", t.key());
        putString(m, "ca_file", t.caFile());
        putString(m, "cert_file", t.certFile());
        putString(m, "key_file", t.keyFile());
        putString(m, "server_name", t.serverName());
        m.put("insecure_skip_verify", t.insecureSkipVerify());
        putString(m, "min_version", t.minVersion());
        putString(m, "max_version", t.maxVersion());
        return m;
    }

    private static void proxy(Map<String, Object> m, ProxyConfig p) {
        putString(m, "proxy_url", redactUrl(p.proxyUrl()));
        putString(m, "no_proxy", p.noProxy());
        putTrue(m, "proxy_from_environment", p.proxyFromEnvironment());
        if (!p.proxyConnectHeader().isEmpty()) {
            Map<String, Object> h = new LinkedHashMap<>();
            p.proxyConnectHeader().forEach((k, v) -> h.put(k, v.stream().map(x -> SECRET).toList()));
            m.put("proxy_connect_header", h);
        }
    }

    private static void discovery(Map<String, Object> m, ServiceDiscoveryConfigs sd) {
        if (!sd.staticConfigs().isEmpty()) {
            m.put("static_configs", map(sd.staticConfigs(), s -> {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("targets", s.targets());
                putLabels(g, "labels", s.labels());
                return g;
            }));
        }
        if (!sd.fileSdConfigs().isEmpty()) {
            m.put("file_sd_configs", map(sd.fileSdConfigs(), f -> {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("files", f.files());
                g.put("refresh_interval", Durations.format(f.refreshIntervalMs()));
                return g;
            }));
        }
        if (!sd.httpSdConfigs().isEmpty()) {
            m.put("http_sd_configs", map(sd.httpSdConfigs(), h -> {
                Map<String, Object> g = new LinkedHashMap<>();
                http(g, h.http());
                g.put("url", redactUrl(h.url()));
                g.put("refresh_interval", Durations.format(h.refreshIntervalMs()));
                return g;
            }));
        }
        if (!sd.dnsSdConfigs().isEmpty()) {
            m.put("dns_sd_configs", map(sd.dnsSdConfigs(), d -> {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("names", d.names());
                g.put("type", d.type());
                g.put("port", d.port());
                g.put("refresh_interval", Durations.format(d.refreshIntervalMs()));
                return g;
            }));
        }
        if (!sd.kubernetesSdConfigs().isEmpty()) m.put("kubernetes_sd_configs", map(sd.kubernetesSdConfigs(), ConfigRenderer::kubernetes));
    }

    /** In the field order of Prometheus's {@code kubernetes.SDConfig}. */
    private static Map<String, Object> kubernetes(KubernetesSdConfig k) {
        Map<String, Object> g = new LinkedHashMap<>();
        putString(g, "api_server", redactUrl(k.apiServer()));
        g.put("role", k.role());
        g.put("kubeconfig_file", k.kubeconfigFile());
        http(g, k.http());
        if (!k.namespaces().equals(KubernetesSdConfig.Namespaces.ALL)) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("own_namespace", k.namespaces().ownNamespace());
            n.put("names", k.namespaces().names());
            g.put("namespaces", n);
        }
        if (!k.selectors().isEmpty()) {
            g.put("selectors", map(k.selectors(), s -> {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("role", s.role());
                putString(sm, "label", s.label());
                putString(sm, "field", s.field());
                return sm;
            }));
        }
        var a = k.attachMetadata();
        if (!a.equals(KubernetesSdConfig.AttachMetadata.NONE)) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("node", a.node());
            am.put("namespace", a.namespace());
            am.put("deployment", a.deployment());
            am.put("job", a.job());
            am.put("cronjob", a.cronJob());
            g.put("attach_metadata", am);
        }
        return g;
    }

    private static void putRelabel(Map<String, Object> m, String key, List<RelabelConfig> rcs) {
        if (rcs.isEmpty()) return;
        m.put(key, map(rcs, r -> {
            Map<String, Object> g = new LinkedHashMap<>();
            putList(g, "source_labels", r.sourceLabels());
            g.put("separator", r.separator());
            g.put("regex", r.regex());
            if (r.modulus() != 0) g.put("modulus", r.modulus());
            putString(g, "target_label", r.targetLabel());
            g.put("replacement", r.replacement());
            g.put("action", r.action().yamlName());
            return g;
        }));
    }

    /** Go's {@code url.URL.Redacted()}, which Prometheus's {@code config.URL} prints: a password becomes {@code xxxxx}. */
    static String redactUrl(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) return url;
        int hostEnd = scheme + 3;
        while (hostEnd < url.length() && "/?#".indexOf(url.charAt(hostEnd)) < 0) hostEnd++;
        int at = url.lastIndexOf('@', hostEnd - 1);
        if (at <= scheme) return url;
        int colon = url.indexOf(':', scheme + 3);
        if (colon < 0 || colon > at) return url;
        return url.substring(0, colon + 1) + "xxxxx" + url.substring(at);
    }

    private static <T> List<Map<String, Object>> map(List<T> items, Function<T, Map<String, Object>> f) {
        List<Map<String, Object>> out = new ArrayList<>(items.size());
        for (T t : items) out.add(f.apply(t));
        return out;
    }

    private static void putString(Map<String, Object> m, String key, String v) {
        if (v != null && !v.isEmpty()) m.put(key, v);
    }

    private static void putSecret(Map<String, Object> m, String key, String v) {
        if (v != null && !v.isEmpty()) m.put(key, SECRET);
    }

    private static void putList(Map<String, Object> m, String key, List<String> v) {
        if (!v.isEmpty()) m.put(key, v);
    }

    private static void putTrue(Map<String, Object> m, String key, boolean v) {
        if (v) m.put(key, true);
    }

    private static void putCount(Map<String, Object> m, String key, long v) {
        if (v != 0) m.put(key, v);
    }

    private static void putDuration(Map<String, Object> m, String key, long ms) {
        if (ms != 0) m.put(key, Durations.format(ms));
    }

    private static void putBytes(Map<String, Object> m, String key, long bytes) {
        if (bytes != 0) m.put(key, ByteSizes.format(bytes));
    }

    private static void putLabels(Map<String, Object> m, String key, Labels l) {
        if (l.isEmpty()) return;
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < l.size(); i++) out.put(l.name(i), l.value(i));
        m.put(key, out);
    }
}
