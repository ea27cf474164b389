package io.pyrometer.config;

import io.pyrometer.config.AlertingConfig.AlertmanagerConfig;
import io.pyrometer.config.HttpClientConfig.Authorization;
import io.pyrometer.config.HttpClientConfig.BasicAuth;
import io.pyrometer.config.HttpClientConfig.HttpHeader;
import io.pyrometer.config.HttpClientConfig.OAuth2;
import io.pyrometer.config.HttpClientConfig.TlsConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus's {@code SetDirectory}: relative file names in a config loaded from a file are relative to
 * that file's directory, so they are joined with it at load time (rule files, file_sd patterns, password,
 * token, credential and TLS files, header files, log files) and consumers can open them as they are.
 */
final class ConfigPaths {
    private ConfigPaths() {}

    static PrometheusConfig resolve(PrometheusConfig c, Path dir) {
        GlobalConfig g = c.global();
        GlobalConfig global = new GlobalConfig(g.scrapeIntervalMs(), g.scrapeTimeoutMs(), g.scrapeProtocols(),
                g.evaluationIntervalMs(), g.ruleQueryOffsetMs(), join(dir, g.queryLogFile()), join(dir, g.scrapeFailureLogFile()),
                g.externalLabels(), g.bodySizeLimitBytes(), g.sampleLimit(), g.targetLimit(), g.labelLimit(),
                g.labelNameLengthLimit(), g.labelValueLengthLimit(), g.keepDroppedTargets(), g.metricNameValidationScheme(),
                g.metricNameEscapingScheme(), g.scrapeNativeHistograms(), g.convertClassicHistogramsToNhcb(),
                g.alwaysScrapeClassicHistograms(), g.extraScrapeMetrics());
        List<ScrapeConfig> scrapes = new ArrayList<>();
        for (ScrapeConfig s : c.scrapeConfigs()) scrapes.add(scrape(s, dir));
        List<AlertmanagerConfig> ams = new ArrayList<>();
        for (AlertmanagerConfig a : c.alerting().alertmanagers()) {
            ams.add(new AlertmanagerConfig(a.scheme(), a.pathPrefix(), a.timeoutMs(), a.apiVersion(), http(a.http(), dir),
                    discovery(a.discovery(), dir), a.relabelConfigs(), a.alertRelabelConfigs()));
        }
        List<RemoteWriteConfig> rws = new ArrayList<>();
        for (RemoteWriteConfig r : c.remoteWrite()) {
            rws.add(new RemoteWriteConfig(r.url(), r.remoteTimeoutMs(), r.headers(), r.writeRelabelConfigs(), r.name(),
                    r.sendExemplars(), r.sendNativeHistograms(), r.roundRobinDns(), r.protobufMessage(), http(r.http(), dir),
                    r.queueConfig(), r.metadataConfig()));
        }
        List<RemoteReadConfig> rrs = new ArrayList<>();
        for (RemoteReadConfig r : c.remoteRead()) {
            rrs.add(new RemoteReadConfig(r.url(), r.remoteTimeoutMs(), r.chunkedReadLimitBytes(), r.headers(), r.readRecent(),
                    r.name(), http(r.http(), dir), r.requiredMatchers(), r.filterExternalLabels()));
        }
        return new PrometheusConfig(global, scrapes, joinAll(dir, c.ruleFiles()),
                new AlertingConfig(c.alerting().alertRelabelConfigs(), ams), rws, rrs, c.storage(), c.sourceFile(), c.sha256());
    }

