package io.pyrometer.tsdb.block;

import static io.pyrometer.tsdb.block.BlockTestData.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.LabelMatcher.Type;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.ArraySeries;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.ValueType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BlockTest {
    @TempDir
    Path dataDir;

    static final Labels A = Labels.of("__name__", "http_requests_total", "job", "api", "code", "200");
    static final Labels B = Labels.of("__name__", "http_requests_total", "job", "api", "code", "500");
    static final Labels C = Labels.of("__name__", "http_requests_total", "job", "web", "code", "200");
    static final Labels D = Labels.of("__name__", "up", "job", "web");
    static final Labels E = Labels.of("__name__", "up", "job", "db", "env", "prod");

    ArraySeries a = series(A, T0, 15_000, 250, 0);     // 3 chunks
    ArraySeries b = series(B, T0, 15_000, 10, 100);
    ArraySeries c = series(C, T0 + 60_000, 30_000, 5, 7);
    ArraySeries d = series(D, T0, 60_000, 3, 1);
    ArraySeries e = series(E, T0, 60_000, 2, 1);
    BlockMeta meta;

    @BeforeEach
    void write() throws IOException {
        meta = new BlockWriter(dataDir).write(List.of(e, d, c, b, a), T0, T0 + 7_200_000);
    }

    @Test
    void writesMetaWithStatsAndLevel1Compaction() throws IOException {
        assertThat(BlockDirs.list(dataDir)).containsExactly(dataDir.resolve(meta.ulid()));
        BlockMeta read = BlockMeta.read(dataDir.resolve(meta.ulid()));
        assertThat(read).isEqualTo(meta);
        assertThat(read.stats()).isEqualTo(new BlockMeta.Stats(250 + 10 + 5 + 3 + 2, 5, 3 + 1 + 1 + 1 + 1, 0));
        assertThat(read.compaction().level()).isEqualTo(1);
        assertThat(read.compaction().sources()).containsExactly(meta.ulid());
        assertThat(Files.list(dataDir).map(p -> p.getFileName().toString())).containsExactly(meta.ulid());
    }

    @Test
    void roundTripsEverySeriesInLabelOrder() throws IOException {
        try (Block blk = Block.open(dataDir.resolve(meta.ulid())); BlockQuerier q = blk.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            Map<Labels, List<String>> got = drain(q.select(true, null, List.of(LabelMatcher.of(Type.RE, "__name__", ".+"))));
            // sorted pairwise by (name, value): code="200" sorts before code="500" whatever the job
            assertThat(got.keySet()).containsExactly(A, C, B, E, D);
            assertThat(got.get(A)).isEqualTo(samples(a));
            assertThat(got.get(C)).isEqualTo(samples(c));
        }
    }

    static Stream<Arguments> matcherCases() {
        return Stream.of(
                Arguments.of("job=\"api\"", List.of(LabelMatcher.eq("job", "api")), List.of(A, B)),
                Arguments.of("name and code", List.of(LabelMatcher.eq("__name__", "http_requests_total"), LabelMatcher.eq("code", "200")), List.of(A, C)),
                Arguments.of("job!=\"api\"", List.of(LabelMatcher.of(Type.NEQ, "job", "api")), List.of(C, E, D)),
                Arguments.of("set lookup =~\"db|web\"", List.of(LabelMatcher.of(Type.RE, "job", "db|web")), List.of(C, E, D)),
                Arguments.of("regex scan =~\"w.*\"", List.of(LabelMatcher.of(Type.RE, "job", "w.*")), List.of(C, D)),
                Arguments.of("!~ keeps series without the label", List.of(LabelMatcher.eq("__name__", "up"), LabelMatcher.of(Type.NRE, "env", "pro.*")), List.of(D)),
                Arguments.of("label=\"\" selects series lacking it", List.of(LabelMatcher.eq("__name__", "up"), LabelMatcher.eq("env", "")), List.of(D)),
                Arguments.of("label!=\"\" selects series having it", List.of(LabelMatcher.of(Type.NEQ, "env", "")), List.of(E)),
                Arguments.of("unknown value", List.of(LabelMatcher.eq("job", "nope")), List.of()),
                Arguments.of("unknown label", List.of(LabelMatcher.eq("zone", "x")), List.of()),
                Arguments.of("=~\".*\" with a real matcher", List.of(LabelMatcher.eq("job", "web"), LabelMatcher.of(Type.RE, "code", ".*")), List.of(C, D)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matcherCases")
    void selectsSeriesLikePrometheus(String name, List<LabelMatcher> ms, List<Labels> want) throws IOException {
        try (Block blk = Block.open(dataDir.resolve(meta.ulid())); BlockQuerier q = blk.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertThat(drain(q.select(false, null, ms)).keySet()).containsExactlyElementsOf(want);
        }
    }

    @Test
    void trimsToQueryRangeAndSkipsSeriesWithoutDataInIt() throws IOException {
        try (Block blk = Block.open(dataDir.resolve(meta.ulid()))) {
            long from = T0 + 60_000, to = T0 + 120_000;
            try (BlockQuerier q = blk.querier(from, to)) {
                Map<Labels, List<String>> got = drain(q.select(true, null, List.of(LabelMatcher.eq("job", "api"))));
                assertThat(got.get(A)).containsExactly(from + "=4.0", (from + 15_000) + "=5.0", (from + 30_000) + "=6.0",
                        (from + 45_000) + "=7.0", to + "=8.0");
            }
            // only A has samples after T0 + 1h
            try (BlockQuerier q = blk.querier(T0 + 3_600_000, T0 + 7_200_000)) {
                assertThat(drain(q.select(true, null, List.of(LabelMatcher.of(Type.RE, "job", ".+")))).keySet()).containsExactly(A);
            }
            try (BlockQuerier q = blk.querier(0, Long.MAX_VALUE)) {
                assertThat(drain(q.select(true, SelectHints.range(T0, T0), List.of(LabelMatcher.eq("job", "db")))).get(E))
                        .containsExactly(T0 + "=1.0");
            }
        }
    }

    @Test
    void seekSkipsChunksAndNeverMovesBack() throws IOException {
        try (Block blk = Block.open(dataDir.resolve(meta.ulid())); BlockQuerier q = blk.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            var ss = q.select(true, null, List.of(LabelMatcher.eq("code", "200"), LabelMatcher.eq("job", "api")));
            assertThat(ss.next()).isTrue();
            SampleIterator it = ss.at().iterator(null);
            assertThat(it.seek(T0 + 200 * 15_000 + 1)).isEqualTo(ValueType.FLOAT);
            assertThat(it.atT()).isEqualTo(T0 + 201 * 15_000);
            assertThat(it.seek(T0)).isEqualTo(ValueType.FLOAT);
            assertThat(it.atT()).isEqualTo(T0 + 201 * 15_000);
            assertThat(it.next()).isEqualTo(ValueType.FLOAT);
            assertThat(it.atT()).isEqualTo(T0 + 202 * 15_000);
            assertThat(it.seek(T0 + 250 * 15_000)).isEqualTo(ValueType.NONE);
        }
    }

    @Test
    void labelNamesAndValues() throws IOException {
        try (Block blk = Block.open(dataDir.resolve(meta.ulid())); BlockQuerier q = blk.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertThat(q.labelNames(List.of())).containsExactly("__name__", "code", "env", "job");
            assertThat(q.labelValues("job", List.of())).containsExactly("api", "db", "web");
            assertThat(q.labelValues("job", List.of(LabelMatcher.eq("__name__", "up")))).containsExactly("db", "web");
            assertThat(q.labelNames(List.of(LabelMatcher.eq("__name__", "up")))).containsExactly("__name__", "env", "job");
            assertThat(q.labelValues("nope", List.of())).isEmpty();
        }
    }

    @Test
    void appliesTombstones() throws IOException {
        Path dir = dataDir.resolve(meta.ulid());
        long refA;
        try (Block blk = Block.open(dir)) {
            var p = blk.index().postings("code", "500");
            assertThat(p.next()).isTrue();
            refA = p.at(); // series B
        }
        Tombstones t = new Tombstones();
        t.add(refA, T0 + 15_000, T0 + 30_000);
        t.add(refA, T0 + 120_000, Long.MAX_VALUE);
        t.write(dir);
        assertThat(Files.size(dir.resolve("tombstones"))).isGreaterThan(9);
        try (Block blk = Block.open(dir); BlockQuerier q = blk.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertThat(blk.tombstones().count()).isEqualTo(2);
            assertThat(drain(q.select(true, null, List.of(LabelMatcher.eq("code", "500")))).get(B))
                    .containsExactly(T0 + "=100.0", (T0 + 45_000) + "=103.0", (T0 + 60_000) + "=104.0",
                            (T0 + 75_000) + "=105.0", (T0 + 90_000) + "=106.0", (T0 + 105_000) + "=107.0");
        }
        Tombstones all = new Tombstones();
        all.add(refA, Long.MIN_VALUE, Long.MAX_VALUE);
        all.write(dir);
        try (Block blk = Block.open(dir); BlockQuerier q = blk.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertThat(drain(q.select(true, null, List.of(LabelMatcher.eq("code", "500"))))).isEmpty();
        }
    }

    @Test
    void deleteWritesTombstonesAndMetaLikePrometheus() throws IOException {
        Path dir = dataDir.resolve(meta.ulid());
        try (Block blk = Block.open(dir)) {
            assertThat(blk.delete(List.of(LabelMatcher.eq("job", "api")), T0, T0 + 30_000)).isEqualTo(2);
            assertThat(blk.delete(List.of(LabelMatcher.eq("job", "api")), T0 + 7_200_000, T0 + 8_000_000)).isZero(); // no data there
            assertThat(blk.meta().stats().numTombstones()).isEqualTo(2);
            try (BlockQuerier q = blk.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertThat(drain(q.select(true, null, List.of(LabelMatcher.eq("code", "500")))).get(B)).hasSize(10 - 3);
            }
        }
        try (Block blk = Block.open(dir)) {
            assertThat(blk.meta().stats().numTombstones()).isEqualTo(2);
            assertThat(blk.tombstones().count()).isEqualTo(2);
        }
    }

    @Test
    void emptyTombstonesFileIsHeaderPlusZeroCrc() throws IOException {
        byte[] bytes = Files.readAllBytes(dataDir.resolve(meta.ulid()).resolve("tombstones"));
        assertThat(bytes).containsExactly(0x01, 0x30, 0xBA - 256, 0x30, 0x01, 0, 0, 0, 0);
    }

    @Test
    void closeTwiceIsHarmlessAndClosingWaitsForQueriers() throws IOException {
        Block blk = Block.open(dataDir.resolve(meta.ulid()));
        BlockQuerier q = blk.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        blk.close();
        // the open querier still reads mapped memory safely
        assertThat(drain(q.select(true, null, List.of(LabelMatcher.eq("job", "db")))).keySet()).containsExactly(E);
        q.close();
        q.close();
        blk.close();
        assertThatThrownBy(() -> blk.querier(0, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void closeReleasesTheMappings() throws IOException {
        Block blk = Block.open(dataDir.resolve(meta.ulid()));
        var postings = blk.index().allPostings();
        blk.close();
        // the arena is closed: the mapped memory can no longer be touched (no use-after-unmap crash)
        assertThatThrownBy(postings::next).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> blk.index().allPostings()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void detectsCorruptionWithFileAndSection() throws IOException {
        Path dir = dataDir.resolve(meta.ulid());
        long size = Files.size(dir.resolve("index"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("index").toFile(), "rw")) {
            f.seek(size - 10); // inside the TOC
            int v = f.read();
            f.seek(size - 10);
            f.write(v ^ 0xFF);
        }
        assertThatThrownBy(() -> Block.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("index").hasMessageContaining("TOC: invalid checksum");
    }

    @Test
    void detectsCorruptChunkOnRead() throws IOException {
        Path dir = dataDir.resolve(meta.ulid());
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("chunks/000001").toFile(), "rw")) {
            f.seek(20);
            int v = f.read();
            f.seek(20);
            f.write(v ^ 0x55);
        }
        try (Block blk = Block.open(dir); BlockQuerier q = blk.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            var ss = q.select(true, null, List.of(LabelMatcher.eq("code", "200"), LabelMatcher.eq("job", "api")));
            assertThat(ss.next()).isTrue();
            SampleIterator it = ss.at().iterator(null);
            assertThat(it.next()).isEqualTo(ValueType.NONE);
            assertThat(it.err()).hasMessageContaining("checksum mismatch").hasMessageContaining("000001");
        }
    }

    @Test
    void abandonedWriteLeavesOnlyATempDirThatIsCleanedAtOpen() throws IOException {
        BlockWriter w = new BlockWriter(dataDir);
        BlockWriter.Session s = w.open(List.of("__name__", "x"), 0, 10, null);
        s.addSeries(Labels.of("__name__", "x"), series(Labels.of("__name__", "x"), 1, 1, 3, 0).iterator(null));
        // simulate a crash: neither commit nor close
        assertThat(Files.isDirectory(dataDir.resolve(s.ulid() + ".tmp-for-creation"))).isTrue();
        assertThat(BlockDirs.list(dataDir)).hasSize(1);
        assertThat(BlockDirs.cleanTemporary(dataDir)).isEqualTo(1);
        assertThat(Files.exists(dataDir.resolve(s.ulid() + ".tmp-for-creation"))).isFalse();
        s.close();
    }

    @Test
    void rejectsUnsupportedMetaVersionNamingTheFile() throws IOException {
        Path dir = dataDir.resolve(meta.ulid());
        Files.writeString(dir.resolve("meta.json"), meta.toJson().replace("\"version\": 1", "\"version\": 2"));
        assertThatThrownBy(() -> Block.open(dir)).hasMessageContaining("unexpected meta file version 2").hasMessageContaining("meta.json");
    }
}
