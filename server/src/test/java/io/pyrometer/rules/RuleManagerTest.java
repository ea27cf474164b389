package io.pyrometer.rules;

import static io.pyrometer.rules.RuleTestKit.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.pyrometer.model.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedule, reload, staleness of removed rules, `for` restoration and self-metrics (rules/manager.go, group.go). */
class RuleManagerTest {
    @TempDir
    Path dir;

    @Test
    void evalTimestampKeepsAPerGroupPhaseAcrossInstances() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("groups:\n- name: a\n  rules: []\n");
        long interval = g.intervalMs();
        long now = T0 + 12_345;
        long ts = g.evalTimestamp(now);
        assertThat(ts).isLessThanOrEqualTo(now).isGreaterThan(now - interval);
        long phase = Math.floorMod(ts, interval);
        assertThat(Math.floorMod(g.evalTimestamp(now + 7 * interval + 999), interval)).isEqualTo(phase);
        // a restart builds a new group object for the same name and file: same phase
        RuleTestKit k2 = new RuleTestKit(dir);
        RuleGroup again = k2.load("groups:\n- name: a\n  rules: []\n");
        assertThat(again).isNotSameAs(g);
        assertThat(again.evalTimestamp(now)).isEqualTo(ts);
    }

    @Test
    void badRuleFileKeepsTheRunningGroups() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("groups:\n- name: a\n  rules:\n  - record: r\n    expr: up\n");
        assertThatThrownBy(() -> k.load("groups:\n- name: a\n  rules:\n  - record: r\n    expr: up +\n"))
                .isInstanceOf(RuleFileException.class)
                .hasMessageContaining("rules.yml: 5:11: group \"a\", rule 1, \"r\": could not parse expression");
        assertThat(k.manager.groups()).containsExactly(g);
    }

    @Test
    void reloadKeepsUnchangedGroupsAndCarriesAlertStateIntoChangedOnes() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        String v1 = "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: x > 0\n    for: 10m\n";
        RuleGroup g = k.load(v1);
        k.add(T0, 1, "__name__", "x");
        k.evalAt(g, 0);
        assertThat(k.load("# a comment moves nothing that matters\n" + v1)).isSameAs(g);
        RuleGroup changed = k.load(v1 + "  - record: extra\n    expr: x\n");
        assertThat(changed).isNotSameAs(g);
        AlertingRule a = (AlertingRule) changed.rules().getFirst();
        assertThat(a.activeAlerts()).singleElement().satisfies(al -> {
            assertThat(al.activeAtMs()).isEqualTo(T0);
            assertThat(al.state()).isEqualTo(AlertState.PENDING);
        });
        assertThat(a.health()).isEqualTo(RuleHealth.OK);
    }

    @Test
    void removedRulesAndGroupsGetStaleMarkers() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("""
                groups:
                - name: a
                  rules:
                  - record: keep
                    expr: x
                  - record: gone
                    expr: x
                - name: b
                  rules:
                  - record: other
                    expr: x
                """);
        k.add(T0, 1, "__name__", "x");
        k.evalAt(g, 0);
        k.evalAt(k.manager.groups().get(1), 0);
        k.clock.set(T0 + 30_000);
        RuleGroup g2 = k.load("groups:\n- name: a\n  rules:\n  - record: keep\n    expr: x\n");
        assertThat(k.manager.groups()).hasSize(1);
        // group b is removed: the manager is not running, so its markers are written at once, at the clock's time
        assertThat(k.series("other")).containsExactly(Map.entry(Labels.of("__name__", "other"), List.of("0s=1.0", "30s=stale")));
        k.add(T0 + 60_000, 1, "__name__", "x");
        k.evalAt(g2, 60);
        assertThat(k.series("gone")).containsExactly(Map.entry(Labels.of("__name__", "gone"), List.of("0s=1.0", "60s=stale")));
        assertThat(k.series("keep")).containsExactly(Map.entry(Labels.of("__name__", "keep"), List.of("0s=1.0", "60s=1.0")));
    }

    @Test
    void restoresForStateFromAlertsForStateAfterARestart() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        long now = T0 + 3_600_000;
        // before the restart the alert had been pending since now-20m; the server went down at now-1m
        k.add(now - 60_000, (now - 20 * 60_000) / 1000.0, "__name__", "ALERTS_FOR_STATE", "alertname", "Slow", "instance", "i");
        k.add(now, 1, "__name__", "x", "instance", "i");
        RuleGroup g = k.load("groups:\n- name: a\n  rules:\n  - alert: Slow\n    expr: x > 0\n    for: 30m\n");
        k.clock.set(now);
        g.iterate(now);
        g.restoreForState(now);
        AlertingRule rule = (AlertingRule) g.rules().getFirst();
        // 19m were spent pending before the outage: 11m remain (more than the 10m grace period),
        // so activeAt moves forward by the 1m of downtime
        assertThat(rule.activeAlerts().getFirst().activeAtMs()).isEqualTo(now - 19 * 60_000);
    }

    @Test
    void restoreGivesAtLeastTheGracePeriod() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        long now = T0 + 3_600_000;
        k.add(now - 60_000, (now - 28 * 60_000) / 1000.0, "__name__", "ALERTS_FOR_STATE", "alertname", "Slow");
        k.add(now, 1, "__name__", "x");
        RuleGroup g = k.load("groups:\n- name: a\n  rules:\n  - alert: Slow\n    expr: x > 0\n    for: 30m\n");
        k.clock.set(now);
        g.iterate(now);
        g.restoreForState(now);
        AlertingRule rule = (AlertingRule) g.rules().getFirst();
        // 27m spent, 3m remain < 10m grace: fires 10m from now
        assertThat(rule.activeAlerts().getFirst().activeAtMs()).isEqualTo(now + 10 * 60_000 - 30 * 60_000);
    }

    @Test
    void selfMetricsCountIterationsEvaluationsAndFailures() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("groups:\n- name: a\n  interval: 30s\n  rules:\n  - record: r\n    expr: x\n  - record: bad\n    expr: '\"s\"'\n");
        k.add(T0, 1, "__name__", "x");
        k.evalAt(g, 0);
        k.evalAt(g, 30);
        String text = scrape(k);
        String key = dir.resolve("rules.yml") + ";a";
        assertThat(text)
                .contains("prometheus_rule_group_iterations_total{rule_group=\"" + key + "\"} 2.0")
                .contains("prometheus_rule_evaluations_total{rule_group=\"" + key + "\"} 4.0")
                .contains("prometheus_rule_evaluation_failures_total{rule_group=\"" + key + "\"} 2.0")
                .contains("prometheus_rule_group_interval_seconds{rule_group=\"" + key + "\"} 30.0")
                .contains("prometheus_rule_group_rules{rule_group=\"" + key + "\"} 2.0")
                .contains("prometheus_rule_group_last_evaluation_samples{rule_group=\"" + key + "\"} 1.0")
                .contains("prometheus_rule_group_last_evaluation_timestamp_seconds{rule_group=\"" + key + "\"} 1.70000003E9");
    }

    @Test
    void runningManagerEvaluatesOnItsScheduleAndStops() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        // the real clock: a 1s group evaluates within a few seconds
        RuleManager m = new RuleManager(new RuleManager.Options(k.manager.options().queryFunction(), k.storage, k.storage,
                k.sent::addAll, System::currentTimeMillis, new RuleMetrics(new io.prometheus.metrics.model.registry.PrometheusRegistry()),
                60_000, 3_600_000, 600_000, "", io.pyrometer.promql.parser.ParserOptions.DEFAULT));
        Files.writeString(dir.resolve("r.yml"), "groups:\n- name: fast\n  interval: 1s\n  rules:\n  - record: one\n    expr: vector(1)\n");
        m.update(60_000, 0, Labels.EMPTY, List.of(dir.resolve("r.yml").toString()));
        m.start();
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (k.series("one").isEmpty() || k.series("one").values().iterator().next().size() < 2) {
                assertThat(System.nanoTime()).as("two evaluations within 10s").isLessThan(deadline);
                Thread.sleep(50);
            }
            RuleGroup g = m.groups().getFirst();
            assertThat(Math.floorMod(g.lastEvalTimestampMs(), 1000L)).isEqualTo(g.offsetMs());
            assertThat(g.rules().getFirst().health()).isEqualTo(RuleHealth.OK);
        } finally {
            m.close();
        }
    }

    private static String scrape(RuleTestKit k) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, k.registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