    static ScrapeConfig scrape(ScrapeConfig s, Path dir) {
        return new ScrapeConfig(s.jobName(), s.scrapeIntervalMs(), s.scrapeTimeoutMs(), s.metricsPath(), s.scheme(), s.params(),
                s.honorLabels(), s.honorTimestamps(), s.trackTimestampsStaleness(), s.enableCompression(), s.scrapeProtocols(),
                s.fallbackScrapeProtocol(), join(dir, s.scrapeFailureLogFile()), s.scrapeNativeHistograms(),
                s.alwaysScrapeClassicHistograms(), s.convertClassicHistogramsToNhcb(), s.extraScrapeMetrics(),
                s.bodySizeLimitBytes(), s.sampleLimit(), s.targetLimit(), s.labelLimit(), s.labelNameLengthLimit(),
                s.labelValueLengthLimit(), s.nativeHistogramBucketLimit(), s.nativeHistogramMinBucketFactor(),
                s.keepDroppedTargets(), s.metricNameValidationScheme(), s.metricNameEscapingScheme(), http(s.http(), dir),
                discovery(s.discovery(), dir), s.relabelConfigs(), s.metricRelabelConfigs());
    }

    private static ServiceDiscoveryConfigs discovery(ServiceDiscoveryConfigs sd, Path dir) {
        List<FileSdConfig> files = new ArrayList<>();
        for (FileSdConfig f : sd.fileSdConfigs()) files.add(new FileSdConfig(joinAll(dir, f.files()), f.refreshIntervalMs()));
        List<HttpSdConfig> https = new ArrayList<>();
        for (HttpSdConfig h : sd.httpSdConfigs()) https.add(new HttpSdConfig(h.url(), h.refreshIntervalMs(), http(h.http(), dir)));
        List<KubernetesSdConfig> kubernetes = new ArrayList<>();
        for (KubernetesSdConfig k : sd.kubernetesSdConfigs()) {
            kubernetes.add(new KubernetesSdConfig(k.role(), k.apiServer(), join(dir, k.kubeconfigFile()), http(k.http(), dir),
                    k.namespaces(), k.selectors(), k.attachMetadata()));
        }
        return new ServiceDiscoveryConfigs(sd.staticConfigs(), files, https, sd.dnsSdConfigs(), kubernetes);
    }

    private static HttpClientConfig http(HttpClientConfig h, Path dir) {
        BasicAuth b = h.basicAuth() == null ? null : new BasicAuth(h.basicAuth().username(), join(dir, h.basicAuth().usernameFile()),
                h.basicAuth().password(), join(dir, h.basicAuth().passwordFile()));
        Authorization a = h.authorization() == null ? null : new Authorization(h.authorization().type(),
                h.authorization().credentials(), join(dir, h.authorization().credentialsFile()));
        OAuth2 o = h.oauth2();
        if (o != null) {
            o = new OAuth2(o.clientId(), o.clientSecret(), join(dir, o.clientSecretFile()), o.scopes(), o.tokenUrl(),
                    o.endpointParams(), tls(o.tls(), dir), o.proxy());
        }
        Map<String, HttpHeader> headers = new LinkedHashMap<>();
        h.httpHeaders().forEach((k, v) -> headers.put(k, new HttpHeader(v.values(), v.secrets(), joinAll(dir, v.files()))));
        return new HttpClientConfig(b, a, o, tls(h.tls(), dir), h.proxy(), h.followRedirects(), h.enableHttp2(), headers);
    }

    private static TlsConfig tls(TlsConfig t, Path dir) {
        return new TlsConfig(t.ca(), join(dir, t.caFile()), t.cert(), join(dir, t.certFile()), t.key(), join(dir, t.keyFile()),
                t.serverName(), t.insecureSkipVerify(), t.minVersion(), t.maxVersion());
    }

    /** Go's {@code config.JoinDir}: empty and absolute paths stay, others are joined and cleaned. */
    static String join(Path dir, String file) {
        if (file.isEmpty() || file.startsWith("/")) return file;
        try {
            return dir.resolve(file).normalize().toString();
        } catch (InvalidPathException e) { // e.g. a NUL in the name: leave it for the open to report
            return dir + "/" + file;
        }
    }

    private static List<String> joinAll(Path dir, List<String> files) {
        List<String> out = new ArrayList<>(files.size());
        for (String f : files) out.add(join(dir, f));
        return out;
    }
}
