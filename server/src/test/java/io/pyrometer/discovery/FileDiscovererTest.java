package io.pyrometer.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.FileSdConfig;
import io.pyrometer.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiscovererTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir Path dir;
    private final DiscoveryMetrics metrics = new DiscoveryMetrics(new PrometheusRegistry());
    private UpdateCollector collector;

    @AfterEach
    void stop() throws InterruptedException {
        if (collector != null) collector.stop();
    }

    private UpdateCollector run(long refreshMs, String... patterns) {
        collector = new UpdateCollector().start(new FileDiscoverer(new FileSdConfig(List.of(patterns), refreshMs), dir, metrics));
        return collector;
    }

    /** Writes via a temp file and rename, as config management tools do; the watcher sees the rename. */
    private void write(String name, String content) throws Exception {
        Path tmp = Files.createTempFile(dir.resolve(".."), "sd", ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void readsJsonAndYamlFilesMatchingTheGlobWithFilepathAndSources() throws Exception {
        write("a.json", "[{\"targets\": [\"h1:9100\"], \"labels\": {\"env\": \"prod\"}}, {\"targets\": [\"h2:9100\"]}]");
        write("b.yml", "- targets: ['h3:9100']\n");
        write("ignored.txt", "[]");
        Map<String, TargetGroup> gs = run(60_000, "*.json", "*.yml").await(m -> m.size() == 3, WAIT);

        String a = dir.resolve("a.json").toString();
        assertThat(gs).containsOnlyKeys(a + ":0", a + ":1", dir.resolve("b.yml") + ":0");
        assertThat(gs.get(a + ":0").targets()).containsExactly(Labels.of("__address__", "h1:9100"));
        assertThat(gs.get(a + ":0").labels()).isEqualTo(Labels.of("env", "prod", "__meta_filepath", a));
        assertThat(gs.get(a + ":1").labels()).isEqualTo(Labels.of("__meta_filepath", a));
    }

    @Test
    void aFileRewrittenWhileWatchedIsPickedUpWithoutWaitingForTheRefreshInterval() throws Exception {
        write("t.json", "[{\"targets\": [\"old:1\"]}]");
        run(600_000, "t.json").await(m -> m.size() == 1, WAIT);

        write("t.json", "[{\"targets\": [\"new:1\", \"new:2\"]}]");
        Map<String, TargetGroup> gs = collector.await(m -> m.values().stream()
                .anyMatch(g -> g.targets().size() == 2), WAIT);
        assertThat(gs.values().iterator().next().targets())
                .containsExactly(Labels.of("__address__", "new:1"), Labels.of("__address__", "new:2"));
    }

    @Test
    void aBrokenFileKeepsItsLastGoodTargetsIsCountedAndDoesNotAffectOthers() throws Exception {
        write("good.json", "[{\"targets\": [\"g:1\"]}]");
        write("flaky.json", "[{\"targets\": [\"f:1\"]}]");
        run(600_000, "*.json").await(m -> m.size() == 2, WAIT);
        int before = collector.updates();

        write("flaky.json", "[{\"targets\": [\"f:1\"]");          // truncated write
        write("good.json", "[{\"targets\": [\"g:2\"]}]");
        Map<String, TargetGroup> gs = collector.await(m -> m.values().stream()
                .anyMatch(g -> g.targets().contains(Labels.of("__address__", "g:2"))), WAIT);

        assertThat(gs.get(dir.resolve("flaky.json") + ":0").targets()).containsExactly(Labels.of("__address__", "f:1"));
        assertThat(metrics.fileReadErrors.get()).isGreaterThanOrEqualTo(1);
        assertThat(collector.updates()).isGreaterThan(before);
    }

    @Test
    void deletingAFileOrShrinkingItRemovesItsGroups() throws Exception {
        write("x.json", "[{\"targets\": [\"a:1\"]}, {\"targets\": [\"b:1\"]}]");
        write("y.json", "[{\"targets\": [\"c:1\"]}]");
        run(600_000, "*.json").await(m -> m.size() == 3, WAIT);

        write("x.json", "[{\"targets\": [\"a:1\"]}]");
        collector.await(m -> m.size() == 2, WAIT);
        Files.delete(dir.resolve("y.json"));
        Map<String, TargetGroup> gs = collector.await(m -> m.size() == 1, WAIT);
        assertThat(gs).containsOnlyKeys(dir.resolve("x.json") + ":0");
        assertThat(metrics.fileMtime.labelValues(dir.resolve("x.json").toString()).get()).isGreaterThan(1e9);
        assertThat(metrics.fileMtime.collect().getDataPoints()).hasSize(1); // y.json's series is gone
    }

    @Test
    void theRefreshIntervalRereadsEvenWithoutWatchEvents() throws Exception {
        // the directory does not exist yet, so there is nothing to watch: only the periodic re-read finds the file
        Path sub = dir.resolve("later");
        run(200, "later/*.json");
        Thread.sleep(300);
        Files.createDirectories(sub);
        Files.writeString(sub.resolve("t.json"), "[{\"targets\": [\"late:1\"]}]");
        Map<String, TargetGroup> gs = collector.await(m -> m.size() == 1, WAIT);
        assertThat(gs.values().iterator().next().labels().get("__meta_filepath")).isEqualTo(sub.resolve("t.json").toString());
    }

    @Test
    void goGlobSyntax() {
        assertThat(FileDiscoverer.globToRegex("*.json").matcher("a.json").matches()).isTrue();
        assertThat(FileDiscoverer.globToRegex("*.json").matcher("a.yml").matches()).isFalse();
        assertThat(FileDiscoverer.globToRegex("node-?.y[a]ml").matcher("node-1.yaml").matches()).isTrue();
        assertThat(FileDiscoverer.globToRegex("[^x]*.json").matcher("x1.json").matches()).isFalse();
        assertThat(FileDiscoverer.globToRegex("a{b}.json").matcher("a{b}.json").matches()).isTrue();
    }
}
