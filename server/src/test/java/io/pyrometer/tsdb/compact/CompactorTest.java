package io.pyrometer.tsdb.compact;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.ArraySeries;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.ValueType;
import io.pyrometer.tsdb.block.Block;
import io.pyrometer.tsdb.block.BlockDirs;
import io.pyrometer.tsdb.block.BlockMeta;
import io.pyrometer.tsdb.block.BlockQuerier;
import io.pyrometer.tsdb.block.BlockWriter;
import io.pyrometer.tsdb.block.Tombstones;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactorTest {
    static final long H = 3_600_000L;
    static final Labels X = Labels.of("__name__", "x", "job", "a");
    static final Labels Y = Labels.of("__name__", "y", "job", "a");

    @TempDir
    Path data;

    static ArraySeries s(Labels l, long from, long step, int n, double base) {
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = from + i * step;
            vs[i] = base + i;
        }
        return new ArraySeries(l, ts, vs);
    }

    BlockMeta block(long mint, long maxt, ArraySeries... series) throws IOException {
        return new BlockWriter(data).write(List.of(series), mint, maxt);
    }

    Map<Labels, List<Long>> timestamps(Path dir) throws IOException {
        Map<Labels, List<Long>> out = new LinkedHashMap<>();
        try (Block b = Block.open(dir); BlockQuerier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            var ss = q.select(true, null, List.of(LabelMatcher.eq("job", "a")));
            SampleIterator it = null;
            while (ss.next()) {
                it = ss.at().iterator(it);
                List<Long> ts = new ArrayList<>();
                while (it.next() == ValueType.FLOAT) ts.add(it.atT());
                out.put(ss.at().labels(), ts);
            }
        }
        return out;
    }

    @Test
    void mergesAdjacentBlocksRecordingLevelSourcesParentsAndDeletesParents() throws IOException {
        BlockMeta b1 = block(0, 2 * H, s(X, 0, 60_000, 120, 0), s(Y, 0, 60_000, 10, 0));
        BlockMeta b2 = block(2 * H, 4 * H, s(X, 2 * H, 60_000, 120, 120));
        BlockMeta b3 = block(4 * H, 6 * H, s(X, 4 * H, 60_000, 120, 240));
        BlockMeta b4 = block(6 * H, 8 * H, s(X, 6 * H, 60_000, 10, 360));
        Compactor c = new Compactor(data, new LeveledPlanner(LeveledPlanner.defaultRanges(0)));
        assertThat(c.plan()).containsExactly(data.resolve(b1.ulid()), data.resolve(b2.ulid()), data.resolve(b3.ulid()));

        BlockMeta made = c.compactOnce();
        assertThat(made.minTimeMs()).isZero();
        assertThat(made.maxTimeMs()).isEqualTo(6 * H);
        assertThat(made.compaction().level()).isEqualTo(2);
        assertThat(made.compaction().sources()).containsExactlyInAnyOrder(b1.ulid(), b2.ulid(), b3.ulid());
        assertThat(made.compaction().parents()).extracting(BlockMeta.BlockDesc::ulid).containsExactly(b1.ulid(), b2.ulid(), b3.ulid());
        assertThat(made.stats()).isEqualTo(new BlockMeta.Stats(370, 2, 4, 0));
        assertThat(BlockDirs.list(data)).containsExactlyInAnyOrder(data.resolve(made.ulid()), data.resolve(b4.ulid()));
        assertThat(BlockMeta.read(data.resolve(made.ulid()))).isEqualTo(made);

        Map<Labels, List<Long>> ts = timestamps(data.resolve(made.ulid()));
        assertThat(ts.get(X)).hasSize(360).first().isEqualTo(0L);
        assertThat(ts.get(X)).last().isEqualTo(6 * H - 60_000);
        assertThat(ts.get(Y)).hasSize(10);
        assertThat(c.compactOnce()).isNull(); // 6h + 2h fresh: nothing more to do
    }

    @Test
    void verticalCompactionDeduplicatesOverlappingSamples() throws IOException {
        BlockMeta a = block(0, 2 * H, s(X, 0, 60_000, 100, 0));
        BlockMeta b = block(H, 3 * H, s(X, 30 * 60_000, 60_000, 100, 1000)); // overlaps minutes 30..99
        Compactor c = new Compactor(data, new LeveledPlanner(LeveledPlanner.defaultRanges(0)));
        assertThat(c.plan()).containsExactly(data.resolve(a.ulid()), data.resolve(b.ulid()));
        BlockMeta made = c.compactOnce();
        assertThat(made.minTimeMs()).isZero();
        assertThat(made.maxTimeMs()).isEqualTo(3 * H);
        List<Long> ts = timestamps(data.resolve(made.ulid())).get(X);
        assertThat(ts).hasSize(130).doesNotHaveDuplicates().isSorted();
        assertThat(made.stats().numSamples()).isEqualTo(130);
    }

    @Test
    void appliesTombstonesAndDropsFullyDeletedSeries() throws IOException {
        BlockMeta a = block(0, 2 * H, s(X, 0, 60_000, 100, 0), s(Y, 0, 60_000, 100, 0));
        BlockMeta b = block(2 * H, 4 * H, s(X, 2 * H, 60_000, 10, 0));
        Path dir = data.resolve(a.ulid());
        long refX, refY;
        try (Block blk = Block.open(dir)) {
            var px = blk.index().postings("__name__", "x");
            px.next();
            refX = px.at();
            var py = blk.index().postings("__name__", "y");
            py.next();
            refY = py.at();
        }
        Tombstones t = new Tombstones();
        t.add(refX, 10 * 60_000, 19 * 60_000); // 10 samples deleted
        t.add(refY, Long.MIN_VALUE, Long.MAX_VALUE);
        t.write(dir);
        BlockMeta made = new Compactor(data, new LeveledPlanner(LeveledPlanner.defaultRanges(0)))
                .compact(List.of(dir, data.resolve(b.ulid())));
        Map<Labels, List<Long>> ts = timestamps(data.resolve(made.ulid()));
        assertThat(ts).containsOnlyKeys(X);
        assertThat(ts.get(X)).hasSize(100).doesNotContain(10 * 60_000L, 19 * 60_000L).contains(9 * 60_000L, 20 * 60_000L);
        assertThat(made.stats().numSeries()).isEqualTo(1);
        assertThat(Files.readAllBytes(data.resolve(made.ulid()).resolve("tombstones"))).hasSize(9);
    }

    @Test
    void allDeletedMeansNoNewBlockAndParentsGone() throws IOException {
        BlockMeta a = block(0, 2 * H, s(Y, 0, 60_000, 5, 0));
        Path dir = data.resolve(a.ulid());
        Tombstones t = new Tombstones();
        try (Block blk = Block.open(dir)) {
            var p = blk.index().allPostings();
            p.next();
            t.add(p.at(), Long.MIN_VALUE, Long.MAX_VALUE);
        }
        t.write(dir);
        assertThat(new Compactor(data, new LeveledPlanner(new long[] {2 * H})).compact(List.of(dir))).isNull();
        assertThat(BlockDirs.list(data)).isEmpty();
        try (var s = Files.list(data)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void openRecoversFromACrashBetweenRenameAndParentDeletion() throws IOException {
        BlockMeta a = block(0, 2 * H, s(X, 0, 60_000, 5, 0));
        BlockMeta b = block(2 * H, 4 * H, s(X, 2 * H, 60_000, 5, 0));
        Path copyA = data.resolve("copy-a");
        Path copyB = data.resolve("copy-b");
        copyTree(data.resolve(a.ulid()), copyA);
        copyTree(data.resolve(b.ulid()), copyB);
        BlockMeta made = new Compactor(data, new LeveledPlanner(LeveledPlanner.defaultRanges(0)))
                .compact(List.of(data.resolve(a.ulid()), data.resolve(b.ulid())));
        // the parents reappear as if deletion never ran, plus a half-written block
        Files.move(copyA, data.resolve(a.ulid()));
        Files.move(copyB, data.resolve(b.ulid()));
        Files.createDirectories(data.resolve("01HZZZZZZZZZZZZZZZZZZZZZZZ.tmp-for-creation/chunks"));
        Compactor.open(data, new LeveledPlanner(LeveledPlanner.defaultRanges(0)));
        try (var s = Files.list(data)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(made.ulid());
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(from.relativize(p).toString()));
        }
    }

    @Test
    void failedCompactionKeepsParentsMarksThemFailedAndLeavesNoTempDir() throws IOException {
        BlockMeta a = block(0, 2 * H, s(X, 0, 60_000, 5, 0));
        BlockMeta b = block(2 * H, 4 * H, s(X, 2 * H, 60_000, 5, 0));
        Path chunk = data.resolve(b.ulid()).resolve("chunks/000001");
        byte[] bytes = Files.readAllBytes(chunk);
        bytes[bytes.length - 1] ^= 1; // break the CRC of the last chunk
        Files.write(chunk, bytes);
        Compactor c = new Compactor(data, new LeveledPlanner(LeveledPlanner.defaultRanges(0)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.compact(List.of(data.resolve(a.ulid()), data.resolve(b.ulid()))))
                .isInstanceOf(IOException.class).hasMessageContaining("checksum mismatch");
        try (var st = Files.list(data)) {
            assertThat(st.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(a.ulid(), b.ulid());
        }
        assertThat(BlockMeta.read(data.resolve(a.ulid())).compaction().failed()).isTrue();
        assertThat(BlockMeta.read(data.resolve(b.ulid())).compaction().failed()).isTrue();
    }

    @Test
    void compactionMetaFollowsCompactBlockMetas() {
        BlockMeta p1 = new BlockMeta("A", 0, 10, BlockMeta.Stats.EMPTY, new BlockMeta.Compaction(2, List.of("S2", "S1"), List.of(), false, false), 1);
        BlockMeta p2 = new BlockMeta("B", 10, 20, BlockMeta.Stats.EMPTY, new BlockMeta.Compaction(1, List.of("B"), List.of(), false, false), 1);
        BlockMeta.Compaction c = Compactor.compactionOf(List.of(p1, p2));
        assertThat(c.level()).isEqualTo(3);
        assertThat(c.sources()).containsExactly("B", "S1", "S2");
        assertThat(c.parents()).containsExactly(p1.desc(), p2.desc());
    }
}
