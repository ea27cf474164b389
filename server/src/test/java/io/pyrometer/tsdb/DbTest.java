package io.pyrometer.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import io.pyrometer.tsdb.block.BlockDirs;
import io.pyrometer.tsdb.wal.Wal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbTest {
    @TempDir
    Path tmp;

    static final LabelMatcher ALL = LabelMatcher.of(LabelMatcher.Type.RE, "__name__", ".+");

    static DbOptions opts() { return DbOptions.defaults().withStripeSize(64).withMaintenanceIntervalMs(3600_000); }

    static Labels series(int i) { return Labels.of("__name__", "m" + (i % 3), "i", Integer.toString(i)); }

    /** Appends {@code commits} commits of one sample for each of {@code n} series at 15s steps. */
    static void fill(DB db, int n, int fromCommit, int commits) {
        for (int c = fromCommit; c < fromCommit + commits; c++) {
            Appender app = db.appender();
            for (int i = 0; i < n; i++) assertThat(app.append(0, series(i), c * 15_000L, c * 1000 + i)).isPositive();
            app.commit();
        }
    }

    static Map<Labels, List<Long>> timestamps(DB db, long mint, long maxt) {
        Map<Labels, List<Long>> out = new LinkedHashMap<>();
        try (Querier q = db.querier(mint, maxt)) {
            SeriesSet set = q.select(true, SelectHints.range(mint, maxt), List.of(ALL));
            SampleIterator it = null;
            while (set.next()) {
                List<Long> ts = new ArrayList<>();
                it = set.at().iterator(it);
                while (it.next() == ValueType.FLOAT) {
                    ts.add(it.atT());
                    int c = (int) (it.atT() / 15_000);
                    assertThat(it.atV()).isEqualTo(c * 1000 + Integer.parseInt(set.at().labels().get("i")));
                }
                out.put(set.at().labels(), ts);
            }
        }
        return out;
    }

    static void assertComplete(Map<Labels, List<Long>> got, int n, int commits) {
        assertThat(got).hasSize(n);
        for (List<Long> ts : got.values()) {
            assertThat(ts).hasSize(commits);
            for (int c = 0; c < commits; c++) assertThat(ts.get(c)).isEqualTo(c * 15_000L);
        }
    }

    static Path copyDir(Path src, Path dst) throws IOException {
        try (var s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return dst;
    }

    static String scrape(PrometheusRegistry r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, r.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void samplesSurviveCloseAndReopen() throws IOException {
        Path dir = tmp.resolve("data");
        try (DB db = DB.open(dir, opts())) {
            fill(db, 50, 0, 300); // 300 samples per series: full chunks go to chunks_head
            assertThat(db.head().numChunks()).isGreaterThan(50);
        }
        assertThat(Files.list(dir.resolve("chunks_head")).count()).isPositive();
        try (DB db = DB.open(dir, opts())) {
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 50, 300);
            fill(db, 50, 300, 1); // and appending continues where it stopped
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 50, 301);
        }
    }

    @Test
    void committedSamplesSurviveAnAbruptStop() throws IOException {
        Path dir = tmp.resolve("data");
        DB db = DB.open(dir, opts());
        try {
            fill(db, 20, 0, 150);
            // no close: the copy sees exactly what a killed process leaves behind
            Path copy = copyDir(dir, tmp.resolve("copy"));
            try (DB reopened = DB.open(copy, opts())) {
                assertComplete(timestamps(reopened, 0, Long.MAX_VALUE), 20, 150);
            }
        } finally {
            db.close();
        }
    }

    @Test
    void tornHeadChunksFileIsCutAndTheWalFillsTheGap() throws IOException {
        Path dir = tmp.resolve("data");
        try (DB db = DB.open(dir, opts())) {
            fill(db, 10, 0, 500);
        }
        Path chunks = dir.resolve("chunks_head").resolve("000001");
        try (RandomAccessFile f = new RandomAccessFile(chunks.toFile(), "rw")) {
            f.setLength(f.length() - 7); // last chunk torn, as a kill -9 mid-write leaves it
        }
        PrometheusRegistry reg = new PrometheusRegistry();
        try (DB db = DB.open(dir, opts().withRegistry(reg))) {
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 10, 500);
            assertThat(scrape(reg)).contains("prometheus_tsdb_mmap_chunk_corruptions_total 1.0", "prometheus_tsdb_wal_corruptions_total 0.0");
        }
    }

    @Test
    void outOfOrderSamplesSurviveReplay() throws IOException {
        Path dir = tmp.resolve("data");
        DbOptions o = opts().withOutOfOrderTimeWindowMs(3600_000);
        try (DB db = DB.open(dir, o)) {
            Appender app = db.appender();
            for (int c = 0; c < 100; c += 2) app.append(0, series(0), c * 15_000L, c * 1000);
            app.commit();
            app = db.appender();
            for (int c = 1; c < 100; c += 2) assertThat(app.append(0, series(0), c * 15_000L, c * 1000)).isPositive();
            app.commit();
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 1, 100);
        }
        try (DB db = DB.open(dir, o)) {
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 1, 100);
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() throws IOException {
        Path dir = tmp.resolve("data");
        try (DB db = DB.open(dir, opts())) {
            assertThatThrownBy(() -> DB.open(dir, opts()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("lock DB directory")
                    .hasMessageContaining(dir.toAbsolutePath().toString());
        }
        DB.open(dir, opts()).close(); // released on close
    }

    @Test
    void walCutMidRecordIsRepairedAndCounted() throws IOException {
        Path dir = tmp.resolve("data");
        try (DB db = DB.open(dir, opts())) {
            fill(db, 10, 0, 20);
        }
        Path seg = dir.resolve("wal").resolve("00000000");
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(f.length() - 20); // the last commit's samples record is torn
        }
        PrometheusRegistry reg = new PrometheusRegistry();
        try (DB db = DB.open(dir, opts().withRegistry(reg))) {
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 10, 19);
            assertThat(scrape(reg)).contains("prometheus_tsdb_wal_corruptions_total 1.0");
            fill(db, 10, 19, 1);
        }
        try (DB db = DB.open(dir, opts().withRegistry(new PrometheusRegistry()))) {
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 10, 20);
        }
    }

    @Test
    void garbageInTheMiddleOfASegmentKeepsEverythingBeforeIt() throws IOException {
        Path dir = tmp.resolve("data");
        DbOptions o = opts().withWalSegmentSizeBytes(2 * Wal.PAGE_SIZE);
        try (DB db = DB.open(dir, o)) {
            fill(db, 300, 0, 100);
        }
        List<Integer> segs = Wal.Segments.list(dir.resolve("wal"));
        assertThat(segs.size()).isGreaterThan(4);
        Path victim = dir.resolve("wal").resolve(Wal.Segments.name(segs.get(2)));
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            byte[] junk = new byte[300];
            new Random(1).nextBytes(junk);
            f.seek(f.length() / 2);
            f.write(junk);
        }
        PrometheusRegistry reg = new PrometheusRegistry();
        try (DB db = DB.open(dir, o.withRegistry(reg))) {
            Map<Labels, List<Long>> got = timestamps(db, 0, Long.MAX_VALUE);
            assertThat(got).hasSize(300);
            // Every series keeps the commits before the damage; series whose first chunk was cut to
            // the head chunks files before the damage keep that chunk's samples too.
            int kept = got.values().stream().mapToInt(List::size).min().orElseThrow();
            assertThat(kept).as("commits before the damaged segment are all there").isGreaterThan(10).isLessThan(100);
            for (List<Long> ts : got.values()) {
                for (int c = 0; c < ts.size(); c++) assertThat(ts.get(c)).isEqualTo(c * 15_000L);
            }
            assertThat(scrape(reg)).contains("prometheus_tsdb_wal_corruptions_total 1.0");
        }
    }

    @Test
    void selfMetricsUsePrometheusNames() throws IOException {
        PrometheusRegistry reg = new PrometheusRegistry();
        try (DB db = DB.open(tmp.resolve("data"), opts().withRegistry(reg))) {
            fill(db, 3, 0, 2);
            Appender app = db.appender();
            app.append(0, series(0), 0, 1); // out of order
            app.commit();
            String text = scrape(reg);
            assertThat(text).contains(
                    "prometheus_tsdb_head_series 3.0",
                    "prometheus_tsdb_head_samples_appended_total{type=\"float\"} 6.0",
                    "prometheus_tsdb_out_of_order_samples_total{type=\"float\"} 1.0",
                    "prometheus_tsdb_head_max_time 15000.0",
                    "prometheus_tsdb_head_min_time 0.0",
                    "prometheus_tsdb_head_series_removed_total 0.0",
                    "prometheus_tsdb_wal_corruptions_total 0.0",
                    "prometheus_tsdb_blocks_loaded 0.0",
                    "prometheus_tsdb_compactions_total 0.0",
                    "prometheus_tsdb_wal_fsync_duration_seconds",
                    "prometheus_tsdb_head_chunks 3.0",
                    "prometheus_tsdb_wal_segment_current 0.0",
                    // three open chunks of two samples, each in a 32-byte slot of one 64 KiB slab
                    "pyrometer_tsdb_head_open_chunk_bytes 96.0",
                    "pyrometer_tsdb_head_chunk_arena_bytes 65536.0");
        }
    }

    @Test
    void headIsCutIntoABlockAndQueriesSpanBoth() throws IOException {
        Path dir = tmp.resolve("data");
        PrometheusRegistry reg = new PrometheusRegistry();
        int commits = 4 * 240; // 4 hours at 15s: more than 1.5 block ranges
        try (DB db = DB.open(dir, opts().withRegistry(reg))) {
            fill(db, 10, 0, commits);
            db.maintain();
            assertThat(db.numBlocks()).isEqualTo(1);
            assertThat(db.head().minTime()).isGreaterThanOrEqualTo(DbOptions.DEFAULT_BLOCK_RANGE_MS);
            assertThat(scrape(reg)).contains("prometheus_tsdb_compactions_total 1.0", "prometheus_tsdb_blocks_loaded 1.0");
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 10, commits);
        }
        assertThat(BlockDirs.list(dir)).hasSize(1);
        try (DB db = DB.open(dir, opts())) {
            assertThat(db.numBlocks()).isEqualTo(1);
            assertThat(db.head().minTime()).as("WAL samples already in the block are not replayed").isGreaterThanOrEqualTo(DbOptions.DEFAULT_BLOCK_RANGE_MS);
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 10, commits);
            assertThat(db.startTimeMs()).isZero();
        }
    }

    @Test
    void truncationCheckpointsTheWalAndReplayStartsFromTheCheckpoint() throws IOException {
        Path dir = tmp.resolve("data");
        DbOptions o = opts().withWalSegmentSizeBytes(4 * Wal.PAGE_SIZE);
        int commits = 4 * 240;
        try (DB db = DB.open(dir, o)) {
            fill(db, 20, 0, commits);
            int before = Wal.Segments.list(dir.resolve("wal")).size();
            db.maintain();
            assertThat(Wal.Segments.list(dir.resolve("wal")).size()).as("covered segments deleted").isLessThan(before);
            assertThat(db.head().walTruncationsTotal()).isEqualTo(1);
        }
        assertThat(io.pyrometer.tsdb.wal.Checkpoint.last(dir.resolve("wal"))).isNotNull();
        try (DB db = DB.open(dir, o)) {
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 20, commits);
            assertThat(db.head().numSeries()).isEqualTo(20);
        }
    }

    @Test
    void aQuerierOpenDuringHeadCompactionStillSeesEverything() throws Exception {
        int commits = 4 * 240;
        try (DB db = DB.open(tmp.resolve("data"), opts())) {
            fill(db, 5, 0, commits);
            Querier q = db.querier(0, Long.MAX_VALUE); // knows no block yet
            Thread compaction = Thread.ofPlatform().start(db::maintain);
            compaction.join(500);
            assertThat(compaction.isAlive()).as("truncation waits for the open querier").isTrue();
            Map<Labels, List<Long>> got = new LinkedHashMap<>();
            SeriesSet set = q.select(true, null, List.of(ALL));
            while (set.next()) {
                List<Long> ts = new ArrayList<>();
                SampleIterator it = set.at().iterator(null);
                while (it.next() == ValueType.FLOAT) ts.add(it.atT());
                got.put(set.at().labels(), ts);
            }
            q.close();
            assertComplete(got, 5, commits);
            compaction.join(10_000);
            assertThat(compaction.isAlive()).isFalse();
            assertThat(db.numBlocks()).isEqualTo(1);
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 5, commits);
        }
    }

    @Test
    void deleteHidesSamplesInBlocksAndHead() throws IOException {
        Path dir = tmp.resolve("data");
        int commits = 4 * 240;
        try (DB db = DB.open(dir, opts())) {
            fill(db, 3, 0, commits);
            db.maintain();
            // from 1h (in the block) to 3h (in the head), series i=1 only
            db.delete(3600_000, 3 * 3600_000, List.of(LabelMatcher.eq("i", "1")));
            List<Long> ts = timestamps(db, 0, Long.MAX_VALUE).get(series(1));
            assertThat(ts).hasSize(commits - (2 * 240 + 1));
            assertThat(ts).noneMatch(t -> t >= 3600_000 && t <= 3 * 3600_000);
            assertThat(timestamps(db, 0, Long.MAX_VALUE).get(series(0))).hasSize(commits);
        }
        try (DB db = DB.open(dir, opts())) {
            assertThat(timestamps(db, 0, Long.MAX_VALUE).get(series(1))).hasSize(commits - (2 * 240 + 1));
        }
    }

    @Test
    void snapshotWithHeadHoldsEveryBlockAndTheHead() throws IOException {
        Path dir = tmp.resolve("data");
        Path snap;
        try (DB db = DB.open(dir, opts())) {
            fill(db, 5, 0, 4 * 240);
            db.maintain();
            snap = db.snapshot(tmp.resolve("snapshots"), true);
        }
        assertThat(BlockDirs.list(snap)).hasSize(2);
        try (DB db = DB.open(snap, opts())) {
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 5, 4 * 240);
        }
    }

    @Test
    void headBlocksListSeriesInUtf8ByteOrder() throws IOException {
        // U+FFFD is EF BF BD in UTF-8 and U+1F600 is F0 9F 98 80, so byte order puts U+FFFD first;
        // String.compareTo (UTF-16 units, D83D < FFFD) puts it second. A block index needs byte order,
        // and the head's series reach the block writer one at a time in the querier's order.
        Labels bmp = Labels.of("__name__", "m", "v", "\uFFFD");
        Labels astral = Labels.of("__name__", "m", "v", "\uD83D\uDE00");
        Path snap;
        try (DB db = DB.open(tmp.resolve("data"), opts())) {
            for (int c = 0; c < 3; c++) {
                Appender app = db.appender();
                assertThat(app.append(0, astral, c * 15_000L, c)).isPositive();
                assertThat(app.append(0, bmp, c * 15_000L, c)).isPositive();
                app.commit();
            }
            snap = db.snapshot(tmp.resolve("snapshots"), true);
        }
        assertThat(BlockDirs.list(snap)).hasSize(1);
        try (DB db = DB.open(snap, opts()); Querier q = db.querier(0, Long.MAX_VALUE)) {
            SeriesSet set = q.select(true, SelectHints.range(0, Long.MAX_VALUE), List.of(ALL));
            List<Labels> got = new ArrayList<>();
            while (set.next()) got.add(set.at().labels());
            assertThat(got).containsExactly(bmp, astral);
        }
    }

    @Test
    void blocksAreCompactedByLevels() throws IOException {
        Path dir = tmp.resolve("data");
        PrometheusRegistry reg = new PrometheusRegistry();
        int commits = 14 * 240; // 14 hours
        try (DB db = DB.open(dir, opts().withRegistry(reg))) {
            fill(db, 2, 0, commits);
            db.maintain();
            // six 2h blocks were cut; [0,6h) lies before the newest block's window and becomes one block
            assertThat(db.numBlocks()).isEqualTo(4);
            assertThat(scrape(reg)).contains("prometheus_tsdb_compactions_total 7.0");
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 2, commits);
        }
        try (DB db = DB.open(dir, opts())) {
            assertComplete(timestamps(db, 0, Long.MAX_VALUE), 2, commits);
        }
    }

    @Test
    void sizeRetentionCountsTheWalAndHeadChunks() throws IOException {
        Path dir = tmp.resolve("data");
        PrometheusRegistry reg = new PrometheusRegistry();
        try (DB db = DB.open(dir, opts().withRegistry(reg))) {
            fill(db, 2, 0, 8 * 240);
            db.maintain();
            assertThat(db.numBlocks()).isEqualTo(3);
        }
        long walAndHead;
        try (DB db = DB.open(dir, opts())) {
            walAndHead = db.head().diskBytes();
        }
        // room for the WAL and head chunks plus less than one block: every block must go
        try (DB db = DB.open(dir, opts().withRegistry(reg = new PrometheusRegistry()).withRetention(0, walAndHead + 100))) {
            db.maintain();
            assertThat(db.numBlocks()).isZero();
            assertThat(scrape(reg)).contains("prometheus_tsdb_size_retentions_total 1.0");
            assertThat(timestamps(db, 0, Long.MAX_VALUE).get(series(0)).getFirst()).as("the head is untouched").isEqualTo(6 * 3600_000L);
        }
    }

    @Test
    void timeRetentionDeletesOldBlocks() throws IOException {
        Path dir = tmp.resolve("data");
        try (DB db = DB.open(dir, opts().withRetention(3 * 3600_000L, 0))) {
            fill(db, 2, 0, 8 * 240); // 8 hours
            db.maintain();
            // blocks [0,2h) [2h,4h) [4h,6h) were cut; the first ends 3h or more before the newest block ends
            assertThat(db.numBlocks()).isEqualTo(2);
            assertThat(db.startTimeMs()).isEqualTo(2 * 3600_000L);
        }
        assertThat(Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".tmp-for-deletion")).count()).isZero();
        List<Path> left = BlockDirs.list(dir);
        left.sort(Comparator.naturalOrder());
        assertThat(left).hasSize(2);
    }
}
