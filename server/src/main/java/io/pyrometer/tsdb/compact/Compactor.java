package io.pyrometer.tsdb.compact;

import io.pyrometer.model.Labels;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.tsdb.block.Block;
import io.pyrometer.tsdb.block.BlockDirs;
import io.pyrometer.tsdb.block.BlockMeta;
import io.pyrometer.tsdb.block.BlockWriter;
import io.pyrometer.tsdb.block.BlockWriter.ChunkData;
import io.pyrometer.tsdb.block.Intervals;
import io.pyrometer.tsdb.chunks.ChunkMeta;
import io.pyrometer.tsdb.index.IndexReader;
import io.pyrometer.tsdb.index.Postings;
import io.pyrometer.tsdb.index.Utf8Order;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Merges blocks of a data directory into one (Prometheus's {@code LeveledCompactor}): plans with
 * {@link LeveledPlanner}, merges series in label order, copies chunks unchanged where a series'
 * chunks neither overlap nor are partly deleted, and otherwise re-encodes the merged, deduplicated
 * samples. Tombstones are applied. The new block records level, sources and parents; the parents
 * are deleted only after it is in place (open mappings of deleted files stay valid on Linux until
 * the caller closes those blocks). Not thread-safe: one compaction at a time per data directory.
 *
 * <pre>{@code
 * Compactor c = new Compactor(dataDir, new LeveledPlanner(LeveledPlanner.defaultRanges(retentionMs)));
 * BlockMeta made = c.compactOnce(); // null when the plan is empty
 * }</pre>
 */
public final class Compactor {
    private final Path dataDir;
    private final LeveledPlanner planner;

    public Compactor(Path dataDir, LeveledPlanner planner) {
        this.dataDir = dataDir;
        this.planner = planner;
    }

    /**
     * A compactor for {@code dataDir} after crash recovery: removes temporary directories of
     * interrupted writes and deletes blocks already merged into another block (a crash after the
     * new block was renamed into place but before its parents were deleted).
     */
    public static Compactor open(Path dataDir, LeveledPlanner planner) throws IOException {
        BlockDirs.cleanTemporary(dataDir);
        List<Path> dirs = BlockDirs.list(dataDir);
        Set<String> merged = new HashSet<>();
        for (Path d : dirs) {
            for (BlockMeta.BlockDesc p : BlockMeta.read(d).compaction().parents()) merged.add(p.ulid());
        }
        for (Path d : dirs) {
            if (merged.contains(d.getFileName().toString())) BlockDirs.delete(d);
        }
        return new Compactor(dataDir, planner);
    }

    /** The blocks the planner picks now (their directories). */
    public List<Path> plan() throws IOException {
        List<BlockMeta> metas = new ArrayList<>();
        for (Path d : BlockDirs.list(dataDir)) metas.add(BlockMeta.read(d));
        List<Path> out = new ArrayList<>();
        for (BlockMeta m : planner.plan(metas)) out.add(dataDir.resolve(m.ulid()));
        return out;
    }

    /** Plans and compacts once; returns the new block's meta, or null when there was nothing to do or it came out empty. */
    public BlockMeta compactOnce() throws IOException {
        List<Path> p = plan();
        return p.isEmpty() ? null : compact(p);
    }

    /**
     * Compacts {@code dirs} into one new block, then deletes them. Returns its meta, or null when
     * every sample was deleted (the parents are then deleted with nothing written).
     */
    public BlockMeta compact(List<Path> dirs) throws IOException {
        if (dirs.isEmpty()) throw new IllegalArgumentException("nothing to compact");
        List<Block> blocks = new ArrayList<>(dirs.size());
        BlockMeta made;
        try {
            for (Path d : dirs) blocks.add(Block.open(d));
            blocks.sort(Comparator.comparingLong(Block::minTimeMs));
            List<BlockMeta> metas = new ArrayList<>();
            for (Block b : blocks) metas.add(b.meta());
            made = merge(blocks, compactionOf(metas));
        } catch (IOException | RuntimeException e) {
            markFailed(blocks);
            throw e;
        } finally {
            for (Block b : blocks) b.close();
        }
        for (Path d : dirs) BlockDirs.delete(d);
        return made;
    }

    /**
     * Rewrites the block in {@code dir} without the samples its tombstones delete (Prometheus's
     * {@code Block.CleanTombstones}): a new block with a new ULID, the same time range, level and
     * sources, the old block as its only parent, no tombstones; series left without samples are
     * dropped. The new block is renamed into place before the old one is deleted, so a crash
     * leaves either the old block alone or both, and then the parent record lets
     * {@link #open}/the DB delete the old one. Returns the new block's meta, or null when every
     * sample was deleted (the old block is then deleted with nothing written). On failure the old
     * block is left as it was.
     */
    public BlockMeta rewriteWithoutTombstones(Path dir) throws IOException {
        BlockMeta made;
        try (Block b = Block.open(dir)) {
            BlockMeta m = b.meta();
            BlockMeta.Compaction c = m.compaction();
            made = merge(List.of(b), new BlockMeta.Compaction(c.level(), c.sources(), List.of(m.desc()), false, false));
        }
        BlockDirs.delete(dir);
        return made;
    }

    /**
     * As Prometheus does, records {@code compaction.failed} in the parents' meta.json so the
     * planner stops picking their range (a corrupt chunk would otherwise fail every cycle).
     */
    private static void markFailed(List<Block> blocks) {
        for (Block b : blocks) {
            BlockMeta m = b.meta();
            BlockMeta.Compaction c = m.compaction();
            try {
                new BlockMeta(m.ulid(), m.minTimeMs(), m.maxTimeMs(), m.stats(),
                        new BlockMeta.Compaction(c.level(), c.sources(), c.parents(), c.deletable(), true), m.version()).write(b.dir());
            } catch (IOException ignored) {
                // best effort: the original error is what the caller needs to see
            }
        }
    }

    /** Level, sources and parents as Prometheus's {@code CompactBlockMetas} computes them. */
    static BlockMeta.Compaction compactionOf(List<BlockMeta> parents) {
        int level = 0;
        TreeSet<String> sources = new TreeSet<>();
        List<BlockMeta.BlockDesc> descs = new ArrayList<>();
        for (BlockMeta m : parents) {
            level = Math.max(level, m.compaction().level());
            sources.addAll(m.compaction().sources());
            descs.add(m.desc());
        }
        return new BlockMeta.Compaction(level + 1, List.copyOf(sources), descs, false, false);
    }

    /** Writes the merged series of {@code blocks} (sorted by min time), tombstones applied, as one block; null when nothing is left. */
    private BlockMeta merge(List<Block> blocks, BlockMeta.Compaction compaction) throws IOException {
        Set<String> symbols = new HashSet<>();
        long mint = Long.MAX_VALUE, maxt = Long.MIN_VALUE;
        for (Block b : blocks) {
            Collections.addAll(symbols, b.index().symbols());
            mint = Math.min(mint, b.minTimeMs());
            maxt = Math.max(maxt, b.maxTimeMs());
        }
        Cursor[] cursors = new Cursor[blocks.size()];
        for (int i = 0; i < cursors.length; i++) cursors[i] = new Cursor(blocks.get(i));
        boolean any = false;
        try (BlockWriter.Session s = new BlockWriter(dataDir).open(symbols, mint, maxt, compaction)) {
            while (true) {
                Labels min = null;
                for (Cursor c : cursors) {
                    if (c.entry != null && (min == null || Utf8Order.compare(c.entry.labels(), min) < 0)) min = c.entry.labels();
                }
                if (min == null) break;
                List<Cursor> group = new ArrayList<>(cursors.length);
                for (Cursor c : cursors) if (c.entry != null && Utf8Order.compare(c.entry.labels(), min) == 0) group.add(c);
                any |= writeSeries(s, min, group) >= 0;
                for (Cursor c : group) c.advance();
            }
            if (!any) return null; // closing the session abandons the empty block
            return s.commit();
        }
    }

    private static long writeSeries(BlockWriter.Session s, Labels labels, List<Cursor> group) throws IOException {
        List<ChunkData> raw = new ArrayList<>();
        boolean rewrite = false;
        for (Cursor c : group) {
            Intervals del = c.block.tombstones().get(c.ref);
            for (ChunkMeta m : c.entry.chunks()) {
                if (del.covers(m.minTimeMs(), m.maxTimeMs())) continue;
                if (del.overlaps(m.minTimeMs(), m.maxTimeMs())) rewrite = true;
                raw.add(new ChunkData(m.minTimeMs(), m.maxTimeMs(), c.block.chunks().chunk(m.ref())));
            }
        }
        raw.sort(Comparator.comparingLong(ChunkData::minTimeMs));
        for (int i = 1; i < raw.size() && !rewrite; i++) {
            if (raw.get(i).minTimeMs() <= raw.get(i - 1).maxTimeMs()) rewrite = true;
        }
        if (!rewrite) return s.addSeries(labels, raw);
        SampleIterator[] its = new SampleIterator[group.size()];
        for (int i = 0; i < its.length; i++) {
            Cursor c = group.get(i);
            its[i] = c.block.samples(c.entry.chunks(), c.block.tombstones().get(c.ref), Long.MIN_VALUE, Long.MAX_VALUE, null);
        }
        return s.addSeries(labels, new MergingSampleIterator(its));
    }

    /** One block's series in label (= reference) order. */
    private static final class Cursor {
        final Block block;
        final IndexReader index;
        final Postings all;
        long ref;
        IndexReader.SeriesEntry entry;

        Cursor(Block block) throws IOException {
            this.block = block;
            this.index = block.index();
            this.all = index.allPostings();
            advance();
        }

        void advance() throws IOException {
            if (all.next()) {
                ref = all.at();
                entry = index.series(ref);
            } else {
                entry = null;
            }
        }
    }
}
