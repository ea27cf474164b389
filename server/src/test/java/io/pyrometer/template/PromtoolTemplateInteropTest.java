package io.pyrometer.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with the real Prometheus: an alerting rule whose annotation uses Prometheus's template
 * functions is expanded by our {@link Expander}, and that output is written as the expected
 * annotation of a {@code promtool test rules} case. promtool passes only if Prometheus expands
 * the same template to the identical string.
 */
class PromtoolTemplateInteropTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private static final String ANNOTATION = "{{ $labels.instance | stripPort }} has {{ $value | humanize }}B"
            + " ({{ $value | humanize1024 }}B), {{ 0.4567 | humanizePercentage }}, {{ 3725 | humanizeDuration }},"
            + " {{ \"disk low\" | title }} {{ $labels.job | toUpper }} {{ reReplaceAll \"node-(.*):.*\" \"n$1\" $labels.instance }}"
            + " {{ printf \"%.2f|%5d|%q|%v|%e\" $value 42 \"x\" 0.000012 123456.789 }}"
            + " {{ with query \"sum(disk_free)\" }}{{ . | first | value | humanize }}{{ end }}"
            + " {{ humanizeTimestamp 1600000000.25 }} {{ $value }} {{ if gt $value 1e6 }}big{{ end }}"
            + " {{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }} {{ $labels.missing }}|{{ len $labels }}"
            + " {{ match \"^node\" $labels.job }} {{ graphLink \"up\" }} {{ 1e6 }} {{ -0.0 }} {{ 2.5e-7 | humanize }}";

    @Test
    void promtoolExpandsTheAnnotationAsWeDo(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool not installed at /usr/bin/promtool");
        double value = 1234567;
        Map<String, String> labels = Map.of("__name__", "disk_free", "instance", "node-1:9100", "job", "node");
        QueryFunc sum = (q, ts) -> List.of(new QueryFunc.Sample(Map.of(), 1234567 + 3000000));
        String ours = new Expander(Expander.alertDefinitions() + ANNOTATION, "__alert_DiskLow",
                Expander.alertData(labels, Map.of(), "", value), 120_000, sum, "").expand();

        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                  - name: g
                    rules:
                      - alert: DiskLow
                        expr: disk_free < 2e6
                        labels: {severity: page}
                        annotations:
                          summary: %s
                """.formatted(yamlQuote(ANNOTATION)), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("test.yml"), """
                rule_files: [rules.yml]
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'disk_free{instance="node-1:9100",job="node"}'
                        values: '1234567x5'
                      - series: 'disk_free{instance="node-2:9100",job="node"}'
                        values: '3000000x5'
                    alert_rule_test:
                      - eval_time: 2m
                        alertname: DiskLow
                        exp_alerts:
                          - exp_labels: {severity: page, instance: "node-1:9100", job: node}
                            exp_annotations:
                              summary: %s
                """.formatted(yamlQuote(ours)), StandardCharsets.UTF_8);

        Process p = new ProcessBuilder(PROMTOOL.toString(), "test", "rules", "test.yml")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("promtool finished").isTrue();
        assertThat(p.exitValue()).as("promtool test rules output:\n%s\nour expansion: %s", out, ours).isZero();
    }

    /** A YAML double-quoted scalar. */
    private static String yamlQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
