package io.pyrometer.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The head's on-disk formats against the real thing (Debian's {@code prometheus} and
 * {@code promtool}; skipped with the reason when they are not installed): promtool reads our WAL,
 * head chunks and WAL tombstones; we replay a (snappy-compressed) WAL a real Prometheus wrote.
 */
class PrometheusInteropTest {
    @TempDir
    Path tmp;

    private static boolean installed(String bin) {
        return Files.isExecutable(Path.of("/usr/bin", bin));
    }

    @Test
    void promtoolDumpsOurHeadIncludingTombstones() throws Exception {
        Assumptions.assumeTrue(installed("promtool"), "skipped: promtool not installed (Debian package prometheus)");
        Path dir = tmp.resolve("data");
        long base = 1_700_000_000_000L;
        try (DB db = DB.open(dir, DbOptions.defaults().withStripeSize(16).withMaintenanceIntervalMs(3600_000))) {
            for (int c = 0; c < 300; c++) { // 300 samples: full chunks in chunks_head plus an open one in the WAL
                Appender app = db.appender();
                for (int i = 0; i < 3; i++) app.append(0, Labels.of("__name__", "interop", "i", "" + i), base + c * 15_000L, c + i * 0.5);
                app.commit();
            }
            db.delete(base + 15_000, base + 30_000, List.of(LabelMatcher.eq("i", "2")));
        }
        Process p = new ProcessBuilder("promtool", "tsdb", "dump", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).as(out).hasSize(3 * 300 - 2);
        assertThat(lines).contains("{__name__=\"interop\", i=\"1\"} 150.5 " + (base + 150 * 15_000L),
                "{__name__=\"interop\", i=\"2\"} 1 " + base);
        assertThat(lines).doesNotContain("{__name__=\"interop\", i=\"2\"} 2 " + (base + 15_000));
    }

    @Test
    void weReplayAWalThatPrometheusWrote() throws Exception {
        Assumptions.assumeTrue(installed("prometheus"), "skipped: prometheus not installed (Debian package prometheus)");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cfg = tmp.resolve("prometheus.yml");
        Files.writeString(cfg, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: self
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port));
        Path dir = tmp.resolve("prom-data");
        Process prom = new ProcessBuilder("prometheus", "--config.file=" + cfg, "--storage.tsdb.path=" + dir,
                "--web.listen-address=127.0.0.1:" + port) // WAL compression (snappy) is on by default
                .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
        try {
            // until Prometheus answers `up` from its head: that sample is in its WAL then
            var http = java.net.http.HttpClient.newHttpClient();
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=up")).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                try {
                    if (http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body().contains("\"job\":\"self\"")) break;
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
        } finally {
            prom.destroyForcibly(); // kill -9: the WAL is all there is
            prom.waitFor(10, TimeUnit.SECONDS);
        }
        byte[] wal = Files.readAllBytes(dir.resolve("wal/00000000"));
        assertThat(wal[0] & 0x08).as("Prometheus compressed its first record with snappy").isNotZero();
        try (DB db = DB.open(dir, DbOptions.defaults().withStripeSize(16).withMaintenanceIntervalMs(3600_000));
             Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertThat(db.head().walCorruptionsTotal()).isZero();
            SeriesSet set = q.select(true, null, List.of(LabelMatcher.eq("__name__", "up")));
            List<Labels> found = new ArrayList<>();
            while (set.next()) {
                found.add(set.at().labels());
                SampleIterator it = set.at().iterator(null);
                assertThat(it.next()).isEqualTo(ValueType.FLOAT);
                assertThat(it.atV()).isEqualTo(1.0);
            }
            assertThat(found).containsExactly(Labels.of("__name__", "up", "instance", "127.0.0.1:" + port, "job", "self"));
            assertThat(db.head().numSeries()).as("Prometheus's own metrics").isGreaterThan(100);
        } catch (IOException e) {
            throw new AssertionError(Files.readString(tmp.resolve("prometheus.log")), e);
        }
    }
}
