package io.pyrometer.alerting.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.alerting.AlertRouter;
import io.pyrometer.alerting.ManualScheduler;
import io.pyrometer.alerting.RecordingIntegration;
import io.pyrometer.alerting.RecordingIntegration.Sent;
import io.pyrometer.alerting.RouterMetrics;
import io.pyrometer.alerting.config.AlertmanagerConfigLoader;
import io.pyrometer.alerting.config.Matcher;
import io.pyrometer.alerting.silence.Silence;
import io.pyrometer.alerting.types.Alert;
import io.pyrometer.model.Labels;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grouping, timers, dedup, routing, inhibition and silences, on a manual clock. */
class DispatchTest {
    static final long T0 = 1_700_000_000_000L;
    static final long S = 1000, M = 60 * S, H = 60 * M;

    final ManualScheduler clock = new ManualScheduler(T0);
    final Map<String, RecordingIntegration> sinks = new HashMap<>();

    AlertRouter router(String yaml, Path dir) throws Exception {
        AlertRouter r = new AlertRouter(new AlertRouter.Options(dir, 120 * H, "http://am.example"), clock,
                new RouterMetrics(new PrometheusRegistry()),
                (rc, c) -> List.of(sinks.computeIfAbsent(rc.name(), n -> new RecordingIntegration(!n.endsWith("-nores")))));
        r.apply(AlertmanagerConfigLoader.parse(yaml, Path.of("am.yml")));
        return r;
    }

    static Alert alert(String... kv) { return Alert.of(Labels.of(kv), Labels.EMPTY, 0, 0, "", 0, false); }

    static Alert resolved(long endsAt, String... kv) { return Alert.of(Labels.of(kv), Labels.EMPTY, 0, endsAt, "", 0, false); }

    /** Re-posts the alerts every minute for {@code forMs}, as Prometheus re-sends firing alerts. */
    void repost(AlertRouter r, long forMs, Alert... alerts) {
        for (long t = 0; t < forMs; t += M) {
            r.receive(List.of(alerts));
            clock.advance(M);
        }
    }

    static final String BASIC = """
            route:
              receiver: team
              group_by: [cluster]
              group_wait: 30s
              group_interval: 5m
              repeat_interval: 4h
            receivers:
              - name: team
            """;

    @Test
    void firstNotificationAfterGroupWaitThenNewAlertsAtGroupInterval() throws Exception {
        AlertRouter r = router(BASIC, null);
        r.receive(List.of(alert("alertname", "A", "cluster", "c1")));
        clock.advance(29 * S);
        assertThat(sinks.get("team").sent).isEmpty();
        clock.advance(1 * S);
        assertThat(sinks.get("team").sent).extracting(Sent::firing).containsExactly(List.of("A"));
        assertThat(sinks.get("team").sent.getFirst().groupKey()).isEqualTo("{}:{cluster=\"c1\"}");
        // a second alert joins the group: sent at the next group_interval tick, not before
        clock.advance(1 * M);
        r.receive(List.of(alert("alertname", "A", "cluster", "c1"), alert("alertname", "B", "cluster", "c1")));
        clock.advance(3 * M + 59 * S);
        assertThat(sinks.get("team").sent).hasSize(1);
        clock.advance(1 * S);
        assertThat(sinks.get("team").sent).hasSize(2);
        assertThat(sinks.get("team").sent.get(1).firing()).containsExactly("A", "B");
        assertThat(sinks.get("team").sent.get(1).atMs()).isEqualTo(T0 + 30 * S + 5 * M);
    }

    @Test
    void unchangedGroupIsRepeatedOnlyAfterRepeatInterval() throws Exception {
        AlertRouter r = router(BASIC, null);
        for (long t = 0; t < 5 * H; t += M) {
            r.receive(List.of(alert("alertname", "A", "cluster", "c1")));
            clock.advance(M);
        }
        // sent at 30s, then at the first group_interval tick after 4h since that send: 30s + 4h5m
        assertThat(sinks.get("team").sent).extracting(Sent::atMs).containsExactly(T0 + 30 * S, T0 + 30 * S + 4 * H + 5 * M);
    }

