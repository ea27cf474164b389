package io.pyrometer.tsdb.block;

import static io.pyrometer.tsdb.block.BlockTestData.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.ArraySeries;
import io.pyrometer.tsdb.chunkenc.XorAppender;
import io.pyrometer.tsdb.chunkenc.XorChunk;
import io.pyrometer.tsdb.chunks.ChunkMeta;
import io.pyrometer.tsdb.index.IndexReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the real Prometheus TSDB through {@code promtool} (Debian package
 * {@code prometheus}): promtool reads our blocks, we read blocks promtool writes.
 * Skipped, with the reason, where promtool is not installed.
 */
class PromtoolInteropTest {
    static Path promtool;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findPromtool() {
        for (String p : List.of("/usr/bin/promtool", "/usr/local/bin/promtool")) {
            if (Files.isExecutable(Path.of(p))) promtool = Path.of(p);
        }
        Assumptions.assumeTrue(promtool != null,
                "promtool not installed (Debian package 'prometheus' provides /usr/bin/promtool): interop tests skipped");
    }

    static final Labels UP_NODE = Labels.of("__name__", "up", "job", "node", "instance", "a:9100");
    static final Labels UP_PROM = Labels.of("__name__", "up", "job", "prometheus", "instance", "b:9090");
    static final Labels REQS = Labels.of("__name__", "http_requests_total", "job", "prometheus", "instance", "b:9090", "code", "200");

    @Test
    void promtoolAnalyzesAndDumpsOurBlock() throws Exception {
        List<ArraySeries> series = List.of(
                series(UP_NODE, T0, 15_000, 300, 0),     // 3 chunks
                series(UP_PROM, T0 + 7_000, 15_000, 40, 1),
                halfSteps(REQS, T0, 30_000, 130));       // 2 chunks, fractional values
        Path data = tmp.resolve("data");
        BlockMeta meta = new BlockWriter(data).write(series, T0, T0 + 7_200_000);
        Files.createDirectories(data.resolve("wal")); // promtool opens the dir as a Prometheus data dir

        String analyze = run("tsdb", "analyze", data.toString(), meta.ulid());
        assertThat(analyze).contains("Block ID: " + meta.ulid())
                .contains("Duration: 2h0m0s")
                .contains("Series: 3\n")
                .contains("Label names: 4\n")               // __name__, code, instance, job
                .contains("Postings (unique label pairs): 7\n")    // 2 names, 2 jobs, 2 instances, 1 code
                .contains("Postings entries (total label pairs): 10\n")
                .contains("Highest cardinality metric names:\n2 up\n1 http_requests_total");

        List<String> want = new ArrayList<>();
        for (ArraySeries s : series) {
            for (int i = 0; i < s.timestampsMs().length; i++) {
                want.add(s.labels() + " " + goG(s.values()[i]) + " " + s.timestampsMs()[i]);
            }
        }
        List<String> got = run("tsdb", "dump", data.toString()).lines().filter(l -> l.startsWith("{")).toList();
        assertThat(got).hasSize(300 + 40 + 130).containsExactlyInAnyOrderElementsOf(want);

        // Our analyzer reports what promtool reports (sections compared as sets: promtool's tie order is unspecified).
        try (Block blk = Block.open(data.resolve(meta.ulid()))) {
            assertThat(sections(BlockAnalyzer.analyze(blk, BlockAnalyzer.DEFAULT_LIMIT).format())).isEqualTo(sections(analyze));
        }

        String list = run("tsdb", "list", data.toString());
        assertThat(list).contains(meta.ulid()).contains(String.valueOf(T0)).contains("470");
    }

