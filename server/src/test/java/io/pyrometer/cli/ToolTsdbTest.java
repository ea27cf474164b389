package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appender;
import io.pyrometer.tsdb.DB;
import io.pyrometer.tsdb.DbOptions;
import io.pyrometer.tsdb.block.Block;
import io.pyrometer.tsdb.block.BlockDirs;
import io.pyrometer.tsdb.block.BlockMeta;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code pyrometer tool tsdb create-blocks-from openmetrics | dump | analyze}: blocks we write are
 * read by the real {@code promtool tsdb dump}, and our dump and analyze print what promtool prints
 * for the same directory.
 */
class ToolTsdbTest {
    private static final long TWO_HOURS_MS = 7_200_000L;

    /** Samples in two 2h ranges; one series is out of order in the file and has an exact repeat. */
    private static final String INPUT = """
            # HELP http_requests Total requests.
            # TYPE http_requests counter
            http_requests_total{code="200"} 1021 1565133713.989
            http_requests_total{code="400"} 2 1565133713.989
            http_requests_total{code="200"} 1022 1565140913.989
            # TYPE temp gauge
            temp{room="b"} 3.5 1565133774
            temp{room="b"} 1e+06 1565133714
            temp{room="b"} 3.5 1565133774
            temp{room="a"} -0.25 1565133714.5
            # EOF
            """;

    /** What a dump must list for INPUT: series in label order, samples in time order, Go's %g values. */
    private static final String EXPECTED_DUMP = """
            {__name__="http_requests_total", code="200"} 1021 1565133713989
            {__name__="http_requests_total", code="200"} 1022 1565140913989
            {__name__="http_requests_total", code="400"} 2 1565133713989
            {__name__="temp", room="a"} -0.25 1565133714500
            {__name__="temp", room="b"} 1e+06 1565133714000
            {__name__="temp", room="b"} 3.5 1565133774000
            """;

    record Result(int exitCode, String out, String err) {}

    private static Result ours(Object... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        List<String> full = new ArrayList<>(List.of("tool"));
        for (Object a : args) full.add(a.toString());
        int rc = Main.run(full, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result promtool(Object... args) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool), "promtool comparison skipped: /usr/bin/promtool not installed (apt-get install prometheus)");
        List<String> cmd = new ArrayList<>(List.of(promtool.toString()));
        for (Object a : args) cmd.add(a.toString());
        Path out = Files.createTempFile("promtool", ".out"), err = Files.createTempFile("promtool", ".err");
        try {
            // to files, not pipes: a dump larger than the pipe buffer would block promtool
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("promtool %s finished", args).isTrue();
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void createBlocksWritesTwoHourAlignedBlocksThatPromtoolDumps(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Result r = ours("tsdb", "create-blocks-from", "openmetrics", write(dir, "in.om", INPUT), out);
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("BLOCK ULID                  MIN TIME       MAX TIME       DURATION     NUM SAMPLES  NUM CHUNKS   NUM SERIES   SIZE");
        // max time is exclusive: last sample + 1ms; 1h0m0.011s from the first to the last sample
        assertThat(lines.get(1)).matches("[0-9A-Z]{26}  1565133713989  1565133774001  1m0\\.012s     5            4            4            \\d+");
        assertThat(lines.get(2)).matches("[0-9A-Z]{26}  1565140913989  1565140913990  1ms          1            1            1            \\d+");

        Files.createDirectories(out.resolve("wal")); // promtool 2.42 refuses a directory without one
        Result dump = promtool("tsdb", "dump", out);
        assertThat(dump.exitCode()).as(dump.err()).isZero();
        assertThat(dump.out()).isEqualTo(EXPECTED_DUMP);
    }

    @Test
    void createdBlocksReadBackWithBlockOpen(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        assertThat(ours("tsdb", "create-blocks-from", "openmetrics", "--quiet", write(dir, "in.om", INPUT), out).out()).isEmpty();
        List<Path> blocks = BlockDirs.list(out);
        assertThat(blocks).hasSize(2);
        long samples = 0;
        for (Path b : blocks) {
            try (Block block = Block.open(b)) {
                BlockMeta m = block.meta();
                assertThat(Math.floorDiv(m.minTimeMs(), TWO_HOURS_MS)).as("block %s within one 2h range", m.ulid())
                        .isEqualTo(Math.floorDiv(m.maxTimeMs() - 1, TWO_HOURS_MS));
                samples += m.stats().numSamples();
            }
        }
        assertThat(samples).isEqualTo(6);
        Result dump = ours("tsdb", "dump", out);
        assertThat(dump.exitCode()).isZero();
        assertThat(dump.out()).isEqualTo(EXPECTED_DUMP);
        assertThat(dump.err()).contains("reading blocks only");
    }

    @Test
    void maxBlockDurationMergesRangesIntoOneBlock(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Result r = ours("tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=24h", write(dir, "in.om", INPUT), out);
        assertThat(r.exitCode()).isZero();
        assertThat(BlockDirs.list(out)).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"1h, 2h", "2h, 2h", "5h59m, 2h", "6h, 6h", "1d, 18h", "54h, 54h", "10000d, 39366h"})
    void blockDurationIsTheLargestPowerOfThreeRangeNotAboveTheMaximum(String max, String want) {
        assertThat(ToolBackfill.compatibleBlockDuration(io.pyrometer.model.Durations.parseMs(max)))
                .isEqualTo(io.pyrometer.model.Durations.parseMs(want));
    }

