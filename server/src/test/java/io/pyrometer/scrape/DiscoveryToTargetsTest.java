package io.pyrometer.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.FileSdConfig;
import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.ScrapeConfig;
import io.pyrometer.config.ServiceDiscoveryConfigs;
import io.pyrometer.config.StaticConfig;
import io.pyrometer.discovery.DiscoveryManager;
import io.pyrometer.discovery.TargetGroup;
import io.pyrometer.model.Labels;
import io.pyrometer.model.relabel.RelabelConfig;
import io.pyrometer.model.relabel.RelabelConfig.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The path a scrape manager takes: discovery manager delivery, then TargetLabels per group. */
class DiscoveryToTargetsTest {
    @TempDir Path dir;

    private static ScrapeConfig job(String name, ServiceDiscoveryConfigs sd, List<RelabelConfig> relabel) {
        return new ScrapeConfig(name, 15_000, 10_000, "/metrics", "http", Map.of(), false, true, false, true,
                ScrapeConfig.DEFAULT_SCRAPE_PROTOCOLS, "", "", false, false, false, false, 0, 0, 0, 0, 0, 0, 0, 0,
                0, "utf8", "underscores", HttpClientConfig.DEFAULT, sd, relabel, List.of());
    }

    @Test
    void fileTargetsAreRelabeledIntoScrapeLabels() throws Exception {
        Files.writeString(dir.resolve("nodes.yml"), """
                - targets: ['n1:9100', 'n2:9100']
                  labels: {__meta_rack: r7, env: prod}
                - targets: ['skip:9100']
                  labels: {env: dev}
                """);
        List<RelabelConfig> relabel = List.of(
                RelabelConfig.of(List.of("env"), null, "dev", null, null, null, Action.DROP),
                RelabelConfig.of(List.of("__meta_rack"), null, null, null, "rack", null, Action.REPLACE),
                RelabelConfig.of(List.of("__meta_filepath"), null, ".*/([^/]+)\\.yml", null, "sd_file", "$1", Action.REPLACE));
        ScrapeConfig node = job("node", new ServiceDiscoveryConfigs(List.of(new StaticConfig(List.of("localhost:9090"), Labels.EMPTY)),
                List.of(new FileSdConfig(List.of("*.yml"), 60_000)), List.of(), List.of()), relabel);

        BlockingQueue<Map<String, List<TargetGroup>>> deliveries = new LinkedBlockingQueue<>();
        try (DiscoveryManager sd = new DiscoveryManager("scrape", new PrometheusRegistry(), deliveries::add,
                DiscoveryManager.Options.defaults(dir).withUpdateIntervalMs(50))) {
            sd.applyScrapeConfigs(List.of(node));
            List<Labels> targets = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (targets.size() < 3 && System.nanoTime() < deadline) {
                Map<String, List<TargetGroup>> d = deliveries.poll(100, TimeUnit.MILLISECONDS);
                if (d == null) continue;
                targets.clear();
                for (TargetGroup g : d.get("node")) {
                    for (TargetLabels.Result r : TargetLabels.fromGroup(g, node)) {
                        assertThat(r.error()).isNull();
                        if (!r.dropped()) targets.add(TargetLabels.publicLabels(r.labels()));
                    }
                }
            }
            assertThat(targets).containsExactlyInAnyOrder(
                    Labels.of("instance", "localhost:9090", "job", "node"),
                    Labels.of("instance", "n1:9100", "job", "node", "env", "prod", "rack", "r7", "sd_file", "nodes"),
                    Labels.of("instance", "n2:9100", "job", "node", "env", "prod", "rack", "r7", "sd_file", "nodes"));
        }
    }
}
