package io.pyrometer.config;

import io.pyrometer.config.YamlNode.Entry;
import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the service discovery keys inlined into scrape and Alertmanager configs: {@code static_configs},
 * {@code file_sd_configs}, {@code http_sd_configs}, {@code dns_sd_configs}, {@code kubernetes_sd_configs}, validated as Prometheus's
 * {@code discovery/*} packages do. Other Prometheus mechanisms are listed in {@link #UNSUPPORTED} so they
 * are refused by name rather than as unknown keys.
 */
final class DiscoveryDecoder {
    private DiscoveryDecoder() {}

    private static final String SD_HINT = "use static_configs, file_sd_configs, http_sd_configs, dns_sd_configs or kubernetes_sd_configs";

    /** Prometheus 3's other discovery mechanisms, refused with a hint. */
    static final Map<String, String> UNSUPPORTED;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        for (String sd : List.of("azure", "consul", "digitalocean", "docker", "dockerswarm", "ec2", "eureka", "gce",
                "hetzner", "ionos", "kuma", "lightsail", "linode", "marathon", "nerve", "nomad",
                "openstack", "ovhcloud", "puppetdb", "scaleway", "serverset", "stackit", "triton", "uyuni", "vultr")) {
            m.put(sd + "_sd_configs", SD_HINT + " (for example, write targets to a file_sd file)");
        }
        UNSUPPORTED = Map.copyOf(m);
    }

    /** file_sd patterns: a glob only in the last path component, and a JSON or YAML extension. */
    private static final Pattern FILE_SD_NAME = Pattern.compile("^[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)$");

    /**
     * @param checkTargets whether static targets must be bare {@code host:port} (Prometheus checks this only
     *                     when the job has no relabel_configs, which could rewrite {@code __address__})
     */
    static ServiceDiscoveryConfigs read(Fields f, boolean checkTargets) throws ConfigException {
        List<StaticConfig> statics = new ArrayList<>();
        List<YamlNode> items = f.list("static_configs", "discovery.StaticConfig");
        for (int i = 0; i < items.size(); i++) {
            String path = Fields.index(f.path("static_configs"), i);
            if (YamlNode.isEmptyItem(items.get(i))) throw Fields.error(f.file, items.get(i), path, "empty or null section in static_configs");
            statics.add(staticConfig(Fields.of(f.file, path, items.get(i), "static_configs"), checkTargets));
        }
        List<FileSdConfig> files = new ArrayList<>();
        items = f.list("file_sd_configs", "[]file.SDConfig");
        for (int i = 0; i < items.size(); i++) {
            files.add(fileSd(Fields.of(f.file, Fields.index(f.path("file_sd_configs"), i), items.get(i), "file_sd_configs")));
        }
        List<HttpSdConfig> https = new ArrayList<>();
        items = f.list("http_sd_configs", "[]http.SDConfig");
        for (int i = 0; i < items.size(); i++) {
            https.add(httpSd(Fields.of(f.file, Fields.index(f.path("http_sd_configs"), i), items.get(i), "http_sd_configs")));
        }
        List<DnsSdConfig> dns = new ArrayList<>();
        items = f.list("dns_sd_configs", "[]dns.SDConfig");
        for (int i = 0; i < items.size(); i++) {
            dns.add(dnsSd(Fields.of(f.file, Fields.index(f.path("dns_sd_configs"), i), items.get(i), "dns_sd_configs")));
        }
        List<KubernetesSdConfig> kubernetes = new ArrayList<>();
        items = f.list("kubernetes_sd_configs", "[]kubernetes.SDConfig");
        for (int i = 0; i < items.size(); i++) {
            String path = Fields.index(f.path("kubernetes_sd_configs"), i);
            kubernetes.add(KubernetesSdDecoder.read(Fields.of(f.file, path, items.get(i), "kubernetes_sd_configs")));
        }
        return new ServiceDiscoveryConfigs(statics, files, https, dns, kubernetes);
    }

    private static StaticConfig staticConfig(Fields f, boolean checkTargets) throws ConfigException {
        List<YamlNode> targetNodes = f.list("targets", "[]string");
        List<String> targets = new ArrayList<>(targetNodes.size());
        for (int i = 0; i < targetNodes.size(); i++) {
            YamlNode n = targetNodes.get(i);
            String t = Fields.scalarText(f.file, Fields.index(f.path("targets"), i), n, "string");
            if (checkTargets && t.contains("/")) {
                throw Fields.error(f.file, n, Fields.index(f.path("targets"), i), quote(t) + " is not a valid hostname;"
                        + " a target is host:port, set the scheme with 'scheme' and the path with 'metrics_path'");
            }
            targets.add(t);
        }
        Labels labels = labelSet(f, "labels");
        f.finish();
        return new StaticConfig(targets, labels);
    }

    /**
     * A {@code model.LabelSet} mapping. Prometheus 3 checks these names against the process-wide UTF-8
     * scheme (non-empty), whatever a job's {@code metric_name_validation_scheme} says.
     */
    static Labels labelSet(Fields f, String key) throws ConfigException {
        List<Entry> entries = f.entries(key, "model.LabelSet");
        if (entries.isEmpty()) return Labels.EMPTY;
        String[] pairs = new String[entries.size() * 2];
        int i = 0;
        for (Entry e : entries) {
            if (!validLabelName(e.key(), false)) {
                throw new ConfigException(f.file, e.line(), e.column(), f.path(key) + "." + e.key(),
                        quote(e.key()) + " is not a valid label name");
            }
            pairs[i++] = e.key();
            pairs[i++] = Fields.scalarText(f.file, f.path(key) + "." + e.key(), e.value(), "model.LabelValue");
        }
        return Labels.of(pairs);
    }

    /** UTF-8 names (Prometheus 3's default) only need to be non-empty; legacy ones match {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    static boolean validLabelName(String name, boolean legacy) {
        if (name.isEmpty()) return false;
        if (!legacy) return true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) return false;
        }
        return true;
    }

    private static FileSdConfig fileSd(Fields f) throws ConfigException {
        List<String> files = f.strings("files");
        long refresh = f.durationMs("refresh_interval", FileSdConfig.DEFAULT_REFRESH_INTERVAL_MS);
        f.finish();
        if (files.isEmpty()) throw f.error("files", "file service discovery config must contain at least one path name");
        for (int i = 0; i < files.size(); i++) {
            if (!FILE_SD_NAME.matcher(files.get(i)).matches()) {
                YamlNode at = Fields.items(f.file, f.path("files"), f.get("files"), "[]string").get(i);
                throw Fields.error(f.file, at, Fields.index(f.path("files"), i), "path name " + quote(files.get(i))
                        + " is not valid for file discovery; use a .json, .yml or .yaml file, with '*' only in the last path component");
            }
        }
        return new FileSdConfig(files, refresh);
    }

    private static HttpSdConfig httpSd(Fields f) throws ConfigException {
        String url = f.string("url", "");
        long refresh = f.durationMs("refresh_interval", HttpSdConfig.DEFAULT_REFRESH_INTERVAL_MS);
        HttpClientConfig http = HttpClientDecoder.read(f, HttpClientConfig.DEFAULT);
        f.finish(HttpClientDecoder.UNSUPPORTED_REFS);
        if (url.isEmpty()) throw f.error("url", "URL is missing");
        HttpClientDecoder.checkUrl(f, "url", url);
        String scheme = HttpClientDecoder.scheme(url);
        if (!scheme.equals("http") && !scheme.equals("https")) throw f.error("url", "URL scheme must be 'http' or 'https'");
        if (HttpClientDecoder.host(url).isEmpty()) throw f.error("url", "host is missing in URL");
        return new HttpSdConfig(url, refresh, http);
    }

    private static DnsSdConfig dnsSd(Fields f) throws ConfigException {
        List<String> names = f.strings("names");
        long refresh = f.durationMs("refresh_interval", DnsSdConfig.DEFAULT_REFRESH_INTERVAL_MS);
        String type = f.string("type", "SRV");
        long port = f.uint("port", 0);
        f.finish();
        if (names.isEmpty()) throw f.error("names", "DNS-SD config must contain at least one SRV record name");
        String upper = type.toUpperCase(Locale.ROOT);
        switch (upper) {
            case "SRV" -> { }
            case "A", "AAAA", "MX", "NS" -> {
                if (port == 0) throw f.error("port", "a port is required in DNS-SD configs for all record types except SRV");
            }
            default -> throw f.error("type", "invalid DNS-SD records type " + type + " (use SRV, A, AAAA, MX or NS)");
        }
        return new DnsSdConfig(names, upper, (int) port, refresh);
    }

    /** Go's {@code %q} for label names and targets. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        io.pyrometer.model.Labels.appendQuoted(sb, s);
        return sb.toString();
    }
}
