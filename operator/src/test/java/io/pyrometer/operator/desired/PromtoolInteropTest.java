package io.pyrometer.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.pyrometer.config.ConfigLoader;
import io.pyrometer.config.PrometheusConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated rule files pass the real {@code promtool check rules}; every shard's generated
 * config passes the real {@code promtool check config} (Debian's promtool 2.42 is built without
 * Kubernetes discovery, so it gets a copy whose {@code kubernetes_sd_configs} are swapped for
 * empty {@code static_configs}; it still checks relabelings, intervals and rule files).
 */
class PromtoolInteropTest {
    static final String WORLD = PrometheusDesiredTest.WORLD + """
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: PodMonitor
            metadata: {name: jobs, namespace: monitoring, labels: {release: a}}
            spec:
              selector: {matchExpressions: [{key: app, operator: In, values: [batch, cron]}]}
              podTargetLabels: [team]
              podMetricsEndpoints:
              - {port: metrics, interval: 15s, scrapeTimeout: 10s, path: /m, params: {format: [prometheus]}}
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata: {name: slo, namespace: monitoring, uid: s-1}
            spec:
              groups:
              - name: slo
                interval: 1m
                rules:
                - {record: 'job:http_errors:rate5m', expr: 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))'}
                - alert: HighErrorRate
                  expr: 'job:http_errors:rate5m > 0.1'
                  for: 10m
                  labels: {severity: page}
                  annotations: {summary: 'High error rate on {{ $labels.job }}: {{ $value | humanize }}'}
            """;

    static Path promtool() {
        Path p = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(p), "promtool not installed at /usr/bin/promtool (Debian package prometheus)");
        return p;
    }

    static String run(Path dir, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", args) + "\n" + out).isZero();
        return out;
    }

    @Test
    void generatedRulesAndConfigsPassPromtool(@TempDir Path dir) throws Exception {
        Path promtool = promtool();
        Desired d = new PrometheusDesired(Settings.DEFAULT).desired(PrometheusDesiredTest.prom(
                "{shards: 2, serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {}, podMonitorSelector: {}, ruleSelector: {},"
                        + " externalLabels: {cluster: eu1}}"), Fixtures.inputs(WORLD));
        assertThat(d.verdicts()).allSatisfy(v -> assertThat(v.accepted()).as(v.message()).isTrue());
        ConfigMap rules = (ConfigMap) d.find("ConfigMap", "main-rulefiles-0");
        Path rulesDir = dir.resolve("rules/main-rulefiles-0");
        Files.createDirectories(rulesDir);
        List<String> ruleFiles = new ArrayList<>();
        for (Map.Entry<String, String> e : rules.getData().entrySet()) {
            Files.writeString(rulesDir.resolve(e.getKey()), e.getValue());
            ruleFiles.add(rulesDir.resolve(e.getKey()).toString());
        }
        assertThat(ruleFiles).hasSize(1);
        List<String> cmd = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
        cmd.addAll(ruleFiles);
        assertThat(run(dir, cmd.toArray(String[]::new))).contains("SUCCESS: 2 rules found");

        Secret cfg = (Secret) d.find("Secret", "main-config");
        for (Map.Entry<String, String> e : cfg.getData().entrySet()) {
            String yaml = new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8);
            assertThat(yaml).contains("kubernetes_sd_configs");
            String forPromtool = withoutKubernetesSd(yaml).replace("/etc/pyrometer/rules/", dir.resolve("rules") + "/");
            Path f = dir.resolve(e.getKey());
            Files.writeString(f, forPromtool);
            assertThat(run(dir, promtool.toString(), "check", "config", f.toString())).contains("SUCCESS");
        }
    }

    /** Replaces each {@code kubernetes_sd_configs:} block (a job-level key) with an empty {@code static_configs}. */
    static String withoutKubernetesSd(String yaml) {
        StringBuilder out = new StringBuilder();
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            String trimmed = l.stripLeading();
            if (trimmed.startsWith("kubernetes_sd_configs:")) {
                int indent = l.length() - trimmed.length();
                out.append(" ".repeat(indent)).append("static_configs: []\n");
                while (i + 1 < lines.length && (lines[i + 1].length() - lines[i + 1].stripLeading().length() > indent
                        || lines[i + 1].stripLeading().startsWith("- ") && lines[i + 1].length() - lines[i + 1].stripLeading().length() == indent)) {
                    i++;
                }
                continue;
            }
            out.append(l).append(i + 1 < lines.length ? "\n" : "");
        }
        return out.toString();
    }

    @Test
    void generatedConfigsPassOurConfigLoader() throws Exception {
        Desired d = new PrometheusDesired(Settings.DEFAULT).desired(PrometheusDesiredTest.prom(
                "{shards: 2, serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {}, podMonitorSelector: {}, ruleSelector: {},"
                        + " externalLabels: {cluster: eu1}}"), Fixtures.inputs(WORLD));
        Secret cfg = (Secret) d.find("Secret", "main-config");
        assertThat(cfg.getData()).hasSize(2);
        for (Map.Entry<String, String> e : cfg.getData().entrySet()) {
            String yaml = new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8);
            // what `pyrometer server` reads at start: a ConfigException here would keep the shard from starting
            PrometheusConfig parsed = ConfigLoader.parse(yaml, Path.of(e.getKey()), name -> "POD_NAME".equals(name) ? "main-0" : null);
            assertThat(parsed.scrapeConfigs()).as(e.getKey()).isNotEmpty()
                    .allSatisfy(sc -> assertThat(sc.discovery().kubernetesSdConfigs()).as(sc.jobName()).isNotEmpty());
            assertThat(parsed.ruleFiles()).as(e.getKey()).isNotEmpty();
        }
    }
}