    @Test
    void resolvedIsSentWhenSendResolvedAndGroupIsRemoved() throws Exception {
        AlertRouter r = router(BASIC, null);
        r.receive(List.of(alert("alertname", "A", "cluster", "c1")));
        clock.advance(30 * S);
        r.receive(List.of(resolved(clock.nowMs(), "alertname", "A", "cluster", "c1")));
        clock.advance(5 * M);
        assertThat(sinks.get("team").sent).extracting(Sent::resolved).containsExactly(List.of(), List.of("A"));
        assertThat(r.groups()).isEmpty();
        clock.advance(4 * H);
        assertThat(sinks.get("team").sent).hasSize(2);
    }

    @Test
    void resolvedIsNotSentWithoutSendResolvedButLoggedSoNoRepeat() throws Exception {
        AlertRouter r = router(BASIC.replace("team", "team-nores"), null);
        r.receive(List.of(alert("alertname", "A", "cluster", "c1")));
        clock.advance(30 * S);
        r.receive(List.of(resolved(clock.nowMs(), "alertname", "A", "cluster", "c1")));
        clock.advance(5 * M);
        assertThat(sinks.get("team-nores").sent).hasSize(1);
        assertThat(r.groups()).isEmpty();
    }

    @Test
    void alertWithoutEndResolvesAfterResolveTimeout() throws Exception {
        AlertRouter r = router("global: {resolve_timeout: 10m}\n" + BASIC, null);
        r.receive(List.of(alert("alertname", "A", "cluster", "c1")));
        clock.advance(30 * S);
        clock.advance(10 * M); // not re-sent: resolves at 10m; ticks at 5m30s (firing, no change), 10m30s (resolved)
        assertThat(sinks.get("team").sent).extracting(Sent::resolved).containsExactly(List.of(), List.of("A"));
    }

    @Test
    void continueRoutesToSeveralReceiversAndOtherwiseFirstMatchWins() throws Exception {
        AlertRouter r = router("""
                route:
                  receiver: default
                  group_wait: 1s
                  routes:
                    - matchers: ['severity="page"']
                      receiver: pager
                      continue: true
                    - match_re: {team: 'db|infra'}
                      receiver: db
                    - matchers: [team=~".+"]
                      receiver: other
                receivers:
                  - name: default
                  - name: pager
                  - name: db
                  - name: other
                """, null);
        r.receive(List.of(alert("alertname", "X", "severity", "page", "team", "db"),
                alert("alertname", "Y", "team", "web"), alert("alertname", "Z")));
        clock.advance(1 * S);
        assertThat(sinks.get("pager").sent).extracting(Sent::firing).containsExactly(List.of("X"));
        assertThat(sinks.get("db").sent).extracting(Sent::firing).containsExactly(List.of("X"));
        assertThat(sinks.get("other").sent).extracting(Sent::firing).containsExactly(List.of("Y"));
        assertThat(sinks.get("default").sent).extracting(Sent::firing).containsExactly(List.of("Z"));
        assertThat(sinks.get("db").sent.getFirst().groupKey()).isEqualTo("{}/{team=~\"db|infra\"}:{}");
    }

    @Test
    void groupByAllMakesOneGroupPerLabelSet() throws Exception {
        AlertRouter r = router(BASIC.replace("[cluster]", "['...']"), null);
        r.receive(List.of(alert("alertname", "A", "cluster", "c1"), alert("alertname", "B", "cluster", "c1")));
        clock.advance(30 * S);
        assertThat(sinks.get("team").sent).extracting(Sent::groupKey)
                .containsExactlyInAnyOrder("{}:{alertname=\"A\", cluster=\"c1\"}", "{}:{alertname=\"B\", cluster=\"c1\"}");
    }

    @Test
    void inhibitionMutesTargetsWithEqualLabelsButNeverTheSourceItself() throws Exception {
        AlertRouter r = router(BASIC.replace("[cluster]", "[alertname]") + """
                inhibit_rules:
                  - source_matchers: [severity="critical"]
                    target_matchers: [severity=~"warning|critical"]
                    equal: [cluster]
                """, null);
        r.receive(List.of(alert("alertname", "Crit", "severity", "critical", "cluster", "c1"),
                alert("alertname", "Warn", "severity", "warning", "cluster", "c1"),
                alert("alertname", "Warn2", "severity", "warning", "cluster", "c2")));
        clock.advance(30 * S);
        assertThat(sinks.get("team").sent).extracting(Sent::firing)
                .containsExactlyInAnyOrder(List.of("Crit"), List.of("Warn2"));
        Alert warn = r.alerts().stream().filter(a -> a.labels().get("alertname").equals("Warn")).findFirst().orElseThrow();
        Alert crit = r.alerts().stream().filter(a -> a.labels().get("alertname").equals("Crit")).findFirst().orElseThrow();
        assertThat(r.status(warn).inhibitedBy()).containsExactly(crit.fingerprintHex());
        assertThat(r.status(crit).state()).isEqualTo("active");
    }

