package io.pyrometer.tsdb;

import static io.pyrometer.tsdb.DbTest.fill;
import static io.pyrometer.tsdb.DbTest.opts;
import static io.pyrometer.tsdb.DbTest.series;
import static io.pyrometer.tsdb.DbTest.timestamps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.ValueType;
import io.pyrometer.tsdb.block.Block;
import io.pyrometer.tsdb.block.BlockDirs;
import io.pyrometer.tsdb.block.BlockMeta;
import io.pyrometer.tsdb.block.BlockWriter;
import io.pyrometer.tsdb.block.Intervals;
import io.pyrometer.tsdb.block.Tombstones;
import io.pyrometer.tsdb.index.IndexReader;
import io.pyrometer.tsdb.index.Postings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DB#cleanTombstones()} (Prometheus's {@code CleanTombstones}): blocks with tombstones are
 * rewritten without the deleted samples, queries answer as before, and a crash at any point of
 * the swap leaves a directory that opens with the same data.
 */
class CleanTombstonesTest {
    static final long HOUR = 3600_000;
    static final int COMMITS = 4 * 240; // 4 hours at 15s: one 2h block [0, 2h) and the head [2h, 4h)

    @TempDir
    Path tmp;

    /**
     * One block and the head; series i=1 loses [1h, 3h] (half in the block, half in the head),
     * series i=2 loses everything. Returns the block's directory.
     */
    static Path blockWithTombstones(DB db) throws IOException {
        fill(db, 3, 0, COMMITS);
        db.maintain();
        assertThat(db.numBlocks()).isEqualTo(1);
        db.delete(HOUR, 3 * HOUR, List.of(LabelMatcher.eq("i", "1")));
        db.delete(Long.MIN_VALUE, Long.MAX_VALUE, List.of(LabelMatcher.eq("i", "2")));
        List<Path> dirs = BlockDirs.list(db.dir());
        assertThat(dirs).hasSize(1);
        return dirs.getFirst();
    }

    /** Every sample stored in the block's chunks, tombstones ignored: what is physically on disk. */
    static Map<Labels, List<Long>> rawSamples(Path blockDir) throws IOException {
        Map<Labels, List<Long>> out = new LinkedHashMap<>();
        try (Block b = Block.open(blockDir)) {
            IndexReader index = b.index();
            Postings p = index.allPostings();
            SampleIterator it = null;
            while (p.next()) {
                IndexReader.SeriesEntry e = index.series(p.at());
                it = b.samples(e.chunks(), Intervals.NONE, Long.MIN_VALUE, Long.MAX_VALUE, it);
                List<Long> ts = new ArrayList<>();
                while (it.next() == ValueType.FLOAT) ts.add(it.atT());
                out.put(e.labels(), ts);
            }
        }
        return out;
    }