    @Test
    void weReadABlockPromtoolCreatedFromOpenMetrics() throws Exception {
        Path om = tmp.resolve("in.om");
        Files.writeString(om, """
                # HELP http_requests_total Requests served.
                # TYPE http_requests_total counter
                http_requests_total{code="200",path="/"} 1 1700000000
                http_requests_total{code="500",path="/"} 3 1700000000
                http_requests_total{code="200",path="/"} 2.5 1700000015.5
                http_requests_total{code="200",path="/"} 4 1700000030
                http_requests_total{code="500",path="/"} 7 1700000030.25
                # EOF
                """);
        Path out = tmp.resolve("out");
        run("tsdb", "create-blocks-from", "openmetrics", om.toString(), out.toString());
        List<Path> blocks = BlockDirs.list(out);
        assertThat(blocks).hasSize(1);
        try (Block blk = Block.open(blocks.getFirst()); BlockQuerier q = blk.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertThat(blk.meta().minTimeMs()).isEqualTo(1_700_000_000_000L);
            assertThat(blk.meta().maxTimeMs()).isEqualTo(1_700_000_030_251L); // exclusive: last sample + 1
            assertThat(blk.meta().stats().numSamples()).isEqualTo(5);
            Map<Labels, List<String>> got = drain(q.select(true, null, List.of(LabelMatcher.eq("__name__", "http_requests_total"))));
            Labels ok = Labels.of("__name__", "http_requests_total", "code", "200", "path", "/");
            Labels err = Labels.of("__name__", "http_requests_total", "code", "500", "path", "/");
            assertThat(got.keySet()).containsExactly(ok, err);
            assertThat(got.get(ok)).containsExactly("1700000000000=1.0", "1700000015500=2.5", "1700000030000=4.0");
            assertThat(got.get(err)).containsExactly("1700000000000=3.0", "1700000030250=7.0");
            assertThat(q.labelValues("code", List.of())).containsExactly("200", "500");

            // Prometheus's chunk bytes equal what our encoder writes for the same samples.
            IndexReader ix = blk.index();
            var p = ix.postings("code", "200");
            assertThat(p.next()).isTrue();
            ChunkMeta cm = ix.series(p.at()).chunks().getFirst();
            XorChunk ours = XorChunk.create();
            XorAppender app = ours.appender();
            app.append(1_700_000_000_000L, 1);
            app.append(1_700_000_015_500L, 2.5);
            app.append(1_700_000_030_000L, 4);
            assertThat(blk.chunks().chunk(cm.ref()).toByteArray()).isEqualTo(ours.toByteArray());
        }
    }

    @Test
    void promtoolDumpsACompactedBlock() throws Exception {
        Path data = tmp.resolve("data");
        BlockWriter w = new BlockWriter(data);
        BlockMeta a = w.write(List.of(series(UP_NODE, T0, 15_000, 200, 0), series(REQS, T0, 60_000, 30, 5)), T0, T0 + 7_200_000);
        BlockMeta b = w.write(List.of(series(UP_NODE, T0 + 7_200_000, 15_000, 50, 200)), T0 + 7_200_000, T0 + 14_400_000);
        // overlaps a with the same timestamps and other values: vertical compaction keeps one sample per timestamp
        BlockMeta c = w.write(List.of(series(UP_NODE, T0 + 1_500_000, 15_000, 10, -1000)), T0 + 1_500_000, T0 + 1_650_000);
        var compactor = new io.pyrometer.tsdb.compact.Compactor(data,
                new io.pyrometer.tsdb.compact.LeveledPlanner(io.pyrometer.tsdb.compact.LeveledPlanner.defaultRanges(0)));
        BlockMeta merged = compactor.compact(List.of(data.resolve(a.ulid()), data.resolve(b.ulid()), data.resolve(c.ulid())));
        Files.createDirectories(data.resolve("wal"));
        List<String> got = run("tsdb", "dump", data.toString()).lines().filter(l -> l.startsWith("{")).toList();
        assertThat(got).hasSize(200 + 50 + 30).doesNotHaveDuplicates()
                .contains(UP_NODE + " 0 " + T0, UP_NODE + " 100 " + (T0 + 1_500_000), UP_NODE + " 249 " + (T0 + 7_200_000 + 49 * 15_000), REQS + " 34 " + (T0 + 29 * 60_000));
        assertThat(run("tsdb", "analyze", data.toString(), merged.ulid())).contains("Series: 2\n");
    }