    @Test
    void humanReadableRowsShowUtcTimesAndBase2Sizes(@TempDir Path dir) throws Exception {
        Result r = ours("tsdb", "create-blocks-from", "openmetrics", "-r", write(dir, "in.om", INPUT), dir.resolve("out"));
        assertThat(r.out().lines().toList().get(1))
                .matches("[0-9A-Z]{26}  2019-08-06 23:21:53 \\+0000 UTC  2019-08-06 23:22:54 \\+0000 UTC  1m0\\.012s     5 .*\\d+(B|KiB)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a 1\\n# EOF\\n | expected timestamp for series got none | in.om:1",
            "a 1 1\\n | data does not end with # EOF | in.om:2:1",
            "a{b=\"1} 1 1\\n# EOF\\n | in.om:1:5: | expected label value"})
    void badInputExitsOneNamingTheLine(String input, String message, String position, @TempDir Path dir) throws Exception {
        Path in = write(dir, "in.om", input.replace("\\n", "\n"));
        Result r = ours("tsdb", "create-blocks-from", "openmetrics", in, dir.resolve("out"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(message).contains(position);
        assertThat(BlockDirs.list(dir.resolve("out"))).isEmpty();
    }

    @Test
    void unsortedSamplesAreSortedAndOfOneTimestampTheFirstIsKept(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Result r = ours("tsdb", "create-blocks-from", "openmetrics", "-q", write(dir, "in.om", "a 3 3\na 1 1\na 2 1\na 2 2\n# EOF\n"), out);
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).startsWith("warning: 1 samples dropped").contains("{__name__=\"a\"} 1 1000, dropped value 2");
        assertThat(ours("tsdb", "dump", out).out()).isEqualTo("""
                {__name__="a"} 1 1000
                {__name__="a"} 2 2000
                {__name__="a"} 3 3000
                """);
    }

    @Test
    void missingInputFileExitsOne(@TempDir Path dir) {
        Result r = ours("tsdb", "create-blocks-from", "openmetrics", dir.resolve("nope.om"), dir.resolve("out"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("nope.om: no such file or directory");
    }

    /** A DB with a block (from backfill) and head samples in the WAL, closed like a stopped server. */
    private static Path dbWithBlockAndHead(Path dir) throws Exception {
        Path data = dir.resolve("data");
        assertThat(ours("tsdb", "create-blocks-from", "openmetrics", "-q", write(dir, "in.om", INPUT), data).exitCode()).isZero();
        long t = 1565150000000L;
        try (DB db = DB.open(data, DbOptions.defaults())) {
            Appender app = db.appender();
            app.append(0, Labels.of("__name__", "temp", "room", "a"), t, 7);
            app.append(0, Labels.of("__name__", "temp", "room", "a"), t + 15_000, 7.5);
            app.append(0, Labels.of("__name__", "up", "job", "x"), t, 1);
            app.commit();
        }
        return data;
    }

    @Test
    void dumpReadsBlocksAndTheHeadFromTheWal(@TempDir Path dir) throws Exception {
        Path data = dbWithBlockAndHead(dir);
        Result r = ours("tsdb", "dump", data);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                {__name__="http_requests_total", code="200"} 1021 1565133713989
                {__name__="http_requests_total", code="200"} 1022 1565140913989
                {__name__="http_requests_total", code="400"} 2 1565133713989
                {__name__="temp", room="a"} -0.25 1565133714500
                {__name__="temp", room="a"} 7 1565150000000
                {__name__="temp", room="a"} 7.5 1565150015000
                {__name__="temp", room="b"} 1e+06 1565133714000
                {__name__="temp", room="b"} 3.5 1565133774000
                {__name__="up", job="x"} 1 1565150000000
                """);
        // the live directory is untouched: no new WAL segment was started in it
        try (var s = Files.list(data.resolve("wal"))) {
            assertThat(s.filter(p -> p.getFileName().toString().matches("\\d+")).count()).isEqualTo(1);
        }
    }

    @Test
    void dumpMatchesPromtoolOnTheSameDirectory(@TempDir Path dir) throws Exception {
        Path data = dbWithBlockAndHead(dir);
        for (List<String> flags : List.of(List.<String>of(), List.of("--match={room=\"a\"}"),
                List.of("--min-time=1565140000000", "--max-time=1565150000000"))) {
            List<Object> args = new ArrayList<>(List.of("tsdb", "dump"));
            args.addAll(flags);
            args.add(data);
            Result want = promtool(args.toArray());
            Result got = ours(args.toArray());
            assertThat(got.out()).as("dump %s", flags).isEqualTo(want.out());
            assertThat(got.exitCode()).isEqualTo(want.exitCode());
        }
    }

    @Test
    void dumpWithSeveralMatchersPrintsTheirUnionOnce(@TempDir Path dir) throws Exception {
        // Prometheus 3 takes --match repeatedly (2.42 only once)
        Path data = dbWithBlockAndHead(dir);
        Result r = ours("tsdb", "dump", "--match=up", "--match", "temp", "--match={room=\"a\"}", data);
        assertThat(r.out()).isEqualTo("""
                {__name__="temp", room="a"} -0.25 1565133714500
                {__name__="temp", room="a"} 7 1565150000000
                {__name__="temp", room="a"} 7.5 1565150015000
                {__name__="temp", room="b"} 1e+06 1565133714000
                {__name__="temp", room="b"} 3.5 1565133774000
                {__name__="up", job="x"} 1 1565150000000
                """);
    }

    @Test
    void dumpAndAnalyzeReadBlocksThatPromtoolWrote(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        String ordered = "# TYPE temp gauge\ntemp{room=\"a\"} 1 1565133714\ntemp{room=\"a\"} 2.5 1565133729\ntemp{room=\"b\"} 1e+06 1565140914\n# EOF\n";
        Result made = promtool("tsdb", "create-blocks-from", "openmetrics", write(dir, "in.om", ordered), out);
        assertThat(made.exitCode()).as(made.err()).isZero();
        Result r = ours("tsdb", "dump", out);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                {__name__="temp", room="a"} 1 1565133714000
                {__name__="temp", room="a"} 2.5 1565133729000
                {__name__="temp", room="b"} 1e+06 1565140914000
                """);
        assertThat(ours("tsdb", "analyze", out).out()).contains("Series: 1\n").contains("Highest cardinality metric names:\n1 temp\n");
    }

    @Test
    void dumpReadsTheHeadOfARealPrometheusLikePromtool(@TempDir Path dir) throws Exception {
        Path prometheus = Path.of("/usr/bin/prometheus");
        assumeTrue(Files.isExecutable(prometheus), "real Prometheus skipped: /usr/bin/prometheus not installed (apt-get install prometheus)");
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path cfg = write(dir, "p.yml", "global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: self\n"
                + "    static_configs: [{targets: ['127.0.0.1:" + port + "']}]\n");
        Path data = dir.resolve("data");
        // our WAL reader does not decode snappy-compressed records (Prometheus's default) yet
        Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + cfg, "--storage.tsdb.path=" + data,
                "--no-storage.tsdb.wal-compression", "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            // until two scrapes are in: up has a value at least 1s old
            var client = java.net.http.HttpClient.newHttpClient();
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/api/v1/query?query=count_over_time(up%5B1m%5D)%3E1")).build();
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                try {
                    if (client.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body().contains("\"value\"")) break;
                } catch (java.io.IOException notYetListening) {
                    // starting
                }
                Thread.sleep(200);
            }
        } finally {
            p.destroy(); // SIGTERM: a clean shutdown, the samples stay in the WAL
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        Result want = promtool("tsdb", "dump", "--match={job=\"self\"}", data);
        assertThat(want.exitCode()).as(want.err()).isZero();
        assertThat(want.out()).contains("{__name__=\"up\", instance=\"127.0.0.1:" + port + "\", job=\"self\"} 1 ");
        Result got = ours("tsdb", "dump", "--match={job=\"self\"}", data);
        assertThat(got.out()).isEqualTo(want.out());
    }

    @Test
    void listPrintsPromtoolsBlockTable(@TempDir Path dir) throws Exception {
        Path ours = dir.resolve("ours"), theirs = dir.resolve("theirs");
        Path in = write(dir, "in.om", INPUT);
        assertThat(ours("tsdb", "create-blocks-from", "openmetrics", "-q", in, ours).exitCode()).isZero();
        for (Path d : List.of(ours, theirs, dir.resolve("empty"))) {
            Files.createDirectories(d);
            if (d == theirs) promtool("tsdb", "create-blocks-from", "openmetrics", "-q", in, theirs);
            for (String flag : List.of("--human-readable", "-r", "--no-human-readable")) {
                Result got = ours("tsdb", "list", flag, d);
                assertThat(got.exitCode()).isZero();
                assertThat(got.out()).as("list %s %s", flag, d).isEqualTo(promtool("tsdb", "list", flag.equals("-r") ? "-r" : flag, d).out());
            }
        }
        assertThat(ours("tsdb", "list", ours).out().lines().toList()).hasSize(3);
    }

    @Test
    void dumpOfAMissingDirectoryFailsLikePromtool(@TempDir Path dir) {
        Result r = ours("tsdb", "dump", dir.resolve("nodir"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("opening the db dir: stat " + dir.resolve("nodir") + ": no such file or directory\n");
    }

    @Test
    void analyzePicksTheNewestBlockAndPrintsPromtoolsSummary(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        ours("tsdb", "create-blocks-from", "openmetrics", "-q", write(dir, "in.om", INPUT), out);
        Files.createDirectories(out.resolve("wal"));
        Result r = ours("tsdb", "analyze", out);
        assertThat(r.exitCode()).isZero();
        String newest = ToolReadOnlyDb.blockDirsByMinTime(out).getLast().getFileName().toString();
        assertThat(r.out()).startsWith("Block ID: " + newest + "\nDuration: 1ms\nSeries: 1\nLabel names: 2\n");
        Result want = promtool("tsdb", "analyze", out);
        assertThat(r.out().lines().limit(6).toList()).isEqualTo(want.out().lines().limit(6).toList());
        assertThat(r.out().lines().sorted().toList()).isEqualTo(want.out().lines().sorted().toList());
    }

    @Test
    void analyzeNamesAnUnknownBlock(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        ours("tsdb", "create-blocks-from", "openmetrics", "-q", write(dir, "in.om", INPUT), out);
        Result r = ours("tsdb", "analyze", out, "01XXXXXXXXXXXXXXXXXXXXXXXX");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("block 01XXXXXXXXXXXXXXXXXXXXXXXX not found\n");
        String oldest = ToolReadOnlyDb.blockDirsByMinTime(out).getFirst().getFileName().toString();
        Result first = ours("tsdb", "analyze", "--limit=1", out, oldest);
        assertThat(first.out()).startsWith("Block ID: " + oldest + "\n").contains("Most common label pairs:\n2 __name__=http_requests_total\n\n");
    }

    @Test
    void helpListsFlagsWithDefaults() {
        Result r = ours("tsdb", "dump", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--min-time=<value>").contains("(default: -9223372036854775808)")
                .contains("(default: {__name__=~'(?s:.*)'})").contains("[<db path>]");
        assertThat(ours("tsdb", "create-blocks-from", "openmetrics", "--help").out()).contains("--max-block-duration=<value>")
                .contains("(default: 2h)").contains("--[no-]quiet").contains("<input file>");
        assertThat(ours("tsdb", "analyze", "--help").out()).contains("--limit=<value>").contains("(default: 20)");
        assertThat(ours("--help").out()).contains("tsdb create-blocks-from openmetrics").contains("query range");
    }
}
