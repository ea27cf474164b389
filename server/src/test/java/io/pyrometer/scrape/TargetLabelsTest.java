package io.pyrometer.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.ScrapeConfig;
import io.pyrometer.config.ServiceDiscoveryConfigs;
import io.pyrometer.discovery.TargetGroup;
import io.pyrometer.model.Labels;
import io.pyrometer.model.relabel.RelabelConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Prometheus's TestPopulateLabels (scrape/manager_test.go) cases with their expected labels and errors. */
class TargetLabelsTest {

    static ScrapeConfig cfg(String scheme, long intervalMs, long timeoutMs, Map<String, List<String>> params,
                            List<RelabelConfig> relabel) {
        return new ScrapeConfig("job", intervalMs, timeoutMs, "/metrics", scheme, params, false, true, false, true,
                ScrapeConfig.DEFAULT_SCRAPE_PROTOCOLS, "", "", false, false, false, false, 0, 0, 0, 0, 0, 0, 0, 0,
                0, "utf8", "underscores", HttpClientConfig.DEFAULT, ServiceDiscoveryConfigs.EMPTY, relabel, List.of());
    }

    static ScrapeConfig https1s() { return cfg("https", 1000, 1000, Map.of(), List.of()); }

    /** {@code res}/{@code orig} null with {@code err} set: the target is rejected with that message. */
    record Case(String name, Labels in, ScrapeConfig cfg, Labels res, Labels orig, String err) {
        @Override public String toString() { return name; }
    }

    static Labels std(String scheme, String... extra) {
        Labels.Builder b = Labels.builder().set("__scheme__", scheme).set("__metrics_path__", "/metrics").set("job", "job")
                .set("__scrape_interval__", "1s").set("__scrape_timeout__", "1s");
        for (int i = 0; i < extra.length; i += 2) b.set(extra[i], extra[i + 1]);
        return b.build();
    }