    @Test
    void blocksAreRewrittenWithoutTheDeletedSamplesAndQueriesDoNotChange() throws IOException {
        Path dir = tmp.resolve("data");
        PrometheusRegistry reg = new PrometheusRegistry();
        try (DB db = DB.open(dir, opts().withRegistry(reg))) {
            Path old = blockWithTombstones(db);
            BlockMeta oldMeta = BlockMeta.read(old);
            Map<Labels, List<Long>> before = timestamps(db, Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(before.get(series(1))).hasSize(COMMITS - (2 * 240 + 1));
            assertThat(before.getOrDefault(series(2), List.of())).isEmpty();
            assertThat(rawSamples(old).get(series(1))).as("delete only adds tombstones").hasSize(480);

            assertThat(db.cleanTombstones()).isEqualTo(1);

            List<Path> dirs = BlockDirs.list(dir);
            assertThat(dirs).hasSize(1);
            Path cleaned = dirs.getFirst();
            assertThat(cleaned).isNotEqualTo(old);
            assertThat(old).doesNotExist();
            assertThat(db.numBlocks()).isEqualTo(1);
            assertThat(timestamps(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(before);

            BlockMeta m = BlockMeta.read(cleaned);
            assertThat(m.minTimeMs()).isEqualTo(oldMeta.minTimeMs());
            assertThat(m.maxTimeMs()).isEqualTo(oldMeta.maxTimeMs());
            assertThat(m.compaction().level()).isEqualTo(oldMeta.compaction().level());
            assertThat(m.compaction().sources()).isEqualTo(oldMeta.compaction().sources());
            assertThat(m.compaction().parents()).containsExactly(oldMeta.desc());
            // i=0 keeps its 480 samples of [0, 2h), i=1 keeps [0, 1h), i=2 is gone
            assertThat(m.stats()).isEqualTo(new BlockMeta.Stats(480 + 240, 2, m.stats().numChunks(), 0));
            assertThat(Tombstones.read(cleaned).isEmpty()).isTrue();

            Map<Labels, List<Long>> raw = rawSamples(cleaned);
            assertThat(raw.keySet()).containsExactly(series(0), series(1));
            assertThat(raw.get(series(1))).hasSize(240).allMatch(t -> t < HOUR);
            assertThat(raw.get(series(0))).hasSize(480);

            assertThat(db.cleanTombstones()).as("nothing left to clean").isZero();
            assertThat(BlockDirs.list(dir)).containsExactly(cleaned);
            assertThat(DbTest.scrape(reg)).contains("prometheus_tsdb_tombstone_cleanup_seconds_count 2");
        }
        try (DB db = DB.open(dir, opts())) {
            Map<Labels, List<Long>> got = timestamps(db, Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(got.get(series(1))).hasSize(COMMITS - (2 * 240 + 1)).noneMatch(t -> t >= HOUR && t <= 3 * HOUR);
            assertThat(got.get(series(0))).hasSize(COMMITS);
            assertThat(got.getOrDefault(series(2), List.of())).isEmpty();
        }
    }

    @Test
    void theHeadIsLeftToItsTombstonesAsInPrometheus() throws IOException {
        try (DB db = DB.open(tmp.resolve("data"), opts())) {
            fill(db, 3, 0, 100);
            db.delete(0, 15_000 * 49, List.of(LabelMatcher.eq("i", "0")));
            assertThat(db.cleanTombstones()).isZero();
            assertThat(timestamps(db, Long.MIN_VALUE, Long.MAX_VALUE).get(series(0))).hasSize(50);
            assertThat(db.numBlocks()).isZero();
        }
    }

    @Test
    void aBlockWhoseEverySampleIsDeletedDisappears() throws IOException {
        try (DB db = DB.open(tmp.resolve("data"), opts())) {
            fill(db, 3, 0, COMMITS);
            db.maintain();
            db.delete(0, 2 * HOUR - 1, List.of(LabelMatcher.of(LabelMatcher.Type.RE, "__name__", ".+")));
            assertThat(db.cleanTombstones()).isEqualTo(1);
            assertThat(db.numBlocks()).isZero();
            assertThat(BlockDirs.list(db.dir())).isEmpty();
            Map<Labels, List<Long>> got = timestamps(db, Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(got).hasSize(3);
            for (List<Long> ts : got.values()) assertThat(ts).hasSize(COMMITS - 480).allMatch(t -> t >= 2 * HOUR);
        }
    }

    /** A crash after the new block was renamed into place, before the old one was deleted: both are on disk. */
    @Test
    void crashBeforeTheOldBlockWasDeletedOpensWithTheNewBlockOnly() throws IOException {
        Path dir = tmp.resolve("data");
        Path old;
        Path saved = tmp.resolve("saved");
        Map<Labels, List<Long>> before;
        try (DB db = DB.open(dir, opts())) {
            old = blockWithTombstones(db);
            DbTest.copyDir(old, saved);
            before = timestamps(db, Long.MIN_VALUE, Long.MAX_VALUE);
            db.cleanTombstones();
        }
        DbTest.copyDir(saved, old); // the old block as a crash would have left it
        assertThat(BlockDirs.list(dir)).hasSize(2);
        try (DB db = DB.open(dir, opts())) {
            assertThat(old).as("the parent named by the new block is deleted at open").doesNotExist();
            assertThat(db.numBlocks()).isEqualTo(1);
            assertThat(timestamps(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(before);
        }
    }

    /** A crash while the new block was written, or while the old one was being deleted. */
    @Test
    void crashWhileWritingOrDeletingLeavesNothingBehind() throws IOException {
        Path dir = tmp.resolve("data");
        Path old;
        Map<Labels, List<Long>> before;
        try (DB db = DB.open(dir, opts())) {
            old = blockWithTombstones(db);
            before = timestamps(db, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        // half-written new block: chunks but no index or meta.json
        Path creating = dir.resolve("01JDZ3V5Q4X9GQ0000000000AB" + BlockWriter.TMP_FOR_CREATION);
        DbTest.copyDir(old.resolve(BlockWriter.CHUNKS_DIR), creating.resolve(BlockWriter.CHUNKS_DIR));
        try (DB db = DB.open(dir, opts())) {
            assertThat(creating).doesNotExist();
            assertThat(BlockDirs.list(dir)).containsExactly(old);
            assertThat(timestamps(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(before);
            assertThat(db.cleanTombstones()).isEqualTo(1);
        }
        // old block renamed for deletion but not yet removed
        Path cleaned = BlockDirs.list(dir).getFirst();
        Path deleting = dir.resolve(old.getFileName() + BlockDirs.TMP_FOR_DELETION);
        DbTest.copyDir(cleaned, deleting);
        try (DB db = DB.open(dir, opts())) {
            assertThat(deleting).doesNotExist();
            assertThat(BlockDirs.list(dir)).containsExactly(cleaned);
            assertThat(timestamps(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(before);
        }
    }

    @Test
    void aFailedRewriteLeavesTheOldBlockWithItsTombstonesAndNoLeftovers() throws IOException {
        Path dir = tmp.resolve("data");
        try (DB db = DB.open(dir, opts())) {
            Path old = blockWithTombstones(db);
            try (RandomAccessFile f = new RandomAccessFile(old.resolve(BlockWriter.CHUNKS_DIR).resolve("000001").toFile(), "rw")) {
                f.seek(20); // inside the first chunk's data: its CRC no longer matches
                int b = f.read();
                f.seek(20);
                f.write(b ^ 0xFF);
            }
            assertThatThrownBy(db::cleanTombstones).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("clean tombstones: " + old + ": ");
            assertThat(BlockDirs.list(dir)).containsExactly(old);
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-for-"));
            }
            assertThat(db.numBlocks()).isEqualTo(1);
            assertThat(Tombstones.read(old).count()).isEqualTo(2);
            assertThat(BlockMeta.read(old).compaction().failed()).as("not marked as a failed compaction").isFalse();
        }
    }

    /** promtool (the real Prometheus reader) sees the cleaned block without the deleted samples, tombstones or not. */
    @Test
    void promtoolDumpOfTheCleanedBlockLacksTheDeletedSamples() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool),
                "promtool dump check skipped: /usr/bin/promtool not installed (Debian package 'prometheus')");
        Path dir = tmp.resolve("data");
        try (DB db = DB.open(dir, opts())) {
            blockWithTombstones(db);
            db.cleanTombstones();
        }
        // the block alone in a directory of its own: no head, and its (empty) tombstones hide nothing
        Path only = tmp.resolve("only");
        Path block = BlockDirs.list(dir).getFirst();
        DbTest.copyDir(block, only.resolve(block.getFileName().toString()));
        Files.createDirectories(only.resolve("wal"));
        Process p = new ProcessBuilder(promtool.toString(), "tsdb", "dump", only.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
        String s1 = "{__name__=\"m1\", i=\"1\"} ";
        assertThat(lines).hasSize(480 + 240)
                .noneMatch(l -> l.contains("i=\"2\""))
                .contains(s1 + "239001 " + 239 * 15_000L)
                .doesNotContain(s1 + "240001 " + 240 * 15_000L);
        assertThat(lines.stream().filter(l -> l.startsWith(s1))).hasSize(240);
    }
}
