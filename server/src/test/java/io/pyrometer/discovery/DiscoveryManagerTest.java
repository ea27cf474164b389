package io.pyrometer.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.FileSdConfig;
import io.pyrometer.config.ServiceDiscoveryConfigs;
import io.pyrometer.config.StaticConfig;
import io.pyrometer.model.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryManagerTest {
    @TempDir Path dir;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final DiscoveryMetrics metrics = new DiscoveryMetrics(registry);
    private final BlockingQueue<Map<String, List<TargetGroup>>> deliveries = new LinkedBlockingQueue<>();
    private DiscoveryManager manager;

    @AfterEach
    void close() {
        if (manager != null) manager.close();
    }

    private DiscoveryManager manager(long updateIntervalMs) {
        manager = new DiscoveryManager("scrape", metrics, deliveries::add,
                DiscoveryManager.Options.defaults(dir).withUpdateIntervalMs(updateIntervalMs));
        return manager;
    }

    private static ServiceDiscoveryConfigs statics(String... targets) {
        return new ServiceDiscoveryConfigs(List.of(new StaticConfig(List.of(targets), Labels.of("env", "test"))),
                List.of(), List.of(), List.of());
    }

    private static ServiceDiscoveryConfigs files(String... patterns) {
        return new ServiceDiscoveryConfigs(List.of(), List.of(new FileSdConfig(List.of(patterns), 60_000)), List.of(), List.of());
    }

    private Map<String, List<TargetGroup>> awaitDelivery(Predicate<Map<String, List<TargetGroup>>> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Map<String, List<TargetGroup>> last = null;
        while (System.nanoTime() < deadline) {
            Map<String, List<TargetGroup>> d = deliveries.poll(100, TimeUnit.MILLISECONDS);
            if (d == null) continue;
            last = d;
            if (p.test(d)) return d;
        }
        throw new AssertionError("no matching delivery; last was " + last);
    }

    private static List<String> addresses(List<TargetGroup> groups) {
        return groups.stream().flatMap(g -> g.targets().stream()).map(l -> l.get("__address__")).toList();
    }

    private void write(String name, String content) throws Exception {
        Path tmp = Files.createTempFile(dir.resolve(".."), "sd", ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void deliversEveryPoolsGroupsWithStaticSourcesAndLabels() throws Exception {
        write("t.json", "[{\"targets\": [\"f:1\"]}]");
        Map<String, ServiceDiscoveryConfigs> cfg = new LinkedHashMap<>();
        cfg.put("node", statics("a:9100", "b:9100"));
        cfg.put("file", files("*.json"));
        cfg.put("empty", ServiceDiscoveryConfigs.EMPTY);
        manager(50).applyConfig(cfg);

        Map<String, List<TargetGroup>> d = awaitDelivery(m -> m.get("node").size() == 1 && m.get("file").size() == 1);
        assertThat(d).containsOnlyKeys("node", "file", "empty");
        assertThat(d.get("empty")).isEmpty();
        TargetGroup g = d.get("node").getFirst();
        assertThat(g.source()).isEqualTo("0");
        assertThat(g.labels()).isEqualTo(Labels.of("env", "test"));
        assertThat(addresses(d.get("node"))).containsExactly("a:9100", "b:9100");
        assertThat(addresses(d.get("file"))).containsExactly("f:1");
    }

    @Test
    void reloadRestartsOnlyChangedPoolsAndDropsRemovedOnes() throws Exception {
        Map<String, ServiceDiscoveryConfigs> cfg = new LinkedHashMap<>();
        cfg.put("keep", statics("k:1"));
        cfg.put("change", statics("c:1"));
        cfg.put("remove", statics("r:1"));
        manager(20).applyConfig(cfg);
        awaitDelivery(m -> m.values().stream().allMatch(l -> !l.isEmpty()));
        assertThat(metrics.receivedUpdates.labelValues("scrape").get()).isEqualTo(3);

        Map<String, ServiceDiscoveryConfigs> next = new LinkedHashMap<>();
        next.put("keep", statics("k:1"));          // equal: keeps running, no new update
        next.put("change", statics("c:2"));
        manager.applyConfig(next);
        Map<String, List<TargetGroup>> d = awaitDelivery(m -> addresses(m.getOrDefault("change", List.of())).equals(List.of("c:2")));

        assertThat(d).containsOnlyKeys("keep", "change");
        assertThat(addresses(d.get("keep"))).containsExactly("k:1");
        assertThat(metrics.receivedUpdates.labelValues("scrape").get()).as("only the changed pool restarted").isEqualTo(4);
        assertThat(exposition()).doesNotContain("config=\"remove\"");
    }

    @Test
    void updatesAreDebouncedToTheUpdateInterval() throws Exception {
        write("t.json", "[{\"targets\": [\"v:0\"]}]");
        manager(700).applyConfig(Map.of("file", files("t.json")));
        awaitDelivery(m -> addresses(m.get("file")).equals(List.of("v:0")));
        long start = System.nanoTime();
        for (int i = 1; i <= 10; i++) {
            write("t.json", "[{\"targets\": [\"v:" + i + "\"]}]");
            Thread.sleep(30);
        }
        awaitDelivery(m -> addresses(m.get("file")).equals(List.of("v:10")));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        // ten rewrites in ~300 ms: at most one delivery per 700 ms, yet the last state arrives
        assertThat(metrics.updates.labelValues("scrape").get()).isLessThanOrEqualTo(2 + elapsedMs / 700 + 1);
        assertThat(metrics.receivedUpdates.labelValues("scrape").get()).isGreaterThan(metrics.updates.labelValues("scrape").get());
    }

    @Test
    void aConfigThatCannotStartIsCountedAndTheOthersRun() throws Exception {
        Map<String, ServiceDiscoveryConfigs> cfg = new LinkedHashMap<>();
        cfg.put("bad", files("[.json"));
        cfg.put("good", statics("g:1"));
        manager(20).applyConfig(cfg);
        Map<String, List<TargetGroup>> d = awaitDelivery(m -> !m.get("good").isEmpty());
        assertThat(d.get("bad")).isEmpty();
        assertThat(metrics.failedConfigs.labelValues("scrape").get()).isEqualTo(1);
    }

    @Test
    void exposesPrometheusNamedSelfMetrics() throws Exception {
        manager(20).applyConfig(Map.of("node", statics("a:1", "b:1")));
        awaitDelivery(m -> !m.get("node").isEmpty());
        Thread.sleep(50); // the gauge is set right before the listener runs
        String text = exposition();
        assertThat(text).contains("prometheus_sd_discovered_targets{config=\"node\",name=\"scrape\"} 2.0");
        assertThat(text).contains("prometheus_sd_failed_configs{name=\"scrape\"} 0.0");
        assertThat(text).contains("prometheus_sd_received_updates_total{name=\"scrape\"} 1.0");
        assertThat(text).contains("prometheus_sd_updates_total{name=\"scrape\"}");
        assertThat(text).contains("prometheus_sd_file_read_errors_total 0.0", "prometheus_sd_http_failures_total 0.0",
                "prometheus_sd_dns_lookups_total 0.0", "prometheus_sd_dns_lookup_failures_total 0.0",
                "prometheus_sd_file_scan_duration_seconds_count");
    }

    @Test
    void closeIsIdempotentAndStopsDiscoverers() throws Exception {
        write("t.json", "[{\"targets\": [\"v:0\"]}]");
        manager(20).applyConfig(Map.of("file", files("t.json")));
        awaitDelivery(m -> !m.get("file").isEmpty());
        manager.close();
        manager.close();
        deliveries.clear();
        write("t.json", "[{\"targets\": [\"v:1\"]}]");
        assertThat(deliveries.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    private String exposition() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
