package io.pyrometer.notifier;

import static io.pyrometer.notifier.AlertReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.ConfigLoader;
import io.pyrometer.config.PrometheusConfig;
import io.pyrometer.discovery.DiscoveryManager;
import io.pyrometer.discovery.DiscoveryMetrics;
import io.pyrometer.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier end to end against in-test Alertmanagers: config YAML as a user writes it, static and
 * file discovery, the queue, batching, relabeling, HTTP settings, errors and shutdown, with the
 * behaviour of Prometheus's notifier/notifier_test.go (3.0-3.3) as the reference.
 */
class NotifierTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Notifier notifier;

    @AfterEach
    void closeAll() throws Exception {
        if (notifier != null) notifier.close();
        for (AutoCloseable c : closeables) c.close();
    }

    private AlertReceiver receiver() throws Exception {
        AlertReceiver r = new AlertReceiver();
        closeables.add(r);
        return r;
    }

    private static PrometheusConfig parse(String yaml) throws Exception {
        return ConfigLoader.parse(yaml, Path.of("test.yml"));
    }

    private Notifier start(String yaml, int capacity, boolean drain, int expectedAms) throws Exception {
        notifier = new Notifier(new NotificationManager.Options(capacity, drain, NotificationManager.DEFAULT_MAX_BATCH_SIZE),
                registry, new DiscoveryMetrics(registry), DiscoveryManager.Options.defaults(dir).withUpdateIntervalMs(20));
        notifier.applyConfig(parse(yaml));
        await(expectedAms + " alertmanagers discovered", () -> notifier.alertmanagers().size() == expectedAms);
        return notifier;
    }

    private Notifier start(String yaml, int expectedAms) throws Exception {
        return start(yaml, 10_000, true, expectedAms);
    }

    private static String staticAm(AlertReceiver... rs) {
        StringBuilder sb = new StringBuilder("    - static_configs: [{targets: [");
        for (int i = 0; i < rs.length; i++) sb.append(i > 0 ? ", " : "").append('"').append(rs[i].address()).append('"');
        return sb.append("]}]\n").toString();
    }

    static Alert alert(String name, String... moreLabels) {
        String[] pairs = new String[moreLabels.length + 2];
        pairs[0] = "alertname";
        pairs[1] = name;
        System.arraycopy(moreLabels, 0, pairs, 2, moreLabels.length);
        return new Alert(Labels.of(pairs), Labels.of("summary", "s " + name), T0, 0, "http://prom/graph");
    }

    static List<Alert> alerts(String prefix, int n) {
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(alert(prefix + i));
        return out;
    }

    private static String url(AlertReceiver r) { return "http://" + r.address() + "/api/v2/alerts"; }

    private double metric(String name, String... labels) { return MetricValues.get(registry, name, labels); }

    @Test
    void sendsInBatchesOfAtMost64InQueueOrder() throws Exception {
        AlertReceiver r = receiver();
        start("alerting:\n  alertmanagers:\n" + staticAm(r), 1);
        notifier.send(alerts("a", 150));
        await("150 alerts", () -> r.allAlertNames().size() == 150);
        assertThat(r.list()).extracting(q -> q.alertNames().size()).containsExactly(64, 64, 22);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 150; i++) expected.add("a" + i);
        assertThat(r.allAlertNames()).isEqualTo(expected);
        AlertReceiver.Request first = r.list().getFirst();
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/api/v2/alerts");
        assertThat(first.header("Content-Type")).isEqualTo("application/json");
        assertThat(first.header("User-Agent")).startsWith("Pyrometer/");
        await("metrics", () -> metric("prometheus_notifications_sent_total", "alertmanager", url(r)) == 150);
        assertThat(metric("prometheus_notifications_latency_seconds_count", "alertmanager", url(r))).isEqualTo(3);
        assertThat(metric("prometheus_notifications_errors_total", "alertmanager", url(r))).isZero();
        assertThat(metric("prometheus_notifications_dropped_total")).isZero();
        assertThat(metric("prometheus_notifications_queue_capacity")).isEqualTo(10_000);
        assertThat(metric("prometheus_notifications_alertmanagers_discovered")).isEqualTo(1);
    }

    @Test
    void fullQueueDropsTheOldestAlertsAndCountsThem() throws Exception {
        AlertReceiver r = receiver();
        start("alerting:\n  alertmanagers:\n" + staticAm(r), 10, true, 1);
        r.hold();
        notifier.send(List.of(alert("inflight")));
        await("the first request", () -> r.list().size() == 1);
        notifier.send(alerts("b", 8));
        notifier.send(alerts("c", 5));
        assertThat(metric("prometheus_notifications_queue_length")).isEqualTo(10);
        assertThat(metric("prometheus_notifications_dropped_total")).isEqualTo(3);
        r.release();
        await("the queued alerts", () -> r.allAlertNames().size() == 11);
        assertThat(r.list().get(1).alertNames())
                .containsExactly("b3", "b4", "b5", "b6", "b7", "c0", "c1", "c2", "c3", "c4");
        await("an empty queue", () -> metric("prometheus_notifications_queue_length") == 0);
    }

    @Test
    void aBatchLargerThanTheQueueKeepsItsNewestAlerts() throws Exception {
        AlertReceiver r = receiver();
        start("alerting:\n  alertmanagers:\n" + staticAm(r), 10, true, 1);
        r.hold();
        notifier.send(List.of(alert("inflight")));
        await("the first request", () -> r.list().size() == 1);
        notifier.send(alerts("d", 15));
        assertThat(metric("prometheus_notifications_dropped_total")).isEqualTo(5);
        r.release();
        await("the queued alerts", () -> r.allAlertNames().size() == 11);
        assertThat(r.list().get(1).alertNames()).containsExactly("d5", "d6", "d7", "d8", "d9", "d10", "d11", "d12", "d13", "d14");
    }

    @Test
    void sendNeverWaitsForTheNetwork() throws Exception {
        AlertReceiver r = receiver();
        start("alerting:\n  alertmanagers:\n" + staticAm(r), 100, true, 1);
        r.hold(); // the sender is stuck in a request for up to 30 s
        notifier.send(List.of(alert("inflight")));
        await("the first request", () -> r.list().size() == 1);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 1000; i++) notifier.send(List.of(alert("x" + i)));
        });
        assertThat(metric("prometheus_notifications_queue_length")).isEqualTo(100);
        assertThat(metric("prometheus_notifications_dropped_total")).isEqualTo(900);
        r.release();
    }

    @Test
    void everyAlertmanagerOfEverySetReceivesEveryAlert() throws Exception {
        AlertReceiver r1 = receiver(), r2 = receiver(), r3 = receiver();
        start("alerting:\n  alertmanagers:\n" + staticAm(r1, r2) + staticAm(r3), 3);
        assertThat(notifier.alertmanagers()).containsExactly(url(r1), url(r2), url(r3));
        notifier.send(alerts("a", 3));
        for (AlertReceiver r : List.of(r1, r2, r3)) {
            await("alerts at " + r.address(), () -> r.allAlertNames().size() == 3);
            assertThat(r.allAlertNames()).containsExactly("a0", "a1", "a2");
        }
        assertThat(metric("prometheus_notifications_alertmanagers_discovered")).isEqualTo(3);
    }

    @Test
    void alertRelabelingGlobalThenPerSetDropsAndRewrites() throws Exception {
        AlertReceiver r1 = receiver(), r2 = receiver();
        start("""
                alerting:
                  alert_relabel_configs:
                    - {source_labels: [alertname], regex: drop, action: drop}
                    - {source_labels: [alertname], regex: rename, target_label: alertname, replacement: renamed}
                  alertmanagers:
                    - static_configs: [{targets: ["%s"]}]
                      alert_relabel_configs:
                        - {source_labels: [severity], regex: info, action: drop}
                    - static_configs: [{targets: ["%s"]}]
                """.formatted(r1.address(), r2.address()), 2);
        notifier.send(List.of(alert("drop"), alert("rename"), alert("quiet", "severity", "info")));
        await("alerts at r2", () -> r2.allAlertNames().size() == 2);
        assertThat(r2.allAlertNames()).containsExactly("renamed", "quiet");
        await("alerts at r1", () -> r1.allAlertNames().size() == 1);
        assertThat(r1.allAlertNames()).containsExactly("renamed");
        await("sent counted", () -> metric("prometheus_notifications_sent_total", "alertmanager", url(r1)) == 1);
    }

    @Test
    void setsWhoseRelabelingDropsEverythingAreNotSentTo() throws Exception {
        AlertReceiver r1 = receiver(), r2 = receiver();
        start("""
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ["%s"]}]
                      alert_relabel_configs: [{source_labels: [alertname], regex: "a.*", action: drop}]
                    - static_configs: [{targets: ["%s"]}]
                """.formatted(r1.address(), r2.address()), 2);
        notifier.send(alerts("a", 2));
        notifier.send(List.of(alert("b")));
        await("alerts at r2", () -> r2.allAlertNames().size() == 3);
        await("alerts at r1", () -> r1.allAlertNames().size() == 1);
        assertThat(r1.allAlertNames()).containsExactly("b");
        assertThat(metric("prometheus_notifications_dropped_total")).isZero();
    }

    @Test
    void externalLabelsAreAddedWithoutOverridingAndBeforeRelabeling() throws Exception {
        AlertReceiver r = receiver();
        start("""
                global:
                  external_labels: {cluster: eu, a: b}
                alerting:
                  alert_relabel_configs:
                    - {source_labels: [alertname], regex: externalrelabelthis, target_label: a, replacement: c}
                  alertmanagers:
                    - static_configs: [{targets: ["%s"]}]
                """.formatted(r.address()), 1);
        notifier.send(List.of(alert("test"), alert("own", "cluster", "us"), alert("externalrelabelthis")));
        await("alerts", () -> r.allAlertNames().size() == 3);
        var body = r.list().getFirst().json();
        assertThat(body.get(0).get("labels").toString()).isEqualTo("{\"a\":\"b\",\"alertname\":\"test\",\"cluster\":\"eu\"}");
        assertThat(body.get(1).get("labels").toString()).isEqualTo("{\"a\":\"b\",\"alertname\":\"own\",\"cluster\":\"us\"}");
        assertThat(body.get(2).get("labels").toString()).isEqualTo("{\"a\":\"c\",\"alertname\":\"externalrelabelthis\",\"cluster\":\"eu\"}");
    }

    @Test
    void httpClientSettingsAuthenticateEachSet() throws Exception {
        AlertReceiver basic = receiver(), bearer = receiver(), header = receiver();
        Path token = Files.writeString(dir.resolve("token"), "from-file\n");
        start("""
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ["%s"]}]
                      basic_auth: {username: user, password: pass}
                    - static_configs: [{targets: ["%s"]}]
                      authorization: {credentials_file: %s}
                    - static_configs: [{targets: ["%s"]}]
                      http_headers: {X-Scope-OrgID: {values: [tenant-1]}}
                """.formatted(basic.address(), bearer.address(), token, header.address()), 3);
        notifier.send(List.of(alert("a")));
        for (AlertReceiver r : List.of(basic, bearer, header)) await("a request", () -> r.list().size() == 1);
        assertThat(basic.list().getFirst().header("Authorization")).isEqualTo("Basic dXNlcjpwYXNz");
        assertThat(bearer.list().getFirst().header("Authorization")).isEqualTo("Bearer from-file");
        assertThat(header.list().getFirst().header("X-Scope-OrgID")).isEqualTo("tenant-1");
        assertThat(header.list().getFirst().header("Authorization")).isNull();
    }

    @Test
    void errorStatusesAreCountedAndABatchNoAlertmanagerOfASetTookIsDropped() throws Exception {
        AlertReceiver bad = receiver(), good = receiver(), alone = receiver();
        alone.status(500);
        bad.status(404);
        start("alerting:\n  alertmanagers:\n" + staticAm(bad, good) + staticAm(alone), 3);
        notifier.send(alerts("a", 2));
        await("errors", () -> metric("prometheus_notifications_errors_total", "alertmanager", url(alone)) == 2);
        await("errors", () -> metric("prometheus_notifications_errors_total", "alertmanager", url(bad)) == 2);
        assertThat(metric("prometheus_notifications_errors_total", "alertmanager", url(good))).isZero();
        // as Prometheus: sent counts attempts, errors or not
        await("sent counted", () -> metric("prometheus_notifications_sent_total", "alertmanager", url(alone)) == 2);
        // the second set had no Alertmanager accepting the batch
        await("dropped", () -> metric("prometheus_notifications_dropped_total") == 2);
    }

    @Test
    void unreachableAlertmanagersAreErrorsNotHangs() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        AlertReceiver good = receiver();
        start("alerting:\n  alertmanagers:\n    - static_configs: [{targets: [\"127.0.0.1:" + closedPort + "\", \""
                + good.address() + "\"]}]\n", 2);
        notifier.send(List.of(alert("a")));
        String dead = "http://127.0.0.1:" + closedPort + "/api/v2/alerts";
        await("an error", () -> metric("prometheus_notifications_errors_total", "alertmanager", dead) == 1);
        await("delivery", () -> good.allAlertNames().size() == 1);
        assertThat(metric("prometheus_notifications_dropped_total")).isZero();
    }

    @Test
    void timeoutBoundsEachRequestAndTheQueueMovesOn() throws Exception {
        AlertReceiver slow = receiver();
        slow.delay(10_000);
        start("""
                alerting:
                  alertmanagers:
                    - timeout: 300ms
                      static_configs: [{targets: ["%s"]}]
                """.formatted(slow.address()), 1);
        long t0 = System.nanoTime();
        notifier.send(List.of(alert("slow")));
        await("a timeout error", () -> metric("prometheus_notifications_errors_total", "alertmanager", url(slow)) == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        await("the batch counted as dropped", () -> metric("prometheus_notifications_dropped_total") == 1);
        slow.delay(0);
        notifier.send(List.of(alert("fast")));
        await("the next alert", () -> slow.allAlertNames().contains("fast"));
    }

    @Test
    void pathPrefixAndTargetRelabelingShapeTheUrl() throws Exception {
        AlertReceiver r1 = receiver(), r2 = receiver(), r3 = receiver();
        start("""
                alerting:
                  alertmanagers:
                    - path_prefix: /am/sub/
                      static_configs: [{targets: ["%s"]}]
                    - static_configs: [{targets: ["%s", "%s"]}]
                      relabel_configs:
                        - {source_labels: [__address__], regex: "%s", action: drop}
                        - {target_label: __alerts_path__, replacement: /custom/api/v2/alerts}
                """.formatted(r1.address(), r2.address(), r3.address(), r3.address().replace(".", "\\\\.")), 2);
        assertThat(notifier.alertmanagers()).containsExactly(
                "http://" + r1.address() + "/am/sub/api/v2/alerts", "http://" + r2.address() + "/custom/api/v2/alerts");
        assertThat(notifier.droppedAlertmanagers()).containsExactly(url(r3));
        notifier.send(List.of(alert("a")));
        await("r1", () -> r1.list().size() == 1);
        await("r2", () -> r2.list().size() == 1);
        assertThat(r1.list().getFirst().path()).isEqualTo("/am/sub/api/v2/alerts");
        assertThat(r2.list().getFirst().path()).isEqualTo("/custom/api/v2/alerts");
        assertThat(r3.list()).isEmpty();
    }

    @Test
    void fileDiscoveryAndReloadsKeepAlertmanagersCurrent() throws Exception {
        AlertReceiver r1 = receiver(), r2 = receiver();
        Path sd = dir.resolve("am.json");
        Files.writeString(sd, "[{\"targets\": [\"" + r1.address() + "\"]}]");
        String yaml = """
                alerting:
                  alertmanagers:
                    - file_sd_configs: [{files: ["%s"], refresh_interval: 1s}]
                %s""";
        start(yaml.formatted(sd, ""), 1);
        assertThat(notifier.alertmanagers()).containsExactly(url(r1));
        // a reload that changes only alert relabeling keeps the discovered Alertmanagers at once
        notifier.applyConfig(parse(yaml.formatted(sd, "      alert_relabel_configs: [{source_labels: [x], regex: y, action: drop}]\n")));
        assertThat(notifier.alertmanagers()).containsExactly(url(r1));
        Path tmp = dir.resolve("am.json.tmp");
        Files.writeString(tmp, "[{\"targets\": [\"" + r2.address() + "\"]}]");
        Files.move(tmp, sd, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        await("r2 discovered", () -> notifier.alertmanagers().equals(List.of(url(r2))));
        notifier.send(List.of(alert("a")));
        await("r2 receives", () -> r2.list().size() == 1);
        assertThat(r1.list()).isEmpty();
        // removing the section stops sending
        notifier.applyConfig(parse("global: {}\n"));
        assertThat(notifier.alertmanagers()).isEmpty();
        assertThat(metric("prometheus_notifications_sent_total", "alertmanager", url(r2))).isNaN();
    }

    @Test
    void httpDiscoveryWithGroupLabelsFeedsRelabeling() throws Exception {
        AlertReceiver r1 = receiver(), r2 = receiver();
        com.sun.net.httpserver.HttpServer sd = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] groups = ("[{\"targets\": [\"" + r1.address() + "\"], \"labels\": {\"tier\": \"primary\"}},"
                + " {\"targets\": [\"" + r2.address() + "\"], \"labels\": {\"tier\": \"standby\"}}]")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        sd.createContext("/sd", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, groups.length);
            ex.getResponseBody().write(groups);
            ex.close();
        });
        sd.start();
        closeables.add(() -> sd.stop(0));
        start("""
                alerting:
                  alertmanagers:
                    - http_sd_configs: [{url: "http://127.0.0.1:%d/sd"}]
                      relabel_configs: [{source_labels: [tier], regex: standby, action: drop}]
                """.formatted(sd.getAddress().getPort()), 1);
        assertThat(notifier.alertmanagers()).containsExactly(url(r1));
        assertThat(notifier.droppedAlertmanagers()).containsExactly(url(r2));
        notifier.send(List.of(alert("a")));
        await("r1", () -> r1.list().size() == 1);
        assertThat(r2.list()).isEmpty();
    }

    @Test
    void unusableHttpSettingsRejectTheConfigAndKeepTheRunningOne() throws Exception {
        AlertReceiver r = receiver();
        start("alerting:\n  alertmanagers:\n" + staticAm(r), 1);
        PrometheusConfig bad = parse("""
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ["%s"]}]
                      tls_config: {ca_file: %s}
                """.formatted(r.address(), dir.resolve("missing-ca.pem")));
        assertThatThrownBy(() -> notifier.applyConfig(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alerting.alertmanagers[0]").hasMessageContaining("missing-ca.pem");
        notifier.send(List.of(alert("still")));
        await("delivery with the old config", () -> r.allAlertNames().equals(List.of("still")));
    }

    @Test
    void shutdownDrainsTheQueueByDefault() throws Exception {
        AlertReceiver r = receiver();
        start("alerting:\n  alertmanagers:\n" + staticAm(r), 1000, true, 1);
        r.hold();
        notifier.send(List.of(alert("inflight")));
        await("the first request", () -> r.list().size() == 1);
        notifier.send(alerts("q", 100));
        Thread closer = Thread.ofVirtual().start(notifier::close);
        notifier.send(List.of(alert("after-close"))); // may race with close: then it is queued and drained
        r.release();
        closer.join(20_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(r.allAlertNames()).hasSizeGreaterThanOrEqualTo(101).contains("q0", "q99");
        assertThat(r.list()).extracting(q -> q.alertNames().size()).startsWith(1, 64);
        notifier = null;
    }

    @Test
    void shutdownWithoutDrainingDropsAndCountsTheQueue() throws Exception {
        AlertReceiver r = receiver();
        start("alerting:\n  alertmanagers:\n" + staticAm(r), 1000, false, 1);
        r.hold();
        notifier.send(List.of(alert("inflight")));
        await("the first request", () -> r.list().size() == 1);
        notifier.send(alerts("q", 100));
        Thread closer = Thread.ofVirtual().start(notifier::close);
        r.release();
        closer.join(20_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(r.allAlertNames()).containsExactly("inflight");
        assertThat(metric("prometheus_notifications_dropped_total")).isEqualTo(100);
        notifier.send(List.of(alert("ignored")));
        assertThat(metric("prometheus_notifications_queue_length")).isZero();
        notifier = null;
    }
}