    static Stream<Case> prometheusCases() {
        RelabelConfig addressFromCustom = RelabelConfig.of(List.of("custom"), null, "(.*)", null, "__address__", "${1}",
                RelabelConfig.Action.REPLACE);
        return Stream.of(
                new Case("regular population of scrape config options",
                        Labels.of("__address__", "1.2.3.4:1000", "custom", "value"), https1s(),
                        std("https", "__address__", "1.2.3.4:1000", "instance", "1.2.3.4:1000", "custom", "value"),
                        std("https", "__address__", "1.2.3.4:1000", "custom", "value"), null),
                new Case("target labels override scrape config ones",
                        Labels.of("__address__", "1.2.3.4", "__scheme__", "http", "__metrics_path__", "/custom", "job", "custom-job",
                                "__scrape_interval__", "2s", "__scrape_timeout__", "2s"), https1s(),
                        Labels.of("__address__", "1.2.3.4", "instance", "1.2.3.4", "__scheme__", "http", "__metrics_path__", "/custom",
                                "job", "custom-job", "__scrape_interval__", "2s", "__scrape_timeout__", "2s"),
                        Labels.of("__address__", "1.2.3.4", "__scheme__", "http", "__metrics_path__", "/custom",
                                "job", "custom-job", "__scrape_interval__", "2s", "__scrape_timeout__", "2s"), null),
                new Case("provided instance label, IPv6 address without port",
                        Labels.of("__address__", "[::1]", "instance", "custom-instance"), https1s(),
                        std("https", "__address__", "[::1]", "instance", "custom-instance"),
                        std("https", "__address__", "[::1]", "instance", "custom-instance"), null),
                new Case("address label missing", Labels.of("custom", "value"), https1s(), null, null, "no address"),
                new Case("address label added by relabeling", Labels.of("custom", "host:1234"),
                        cfg("https", 1000, 1000, Map.of(), List.of(addressFromCustom)),
                        std("https", "__address__", "host:1234", "instance", "host:1234", "custom", "host:1234"),
                        std("https", "custom", "host:1234"), null),
                new Case("invalid UTF-8 in a label value", Labels.of("__address__", "1.2.3.4:1000", "custom", "\uD800"), https1s(),
                        null, null, "invalid label value for \"custom\": \"\\xed\\xa0\\x80\""),
                new Case("invalid duration in interval label", Labels.of("__address__", "1.2.3.4:1000", "__scrape_interval__", "2notseconds"),
                        https1s(), null, null, "error parsing scrape interval: unknown unit \"notseconds\" in duration \"2notseconds\""),
                new Case("invalid duration in timeout label", Labels.of("__address__", "1.2.3.4:1000", "__scrape_timeout__", "2notseconds"),
                        https1s(), null, null, "error parsing scrape timeout: unknown unit \"notseconds\" in duration \"2notseconds\""),
                new Case("zero interval", Labels.of("__address__", "1.2.3.4:1000", "__scrape_interval__", "0s"), https1s(),
                        null, null, "scrape interval cannot be 0"),
                new Case("zero timeout", Labels.of("__address__", "1.2.3.4:1000", "__scrape_timeout__", "0s"), https1s(),
                        null, null, "scrape timeout cannot be 0"),
                new Case("timeout greater than interval",
                        Labels.of("__address__", "1.2.3.4:1000", "__scrape_interval__", "1s", "__scrape_timeout__", "2s"), https1s(),
                        null, null, "scrape timeout cannot be greater than scrape interval (\"2s\" > \"1s\")"),
                new Case("no default port is attached", Labels.of("__address__", "1.2.3.4"), https1s(),
                        std("https", "__address__", "1.2.3.4", "instance", "1.2.3.4"), std("https", "__address__", "1.2.3.4"), null),
                new Case("default http port is not removed", Labels.of("__address__", "1.2.3.4:80"), cfg("http", 1000, 1000, Map.of(), List.of()),
                        std("http", "__address__", "1.2.3.4:80", "instance", "1.2.3.4:80"), std("http", "__address__", "1.2.3.4:80"), null),
                new Case("default https port is not removed", Labels.of("__address__", "1.2.3.4:443"), https1s(),
                        std("https", "__address__", "1.2.3.4:443", "instance", "1.2.3.4:443"), std("https", "__address__", "1.2.3.4:443"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prometheusCases")
    void populateLabelsMatchesPrometheus(Case c) {
        TargetLabels.Result r = TargetLabels.populate(c.cfg(), c.in(), Labels.EMPTY);
        assertThat(r.error()).isEqualTo(c.err());
        assertThat(r.labels()).isEqualTo(c.res());
        if (c.orig() != null) assertThat(r.discoveredLabels()).isEqualTo(c.orig());
        assertThat(TargetLabels.discoveredLabels(c.cfg(), c.in(), Labels.EMPTY)).isEqualTo(r.discoveredLabels());
    }

    @Test
    void metaLabelsAreRemovedAfterRelabelingAndGroupLabelsYieldToTargetLabels() {
        RelabelConfig zone = RelabelConfig.of(List.of("__meta_zone"), null, null, null, "zone", null, RelabelConfig.Action.REPLACE);
        ScrapeConfig c = cfg("http", 15_000, 10_000, Map.of("module", List.of("http_2xx", "other")), List.of(zone));
        Labels target = Labels.of("__address__", "h:9100", "__meta_zone", "eu-1", "env", "target");
        Labels group = Labels.of("env", "group", "team", "a", "__meta_filepath", "/sd/x.json");
        TargetLabels.Result r = TargetLabels.populate(c, target, group);

        assertThat(r.labels()).isEqualTo(Labels.of("__address__", "h:9100", "instance", "h:9100", "__scheme__", "http",
                "__metrics_path__", "/metrics", "job", "job", "__scrape_interval__", "15s", "__scrape_timeout__", "10s",
                "__param_module", "http_2xx", "env", "target", "team", "a", "zone", "eu-1"));
        assertThat(r.discoveredLabels().get("__meta_filepath")).isEqualTo("/sd/x.json");
        assertThat(TargetLabels.publicLabels(r.labels()))
                .isEqualTo(Labels.of("instance", "h:9100", "job", "job", "env", "target", "team", "a", "zone", "eu-1"));
    }

    @Test
    void droppedByRelabelingIsNotAnError() {
        RelabelConfig drop = RelabelConfig.of(List.of("env"), null, "dev", null, null, null, RelabelConfig.Action.DROP);
        TargetLabels.Result r = TargetLabels.populate(cfg("http", 1000, 1000, Map.of(), List.of(drop)),
                Labels.of("__address__", "h:1", "env", "dev"), Labels.EMPTY);
        assertThat(r.dropped()).isTrue();
        assertThat(r.error()).isNull();
        assertThat(r.discoveredLabels().get("env")).isEqualTo("dev");
    }

    @Test
    void addressesWithAPathAreRejected() {
        TargetLabels.Result r = TargetLabels.populate(https1s(), Labels.of("__address__", "http://h:9100/metrics"), Labels.EMPTY);
        assertThat(r.error()).isEqualTo("\"http://h:9100/metrics\" is not a valid hostname");
    }

    @Test
    void fromGroupNamesTheInstanceAndGroupInErrors() {
        TargetGroup g = new TargetGroup("/sd/x.json:0",
                List.of(Labels.of("__address__", "ok:1"), Labels.of("custom", "x")), Labels.of("env", "prod"));
        List<TargetLabels.Result> rs = TargetLabels.fromGroup(g, https1s());
        assertThat(rs.get(0).labels().get("env")).isEqualTo("prod");
        assertThat(rs.get(1).error()).isEqualTo("instance 1 in group /sd/x.json:0: no address");
    }

    @Test
    void shardingWithHashmodKeepsAStableSubset() {
        // the operator shards targets this way: hashmod on __address__, keep the shard's value
        List<RelabelConfig> shard = List.of(
                RelabelConfig.of(List.of("__address__"), null, null, 2L, "__tmp_hash", null, RelabelConfig.Action.HASHMOD),
                RelabelConfig.of(List.of("__tmp_hash"), null, "0", null, null, null, RelabelConfig.Action.KEEP));
        ScrapeConfig c = cfg("http", 1000, 1000, Map.of(), shard);
        int kept = 0;
        for (int i = 0; i < 100; i++) {
            TargetLabels.Result r = TargetLabels.populate(c, Labels.of("__address__", "10.0.0." + i + ":9100"), Labels.EMPTY);
            assertThat(r.error()).isNull();
            if (!r.dropped()) {
                kept++;
                assertThat(r.labels().get("__tmp_hash")).isEqualTo("0");
                assertThat(TargetLabels.publicLabels(r.labels()).has("__tmp_hash")).isFalse();
            }
        }
        assertThat(kept).isBetween(30, 70);
    }
}
