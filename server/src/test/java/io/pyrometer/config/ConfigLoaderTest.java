package io.pyrometer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pyrometer.model.Labels;
import io.pyrometer.model.relabel.RelabelConfig.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a Prometheus user relies on once a config loads: its defaults, inheritance and normalisations. */
class ConfigLoaderTest {
    private static final Path NAME = Path.of("prometheus.yml");

    private static PrometheusConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, NAME, name -> Map.of("REGION", "eu-west-1").get(name));
    }

    private static ConfigException refuse(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("expected a refusal of:%n%s", yaml).isNotNull();
        return e;
    }

    @Test
    void emptyFileMeansPrometheusDefaults() throws Exception {
        PrometheusConfig c = parse("");
        assertThat(c.global().scrapeIntervalMs()).isEqualTo(60_000);
        assertThat(c.global().scrapeTimeoutMs()).isEqualTo(10_000);
        assertThat(c.global().evaluationIntervalMs()).isEqualTo(60_000);
        assertThat(c.global().externalLabels()).isEqualTo(Labels.EMPTY);
        assertThat(c.scrapeConfigs()).isEmpty();
        assertThat(c.storage().maxExemplars()).isEqualTo(100_000);
        assertThat(parse("global:\n").global()).isEqualTo(c.global());
    }

    @Test
    void scrapeConfigGetsPrometheusDefaults() throws Exception {
        ScrapeConfig sc = parse("scrape_configs:\n  - job_name: node\n").scrapeConfig("node");
        assertThat(sc.metricsPath()).isEqualTo("/metrics");
        assertThat(sc.scheme()).isEqualTo("http");
        assertThat(sc.honorLabels()).isFalse();
        assertThat(sc.honorTimestamps()).isTrue();
        assertThat(sc.enableCompression()).isTrue();
        assertThat(sc.scrapeProtocols()).containsExactly("OpenMetricsText1.0.0", "OpenMetricsText0.0.1",
                "PrometheusText1.0.0", "PrometheusText0.0.4");
        assertThat(sc.http().followRedirects()).isTrue();
        assertThat(sc.http().enableHttp2()).isTrue();
        assertThat(sc.http().authorization()).isNull();
        assertThat(sc.metricNameValidationScheme()).isEqualTo("utf8");
        assertThat(sc.metricNameEscapingScheme()).isEqualTo("allow-utf-8");
    }

    @Test
    void globalValuesAreAppliedIntoEachJob() throws Exception {
        PrometheusConfig c = parse("""
                global:
                  scrape_interval: 30s
                  scrape_timeout: 20s
                  sample_limit: 500
                  body_size_limit: 1MB
                  scrape_protocols: [PrometheusText0.0.4]
                scrape_configs:
                  - job_name: inherits
                  - job_name: overrides
                    scrape_interval: 5s
                    sample_limit: 7
                """);
        ScrapeConfig a = c.scrapeConfig("inherits"), b = c.scrapeConfig("overrides");
        assertThat(a.scrapeIntervalMs()).isEqualTo(30_000);
        assertThat(a.scrapeTimeoutMs()).isEqualTo(20_000);
        assertThat(a.sampleLimit()).isEqualTo(500);
        assertThat(a.bodySizeLimitBytes()).isEqualTo(1 << 20);
        assertThat(a.scrapeProtocols()).containsExactly("PrometheusText0.0.4");
        assertThat(b.scrapeIntervalMs()).isEqualTo(5_000);
        // an inherited timeout never exceeds the job's own interval: min(global timeout, interval)
        assertThat(b.scrapeTimeoutMs()).isEqualTo(5_000);
        assertThat(b.sampleLimit()).isEqualTo(7);
    }

    @Test
    void globalTimeoutDefaultsToTheSmallerOfTenSecondsAndTheInterval() throws Exception {
        assertThat(parse("global:\n  scrape_interval: 4s\n").global().scrapeTimeoutMs()).isEqualTo(4_000);
        assertThat(parse("global:\n  scrape_interval: 2m\n").global().scrapeTimeoutMs()).isEqualTo(10_000);
    }

    @Test
    void nativeHistogramsPutProtobufFirst() throws Exception {
        ScrapeConfig sc = parse("scrape_configs:\n  - job_name: a\n    scrape_native_histograms: true\n").scrapeConfig("a");
        assertThat(sc.scrapeProtocols()).first().isEqualTo("PrometheusProto");
    }

    @Test
    void bearerTokenBecomesAnAuthorizationHeader() throws Exception {
        PrometheusConfig c = parse("""
                scrape_configs:
                  - job_name: inline
                    bearer_token: abc
                  - job_name: file
                    bearer_token_file: /etc/token
                """);
        assertThat(c.scrapeConfig("inline").http().authorization())
                .isEqualTo(new HttpClientConfig.Authorization("Bearer", "abc", ""));
        assertThat(c.scrapeConfig("file").http().authorization())
                .isEqualTo(new HttpClientConfig.Authorization("Bearer", "", "/etc/token"));
    }

    @Test
    void discoveryDefaults() throws Exception {
        ScrapeConfig sc = parse("""
                scrape_configs:
                  - job_name: sd
                    file_sd_configs: [{files: [a.json]}]
                    http_sd_configs: [{url: "http://sd/targets"}]
                    dns_sd_configs: [{names: [_x._tcp.example.org]}, {names: [x.example.org], type: a, port: 80}]
                    static_configs:
                      - targets: ["a:1"]
                        labels: {env: prod}
                """).scrapeConfig("sd");
        assertThat(sc.fileSdConfigs()).containsExactly(new FileSdConfig(List.of("a.json"), 300_000));
        assertThat(sc.httpSdConfigs().getFirst().refreshIntervalMs()).isEqualTo(60_000);
        assertThat(sc.dnsSdConfigs()).containsExactly(
                new DnsSdConfig(List.of("_x._tcp.example.org"), "SRV", 0, 30_000),
                new DnsSdConfig(List.of("x.example.org"), "A", 80, 30_000));
        assertThat(sc.staticConfigs()).containsExactly(new StaticConfig(List.of("a:1"), Labels.of("env", "prod")));
    }

    @Test
    void relabelConfigsAreBuiltWithPrometheusDefaults() throws Exception {
        ScrapeConfig sc = parse("""
                scrape_configs:
                  - job_name: r
                    relabel_configs:
                      - source_labels: [__meta_port]
                        target_label: port
                      - action: LabelDrop
                        regex: tmp_.*
                """).scrapeConfig("r");
        var first = sc.relabelConfigs().getFirst();
        assertThat(first.action()).isEqualTo(Action.REPLACE);
        assertThat(first.separator()).isEqualTo(";");
        assertThat(first.regex()).isEqualTo("(.*)");
        assertThat(first.replacement()).isEqualTo("$1");
        assertThat(sc.relabelConfigs().get(1).action()).isEqualTo(Action.LABELDROP);
    }

    @Test
    void remoteDefaults() throws Exception {
        PrometheusConfig c = parse("""
                remote_write:
                  - url: http://w/api/v1/push
                    queue_config: {max_shards: 5}
                remote_read:
                  - url: http://r/api/v1/read
                """);
        RemoteWriteConfig w = c.remoteWrite().getFirst();
        assertThat(w.remoteTimeoutMs()).isEqualTo(30_000);
        assertThat(w.protobufMessage()).isEqualTo("prometheus.WriteRequest");
        assertThat(w.http().enableHttp2()).isFalse();
        assertThat(w.queueConfig()).isEqualTo(new RemoteWriteConfig.QueueConfig(10_000, 5, 1, 2000, 5_000, 30, 5_000, false, 0));
        assertThat(w.metadataConfig()).isEqualTo(RemoteWriteConfig.MetadataConfig.DEFAULT);
        RemoteReadConfig r = c.remoteRead().getFirst();
        assertThat(r.remoteTimeoutMs()).isEqualTo(60_000);
        assertThat(r.filterExternalLabels()).isTrue();
        assertThat(r.chunkedReadLimitBytes()).isEqualTo(50_000_000);
    }

    @Test
    void externalLabelsExpandEnvironmentVariables() throws Exception {
        Labels l = parse("global:\n  external_labels:\n    region: ${REGION}\n    cost: $$5\n    unset: x${NOPE}\n").global().externalLabels();
        assertThat(l).isEqualTo(Labels.of("region", "eu-west-1", "cost", "$5", "unset", "x"));
    }

    @Test
    void yamlOneOneBooleansAreBooleansAsInGoYamlV2() throws Exception {
        assertThat(parse("scrape_configs:\n  - job_name: a\n    honor_labels: yes\n").scrapeConfig("a").honorLabels()).isTrue();
        assertThat(parse("scrape_configs:\n  - job_name: a\n    honor_labels: Y\n").scrapeConfig("a").honorLabels()).isTrue();
        assertThat(parse("scrape_configs:\n  - job_name: a\n    honor_timestamps: n\n").scrapeConfig("a").honorTimestamps()).isFalse();
        // quoted, they are strings, as in yaml.v2
        assertThat(refuse("scrape_configs:\n  - job_name: a\n    honor_labels: 'y'\n").detail()).isEqualTo("cannot unmarshal !!str `y` into bool");
        // and a plain y where a string is expected stays the text written
        assertThat(parse("scrape_configs:\n  - job_name: y\n").scrapeConfigs().getFirst().jobName()).isEqualTo("y");
    }

    @Test
    void jobNamesMayBeNumbers() throws Exception {
        assertThat(parse("scrape_configs:\n  - job_name: 123\n").scrapeConfigs().getFirst().jobName()).isEqualTo("123");
    }

    @Test
    void unknownKeySuggestsTheClosestKnownOne() {
        ConfigException e = refuse("scrape_configs:\n  - job_name: a\n    metric_path: /m\n");
        assertThat(e.getMessage()).isEqualTo(
                "prometheus.yml:3:5: scrape_configs[0].metric_path: field metric_path not found in scrape config; did you mean \"metrics_path\"?");
        assertThat(e.path()).isEqualTo("scrape_configs[0].metric_path");
    }

    @Test
    void unknownKeyFarFromAnyGetsNoSuggestion() {
        assertThat(refuse("global:\n  banana: 1\n").getMessage()).isEqualTo("prometheus.yml:2:3: global.banana: field banana not found in global");
    }

    @Test
    void emptyKeyIsNamedAsSuch() {
        assertThat(refuse("global:\n  \"\": 1\n").detail()).startsWith("empty key in global");
    }

    @Test
    void scrapeConfigFilesAddTheirJobsWithPathsRelativeToTheirOwnFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("jobs"));
        Files.writeString(dir.resolve("jobs/a.yml"), "scrape_configs:\n  - job_name: a\n    file_sd_configs: [{files: [t.json]}]\n");
        Files.writeString(dir.resolve("jobs/b.yml"), "scrape_configs:\n  - job_name: b\n");
        Files.writeString(dir.resolve("jobs/ignored.txt"), "not yaml: [");
        Path main = dir.resolve("prometheus.yml");
        Files.writeString(main, "global: {scrape_interval: 20s}\nscrape_config_files: [jobs/*.yml]\nscrape_configs:\n  - job_name: main\n");
        PrometheusConfig c = ConfigLoader.load(main);
        assertThat(c.scrapeConfigs()).extracting(ScrapeConfig::jobName).containsExactly("main", "a", "b");
        assertThat(c.scrapeConfig("a").scrapeIntervalMs()).as("globals of the main file apply").isEqualTo(20_000);
        assertThat(c.scrapeConfig("a").fileSdConfigs().getFirst().files()).containsExactly(dir.resolve("jobs/t.json").toString());

        String before = c.sha256();
        Files.writeString(dir.resolve("jobs/b.yml"), "scrape_configs:\n  - job_name: b2\n");
        assertThat(ConfigLoader.load(main).sha256()).as("the hash covers included files").isNotEqualTo(before);
    }

    @Test
    void scrapeConfigFileErrorsPointIntoThatFile(@TempDir Path dir) throws Exception {
        Path inc = dir.resolve("jobs.yml");
        Files.writeString(inc, "scrape_configs:\n  - job_name: main\n");
        Path main = dir.resolve("prometheus.yml");
        Files.writeString(main, "scrape_config_files: [jobs.yml]\nscrape_configs:\n  - job_name: main\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(main));
        assertThat(e.getMessage()).isEqualTo(inc + ":2:15: scrape_configs[0].job_name: found multiple scrape configs with job name "
                + "\"main\", first found in main config file; job names must be unique");

        Files.writeString(inc, "scrape_configs:\n  - job_name: x\n    scrape_timeout: 2m\n");
        e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(main));
        assertThat(e.file()).isEqualTo(inc);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.detail()).startsWith("scrape timeout greater than scrape interval for scrape config with job name \"x\"");

        Files.writeString(inc, "global: {}\n");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(main)).detail())
                .isEqualTo("field global not found in scrape config file");
    }

    @Test
    void goGlobSyntaxIsTranslated() {
        assertThat("a1.yml").matches(ScrapeConfigFiles.globRegex("a?.yml"));
        assertThat("ab.yml").matches(ScrapeConfigFiles.globRegex("[a-c]b.yml"));
        assertThat("db.yml").doesNotMatch(ScrapeConfigFiles.globRegex("[a-c]b.yml"));
        assertThat("db.yml").matches(ScrapeConfigFiles.globRegex("[^a-c]b.yml"));
        assertThat("x{1}.yml").matches(ScrapeConfigFiles.globRegex("x{1}.yml"));
    }

    @Test
    void utf8LabelNamesAreValidUnlessLegacyIsChosenForExternalLabels() throws Exception {
        assertThat(parse("global:\n  external_labels:\n    service.name: x\n").global().externalLabels().get("service.name")).isEqualTo("x");
        assertThat(refuse("global:\n  metric_name_validation_scheme: legacy\n  external_labels:\n    service.name: x\n").detail())
                .startsWith("\"service.name\" is not a valid label name");
        // static labels are checked against Prometheus 3's process-wide UTF-8 scheme, whatever the job says
        assertThat(parse("scrape_configs:\n  - job_name: a\n    metric_name_validation_scheme: legacy\n    static_configs:\n"
                + "      - targets: [a:1]\n        labels: {service.name: x}\n").scrapeConfig("a").staticConfigs()).hasSize(1);
    }

    @Test
    void sha256ChangesWithContentAndMatchesTheFileBytes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("prometheus.yml");
        Files.writeString(f, "global:\n  scrape_interval: 15s\n");
        PrometheusConfig a = ConfigLoader.load(f);
        // sha256 of the bytes, as `sha256sum prometheus.yml` prints it
        assertThat(a.sha256()).isEqualTo("c3e1e9b70bf4f0eb5826a3520de4735a5be32acf58bcb5bae30de80430196aab");
        assertThat(ConfigLoader.load(f).sha256()).isEqualTo(a.sha256());
        Files.writeString(f, "global:\n  scrape_interval: 30s\n");
        assertThat(ConfigLoader.load(f).sha256()).isNotEqualTo(a.sha256());
        assertThat(a.sourceFile()).isEqualTo(f);
    }

    @Test
    void missingFileIsReportedWithItsName(@TempDir Path dir) {
        Path f = dir.resolve("nope.yml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(f));
        assertThat(e.getMessage()).isEqualTo(f + ": open " + f + ": no such file or directory; check --config.file");
    }

    @Test
    void loadJoinsRelativeFileNamesWithTheConfigDirectoryAsPrometheusDoes() throws Exception {
        Path dir = ConfigFixtures.root().resolve("valid");
        Path root = ConfigFixtures.root();
        PrometheusConfig c = ConfigLoader.load(dir.resolve("full-scrape.yml"));
        assertThat(c.ruleFiles()).containsExactly(root.resolve("rules/*.yml").toString());
        assertThat(c.global().queryLogFile()).isEqualTo(dir.resolve("query.log").toString());
        ScrapeConfig node = c.scrapeConfig("node");
        assertThat(node.http().basicAuth().passwordFile()).isEqualTo(root.resolve("secrets/password.txt").toString());
        assertThat(node.fileSdConfigs().getFirst().files())
                .containsExactly(root.resolve("sd/*.json").toString(), root.resolve("sd/extra.yml").toString());
        assertThat(node.httpSdConfigs().getFirst().http().authorization().credentialsFile())
                .isEqualTo(root.resolve("secrets/token.txt").toString());
        // parse() has no directory: names stay as written
        assertThat(ConfigLoader.parse("rule_files: [r.yml]\n", NAME).ruleFiles()).containsExactly("r.yml");
    }

    @Test
    void ruleFilesResolveAgainstTheConfigDirectory() throws Exception {
        PrometheusConfig c = ConfigLoader.parse("rule_files: [rules/*.yml, /abs/x.yml]\n", Path.of("/etc/prometheus/prometheus.yml"));
        assertThat(c.resolvedRuleFiles()).containsExactly(Path.of("/etc/prometheus/rules/*.yml"), Path.of("/abs/x.yml"));
    }
}