    @Test
    void promtoolHonoursOurTombstones() throws Exception {
        Path data = tmp.resolve("data");
        BlockMeta meta = new BlockWriter(data).write(List.of(series(UP_NODE, T0, 15_000, 20, 0), series(UP_PROM, T0, 15_000, 20, 0)), T0, T0 + 7_200_000);
        try (Block blk = Block.open(data.resolve(meta.ulid()))) {
            blk.delete(List.of(LabelMatcher.eq("job", "prometheus")), Long.MIN_VALUE, Long.MAX_VALUE);
            blk.delete(List.of(LabelMatcher.eq("job", "node")), T0 + 15_000, T0 + 5 * 15_000);
        }
        Files.createDirectories(data.resolve("wal"));
        List<String> got = run("tsdb", "dump", data.toString()).lines().filter(l -> l.startsWith("{")).toList();
        assertThat(got).hasSize(20 - 5).allMatch(l -> l.startsWith(UP_NODE.toString()))
                .contains(UP_NODE + " 0 " + T0, UP_NODE + " 6 " + (T0 + 6 * 15_000)).doesNotContain(UP_NODE + " 1 " + (T0 + 15_000));
    }

    /** More than 32 symbols and values per name: exercises the sampled lookups in Prometheus's reader. */
    @Test
    void manySeriesBothWays() throws Exception {
        List<ArraySeries> series = new ArrayList<>();
        StringBuilder om = new StringBuilder("# TYPE node_load gauge\n");
        for (int i = 0; i < 600; i++) {
            Labels l = Labels.of("__name__", "node_load", "instance", "host-" + i, "zone", "z" + (i % 40));
            series.add(series(l, T0, 15_000, 8, i));
            for (int j = 0; j < 8; j++) {
                om.append("node_load{instance=\"host-").append(i).append("\",zone=\"z").append(i % 40).append("\"} ")
                        .append(i + j).append(' ').append((T0 + j * 15_000) / 1000).append('\n');
            }
        }
        om.append("# EOF\n");
        Path data = tmp.resolve("data");
        BlockMeta meta = new BlockWriter(data).write(series, T0, T0 + 7_200_000);
        Files.createDirectories(data.resolve("wal"));
        assertThat(run("tsdb", "analyze", data.toString(), meta.ulid()))
                .contains("Series: 600\n", "Postings (unique label pairs): 641\n", "Highest cardinality labels:\n600 instance\n40 zone\n1 __name__");
        List<String> dump = run("tsdb", "dump", data.toString()).lines().filter(l -> l.startsWith("{")).toList();
        assertThat(dump).hasSize(600 * 8)
                .contains("{__name__=\"node_load\", instance=\"host-599\", zone=\"z39\"} 606 " + (T0 + 7 * 15_000));

        Path om1 = tmp.resolve("many.om");
        Files.writeString(om1, om);
        Path out = tmp.resolve("out");
        run("tsdb", "create-blocks-from", "openmetrics", om1.toString(), out.toString());
        try (Block blk = Block.open(BlockDirs.list(out).getFirst()); BlockQuerier q = blk.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            Map<Labels, List<String>> got = drain(q.select(true, null, List.of(LabelMatcher.of(LabelMatcher.Type.RE, "zone", "z3|z39"))));
            assertThat(got).hasSize(30);
            for (var e : got.entrySet()) {
                int i = Integer.parseInt(e.getKey().get("instance").substring(5));
                assertThat(e.getValue()).as("%s", e.getKey()).isEqualTo(samples(series.get(i)));
            }
            assertThat(q.labelValues("zone", List.of())).hasSize(40);
        }
    }

    /** Header lines as they are, each section's lines as a set. */
    static Map<String, java.util.Set<String>> sections(String report) {
        Map<String, java.util.Set<String>> out = new java.util.LinkedHashMap<>();
        String current = "header";
        for (String line : report.split("\n")) {
            if (line.isBlank()) continue;
            if (line.endsWith(":")) current = line;
            else out.computeIfAbsent(current, k -> new java.util.TreeSet<>()).add(line);
        }
        return out;
    }

    static ArraySeries halfSteps(Labels l, long start, long step, int n) {
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = start + i * step;
            vs[i] = i * 0.5;
        }
        return new ArraySeries(l, ts, vs);
    }

    /** Go's %g for the small integers and halves used here. */
    static String goG(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(promtool.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(tmp.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("promtool %s finished", String.join(" ", args)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("promtool %s exit code; output:%n%s", String.join(" ", args), text).isZero();
        return text;
    }
}