    @Test
    void silencedAlertsAreNotSentAndExpiringTheSilenceSendsThem() throws Exception {
        AlertRouter r = router(BASIC, null);
        String id = r.silences().set(new Silence("", List.of(Matcher.of(Matcher.Type.RE, "alertname", "A|B")),
                clock.nowMs(), clock.nowMs() + H, 0, "me", "maintenance"));
        r.receive(List.of(alert("alertname", "A", "cluster", "c1"), alert("alertname", "C", "cluster", "c1")));
        clock.advance(30 * S);
        assertThat(sinks.get("team").sent).extracting(Sent::firing).containsExactly(List.of("C"));
        assertThat(r.status(r.alerts().stream().filter(a -> a.labels().get("alertname").equals("A")).findFirst().orElseThrow())
                .silencedBy()).containsExactly(id);
        r.silences().expire(id);
        repost(r, 5 * M, alert("alertname", "A", "cluster", "c1"), alert("alertname", "C", "cluster", "c1"));
        assertThat(sinks.get("team").sent).extracting(Sent::firing).containsExactly(List.of("C"), List.of("A", "C"));
    }

    @Test
    void muteTimeIntervalsSuppressAndActiveTimeIntervalsGate() throws Exception {
        // T0 is 2023-11-14T22:13:20Z, a Tuesday
        AlertRouter r = router("""
                route:
                  receiver: a
                  group_wait: 1s
                  routes:
                    - matchers: [k="mute"]
                      receiver: a
                      mute_time_intervals: [tuesday]
                    - matchers: [k="active"]
                      receiver: b
                      active_time_intervals: [tuesday]
                    - matchers: [k="inactive"]
                      receiver: c
                      active_time_intervals: [weekend]
                receivers: [{name: a}, {name: b}, {name: c}]
                time_intervals:
                  - name: tuesday
                    time_intervals: [{weekdays: [tuesday], times: [{start_time: '22:00', end_time: '23:00'}]}]
                  - name: weekend
                    time_intervals: [{weekdays: [saturday, sunday]}]
                """, null);
        r.receive(List.of(alert("alertname", "M", "k", "mute"), alert("alertname", "A", "k", "active"),
                alert("alertname", "I", "k", "inactive")));
        clock.advance(1 * S);
        assertThat(sinks.get("a").sent).isEmpty();
        assertThat(sinks.get("b").sent).extracting(Sent::firing).containsExactly(List.of("A"));
        assertThat(sinks.get("c").sent).isEmpty();
    }

    @Test
    void failedNotificationsAreRetriedAndNotLoggedUntilSuccess() throws Exception {
        AlertRouter r = new AlertRouter(new AlertRouter.Options(null, H, "", () -> 0, ms -> clock.advance(0)), clock,
                new RouterMetrics(new PrometheusRegistry()), (rc, c) -> List.of(sinks.computeIfAbsent(rc.name(), n -> new RecordingIntegration(true))));
        r.apply(AlertmanagerConfigLoader.parse(BASIC, Path.of("am.yml")));
        r.receive(List.of(alert("alertname", "A", "cluster", "c1")));
        sinks.get("team").failNext = 2;
        clock.advance(30 * S);
        assertThat(sinks.get("team").sent).hasSize(1);
        assertThat(r.nflog().entries()).hasSize(1);
    }

    @Test
    void restartWithSameStorageSendsNoDuplicateWithinRepeatInterval(@TempDir Path dir) throws Exception {
        AlertRouter r = router(BASIC, dir);
        r.receive(List.of(alert("alertname", "A", "cluster", "c1")));
        clock.advance(30 * S);
        assertThat(sinks.get("team").sent).hasSize(1);
        r.close();
        sinks.clear();
        AlertRouter r2 = router(BASIC, dir); // as after kill -9: the nflog snapshot is what survives
        repost(r2, 3 * H, alert("alertname", "A", "cluster", "c1"));
        assertThat(sinks.get("team").sent).isEmpty();
    }
}
