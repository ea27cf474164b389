package io.pyrometer.rules;

import static io.pyrometer.rules.RuleTestKit.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.Labels;
import io.pyrometer.notifier.Alert;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording and alerting rule semantics of Prometheus's rules/group.go, recording.go and alerting.go. */
class RuleEvaluationTest {
    @TempDir
    Path dir;

    @Test
    void recordingRuleWritesRenamedRelabelledSeriesAndMarksVanishedOnesStale() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("""
                groups:
                - name: rec
                  labels: {team: infra}
                  rules:
                  - record: job:up:sum
                    expr: sum by (job) (up)
                    labels: {env: prod}
                """);
        k.add(T0, 1, "__name__", "up", "job", "a", "instance", "1");
        k.add(T0, 1, "__name__", "up", "job", "a", "instance", "2");
        k.add(T0, 0, "__name__", "up", "job", "b", "instance", "3");
        k.evalAt(g, 0);
        k.add(T0 + 360_000, 1, "__name__", "up", "job", "a", "instance", "1"); // job b is gone after the 5m lookback
        k.evalAt(g, 360);
        assertThat(k.series("job:up:sum")).containsExactly(
                Map.entry(Labels.of("__name__", "job:up:sum", "env", "prod", "job", "a", "team", "infra"), List.of("0s=2.0", "360s=1.0")),
                Map.entry(Labels.of("__name__", "job:up:sum", "env", "prod", "job", "b", "team", "infra"), List.of("0s=0.0", "360s=stale")));
        assertThat(g.rules().getFirst().health()).isEqualTo(RuleHealth.OK);
        assertThat(g.rules().getFirst().lastError()).isEmpty();
        assertThat(g.lastEvalTimestampMs()).isEqualTo(T0 + 360_000);
    }

    @Test
    void scalarResultIsRecordedWithoutLabelsAndNonVectorFails() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("""
                groups:
                - name: g
                  rules:
                  - record: answer
                    expr: "42"
                  - record: str
                    expr: '"text"'
                """);
        k.evalAt(g, 0);
        assertThat(k.series("answer")).containsExactly(Map.entry(Labels.of("__name__", "answer"), List.of("0s=42.0")));
        assertThat(g.rules().get(1).health()).isEqualTo(RuleHealth.ERR);
        assertThat(g.rules().get(1).lastError()).isEqualTo("rule result is not a vector or scalar");
    }

    @Test
    void queryOffsetShiftsQueryAndSampleTime() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("""
                groups:
                - name: g
                  query_offset: 1m
                  rules:
                  - record: copy
                    expr: x
                """);
        k.add(T0, 1, "__name__", "x");
        k.add(T0 + 60_000, 2, "__name__", "x");
        k.evalAt(g, 120);
        assertThat(k.series("copy")).containsExactly(Map.entry(Labels.of("__name__", "copy"), List.of("60s=2.0")));
    }

    @Test
    void groupLimitFailsTheRuleAndWritesNothing() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("""
                groups:
                - name: g
                  limit: 1
                  rules:
                  - record: copy
                    expr: x
                  - alert: Many
                    expr: x > 0
                """);
        k.add(T0, 1, "__name__", "x", "i", "1");
        k.add(T0, 1, "__name__", "x", "i", "2");
        k.evalAt(g, 0);
        assertThat(k.series("copy")).isEmpty();
        assertThat(g.rules().get(0).health()).isEqualTo(RuleHealth.ERR);
        assertThat(g.rules().get(0).lastError()).isEqualTo("exceeded limit of 1 with 2 series");
        assertThat(g.rules().get(1).lastError()).isEqualTo("exceeded limit of 1 with 2 alerts");
        assertThat(((AlertingRule) g.rules().get(1)).activeAlerts()).isEmpty();
    }

    @Test
    void duplicateOutputLabelsetFails() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("""
                groups:
                - name: g
                  rules:
                  - record: same
                    expr: x
                    labels: {i: fixed}
                """);
        k.add(T0, 1, "__name__", "x", "i", "1");
        k.add(T0, 1, "__name__", "x", "i", "2");
        k.evalAt(g, 0);
        assertThat(g.rules().getFirst().lastError()).isEqualTo("vector contains metrics with the same labelset after applying rule labels");
    }

    @Test
    void alertGoesPendingFiringResolvedAndIsSentAsPrometheusSendsIt() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("""
                groups:
                - name: alerts
                  rules:
                  - alert: Down
                    expr: up == 0
                    for: 2m
                    labels: {severity: page}
                    annotations: {summary: instance down}
                """);
        AlertingRule rule = (AlertingRule) g.rules().getFirst();
        for (int m = 0; m <= 4; m++) k.add(T0 + m * 60_000L, 0, "__name__", "up", "instance", "x");
        k.evalAt(g, 0);
        g.restoreForState(k.clock.get()); // what the loop does after its first iteration
        assertThat(rule.state()).isEqualTo(AlertState.PENDING);
        assertThat(k.sent).isEmpty();
        k.evalAt(g, 60);
        assertThat(rule.state()).isEqualTo(AlertState.PENDING);
        assertThat(k.sent).isEmpty();
        k.evalAt(g, 120);
        assertThat(rule.state()).isEqualTo(AlertState.FIRING);
        Labels alertLabels = Labels.of("alertname", "Down", "instance", "x", "severity", "page");
        assertThat(k.sent).containsExactly(new Alert(alertLabels, Labels.of("summary", "instance down"), T0 + 120_000,
                T0 + 120_000 + 4 * 60_000, RuleTestKit.EXTERNAL_URL + "/graph?g0.expr=up+%3D%3D+0&g0.tab=1"));
        k.sent.clear();
        k.evalAt(g, 180); // sent 1m ago: not "before" now minus the resend delay
        assertThat(k.sent).isEmpty();
        k.evalAt(g, 240);
        assertThat(k.sent).singleElement().extracting(Alert::endsAtMs).isEqualTo(T0 + 240_000 + 240_000);
        k.sent.clear();
        k.add(T0 + 300_000, 1, "__name__", "up", "instance", "x");
        k.evalAt(g, 300);
        assertThat(rule.state()).isEqualTo(AlertState.INACTIVE);
        assertThat(k.sent).singleElement().satisfies(a -> {
            assertThat(a.endsAtMs()).isEqualTo(T0 + 300_000);
            assertThat(a.startsAtMs()).isEqualTo(T0 + 120_000);
        });
        assertThat(rule.activeAlerts()).singleElement().extracting(AlertingRule.ActiveAlert::state).isEqualTo(AlertState.INACTIVE);

        Labels pending = Labels.of("__name__", "ALERTS", "alertname", "Down", "alertstate", "pending", "instance", "x", "severity", "page");
        Labels firing = pending.toBuilder().set("alertstate", "firing").build();
        Labels forState = Labels.of("__name__", "ALERTS_FOR_STATE", "alertname", "Down", "instance", "x", "severity", "page");
        // not restored at the first evaluation after start: no ALERTS then, as in Prometheus
        assertThat(k.series("ALERTS")).containsOnly(
                Map.entry(pending, List.of("60s=1.0", "120s=stale")),
                Map.entry(firing, List.of("120s=1.0", "180s=1.0", "240s=1.0", "300s=stale")));
        assertThat(k.series("ALERTS_FOR_STATE")).containsExactly(
                Map.entry(forState, List.of("60s=" + (double) (T0 / 1000), "120s=" + (double) (T0 / 1000),
                        "180s=" + (double) (T0 / 1000), "240s=" + (double) (T0 / 1000), "300s=stale")));

        // resolved alerts are re-sent while kept (15 minutes), then dropped
        k.sent.clear();
        k.evalAt(g, 300 + 120);
        assertThat(k.sent).singleElement().extracting(Alert::endsAtMs).isEqualTo(T0 + 300_000);
        k.evalAt(g, 300 + 15 * 60 + 60);
        assertThat(rule.activeAlerts()).isEmpty();
    }

    @Test
    void keepFiringForHoldsAResolvedAlert() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("""
                groups:
                - name: g
                  rules:
                  - alert: Flap
                    expr: x > 0
                    keep_firing_for: 2m
                """);
        AlertingRule rule = (AlertingRule) g.rules().getFirst();
        k.add(T0, 1, "__name__", "x");
        k.evalAt(g, 0);
        assertThat(rule.state()).isEqualTo(AlertState.FIRING);
        k.add(T0 + 60_000, 0, "__name__", "x");
        k.evalAt(g, 60);
        assertThat(rule.state()).isEqualTo(AlertState.FIRING);
        assertThat(rule.activeAlerts().getFirst().keepFiringSinceMs()).isEqualTo(T0 + 60_000);
        k.add(T0 + 120_000, 0, "__name__", "x");
        k.evalAt(g, 120);
        assertThat(rule.state()).isEqualTo(AlertState.FIRING);
        k.add(T0 + 180_000, 0, "__name__", "x");
        k.evalAt(g, 180);
        assertThat(rule.state()).isEqualTo(AlertState.INACTIVE);
        assertThat(rule.activeAlerts().getFirst().resolvedAtMs()).isEqualTo(T0 + 180_000);
    }

    @Test
    void pendingAlertThatStopsIsDroppedAtOnce() throws Exception {
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x > 0\n    for: 5m\n");
        k.add(T0, 1, "__name__", "x");
        k.evalAt(g, 0);
        k.add(T0 + 60_000, 0, "__name__", "x");
        k.evalAt(g, 60);
        AlertingRule rule = (AlertingRule) g.rules().getFirst();
        assertThat(rule.activeAlerts()).isEmpty();
        assertThat(k.sent).isEmpty();
    }

    @Test
    void templatesExpandWithLabelsValueAndExternalUrl() throws Exception {
        TemplateEngine.assumePresent();
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("""
                groups:
                - name: g
                  rules:
                  - alert: High
                    expr: x > 0
                    labels: {sev: "{{ if gt $value 10.0 }}page{{ else }}ticket{{ end }}"}
                    annotations:
                      summary: "{{ $labels.instance }} is {{ $value }} see {{ $externalURL }}"
                """);
        k.add(T0, 42, "__name__", "x", "instance", "a:1");
        k.evalAt(g, 0);
        AlertingRule.ActiveAlert a = ((AlertingRule) g.rules().getFirst()).activeAlerts().getFirst();
        assertThat(a.labels().get("sev")).isEqualTo("page");
        assertThat(a.annotations().get("summary")).isEqualTo("a:1 is 42 see " + RuleTestKit.EXTERNAL_URL);
    }

    @Test
    void templateExecutionErrorsShowInTheValueAndNeverStopEvaluation() throws Exception {
        TemplateEngine.assumePresent();
        RuleTestKit k = new RuleTestKit(dir);
        RuleGroup g = k.load("""
                groups:
                - name: g
                  rules:
                  - alert: High
                    expr: x > 0
                    annotations:
                      bad: "{{ index $labels 1 }}"
                  - record: after
                    expr: x
                """);
        k.add(T0, 1, "__name__", "x");
        k.evalAt(g, 0);
        AlertingRule.ActiveAlert a = ((AlertingRule) g.rules().getFirst()).activeAlerts().getFirst();
        assertThat(a.annotations().get("bad")).startsWith("<error expanding template: error executing template __alert_High: template: __alert_High:1:");
        assertThat(g.rules().getFirst().health()).isEqualTo(RuleHealth.OK);
        assertThat(k.series("after")).hasSize(1);
    }
}
