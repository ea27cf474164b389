package io.pyrometer.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pyrometer-operator render -f DIR}: what a GitOps reviewer sees. */
class RenderTest {
    @Test
    void rendersEveryObjectAndReportsVerdicts(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("team"));
        Files.writeString(dir.resolve("prom.yaml"), """
                apiVersion: pyrometer.io/v1alpha1
                kind: Prometheus
                metadata: {name: main, namespace: monitoring}
                spec: {shards: 2, serviceMonitorSelector: {}, ruleSelector: {}}
                """);
        Files.writeString(dir.resolve("team/monitors.yml"), """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: api, namespace: monitoring}
                spec: {selector: {matchLabels: {app: api}}, endpoints: [{port: web}]}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: ignored, namespace: monitoring}
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata: {name: broken, namespace: monitoring}
                spec: {groups: [{name: g, rules: [{alert: A, expr: 'up =='}]}]}
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Render.run(List.of("-f", dir.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(e).isEqualTo(1); // a selected resource is rejected
        assertThat(o.split("(?m)^---$")).hasSize(11); // 10 documents
        assertThat(o).contains("name: \"main-shard-1\"", "kind: \"PodDisruptionBudget\"", "kind: \"ClusterRole\"");
        assertThat(e).contains("# Prometheus monitoring/main: Accepted ServiceMonitor monitoring/api",
                "# Prometheus monitoring/main: Rejected PrometheusRule monitoring/broken (InvalidRules): group \"g\", rule 1 (alert \"A\"): expr 1:");
    }

    @Test
    void badUsageAndBadManifestsSayWhatToDo(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(Render.run(List.of(), System.out, ps)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("give at least one -f DIR_OR_FILE", "Usage:");
        Files.writeString(dir.resolve("bad.yaml"), "kind: Prometheus\napiVersion: pyrometer.io/v1alpha1\nmetadata: {name: [\n");
        err.reset();
        assertThat(Render.run(List.of("-f", dir.resolve("bad.yaml").toString()), System.out, ps)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.yaml:", "not valid YAML");
    }
}
