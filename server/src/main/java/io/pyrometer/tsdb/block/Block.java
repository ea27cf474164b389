package io.pyrometer.tsdb.block;

import io.pyrometer.storage.SampleIterator;
import io.pyrometer.tsdb.chunks.ChunkMeta;
import io.pyrometer.tsdb.chunks.ChunkReader;
import io.pyrometer.tsdb.index.IndexFormat;
import io.pyrometer.tsdb.index.IndexReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;

/**
 * An opened, immutable block: meta, memory-mapped index and chunk files, tombstones. The mappings
 * live in one shared {@link Arena}; it is closed when the block is closed and the last querier
 * released it, so a query never reads unmapped memory. A second {@link #close()} is harmless.
 *
 * <pre>{@code
 * try (Block b = Block.open(dir); BlockQuerier q = b.querier(mint, maxt)) { ... }
 * }</pre>
 */
public final class Block implements AutoCloseable {
    private final Path dir;
    private final BlockMeta meta;
    private final Arena arena;
    private final IndexReader index;
    private final ChunkReader chunks;
    private volatile Tombstones tombstones; // replaced whole by delete(); readers see one version
    private volatile BlockMeta currentMeta;
    private final long sizeBytes;
    // guarded by this: readers currently using the mappings, and whether close() was called
    private int readers;
    private boolean closing;
    private boolean released;

    private Block(Path dir, BlockMeta meta, Arena arena, IndexReader index, ChunkReader chunks, Tombstones tombstones, long size) {
        this.dir = dir;
        this.meta = meta;
        this.arena = arena;
        this.index = index;
        this.chunks = chunks;
        this.tombstones = tombstones;
        this.currentMeta = meta;
        this.sizeBytes = size;
    }

    /** Opens and validates the block in {@code dir}; errors name the file and the problem. */
    public static Block open(Path dir) throws IOException {
        BlockMeta meta = BlockMeta.read(dir);
        Arena arena = Arena.ofShared();
        try {
            IndexReader index = IndexReader.open(dir.resolve(IndexFormat.INDEX_FILENAME), arena);
            ChunkReader chunks = ChunkReader.open(dir.resolve(BlockWriter.CHUNKS_DIR), arena);
            Tombstones t = Tombstones.read(dir);
            return new Block(dir, meta, arena, index, chunks, t, FsUtil.sizeOf(dir));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path dir() { return dir; }

    public BlockMeta meta() { return currentMeta; }

    public IndexReader index() { return index; }

    public ChunkReader chunks() { return chunks; }

    public Tombstones tombstones() { return tombstones; }

    /**
     * Deletes the samples in {@code [mint, maxt]} of the series matching {@code matchers}
     * (Prometheus's {@code Block.Delete}): adds tombstones for the series with chunks in that range,
     * rewrites the tombstones file and meta.json's {@code numTombstones}. Queriers opened afterwards
     * see the deletion; data goes away at the next compaction. Returns how many series were hit.
     */
    public synchronized int delete(List<io.pyrometer.model.LabelMatcher> matchers, long mint, long maxt) throws IOException {
        if (closing) throw new IllegalStateException("block is closed [dir=" + dir + "]");
        Tombstones next = new Tombstones();
        for (var e : tombstones.asMap().entrySet()) {
            Intervals iv = e.getValue();
            for (int i = 0; i < iv.size(); i++) next.add(e.getKey(), iv.mint(i), iv.maxt(i));
        }
        int hit = 0;
        var p = MatcherPostings.forMatchers(index, matchers);
        while (p.next()) {
            for (ChunkMeta c : index.series(p.at()).chunks()) {
                if (c.overlaps(mint, maxt)) {
                    next.add(p.at(), mint, maxt);
                    hit++;
                    break;
                }
            }
        }
        if (hit == 0) return 0;
        next.write(dir);
        BlockMeta m = currentMeta;
        BlockMeta updated = m.withStats(new BlockMeta.Stats(m.stats().numSamples(), m.stats().numSeries(), m.stats().numChunks(), next.count()));
        updated.write(dir);
        tombstones = next;
        currentMeta = updated;
        return hit;
    }

    /** Bytes on disk (index, chunks, meta, tombstones) when opened. */
    public long size() { return sizeBytes; }

    public long minTimeMs() { return meta.minTimeMs(); }

    /** Exclusive. */
    public long maxTimeMs() { return meta.maxTimeMs(); }

    /** Whether the block holds data in the inclusive range {@code [mint, maxt]}. */
    public boolean overlaps(long mint, long maxt) {
        return meta.minTimeMs() <= maxt && mint < meta.maxTimeMs();
    }

    /** A querier over the inclusive range {@code [mint, maxt]}; close it to release the block. */
    public BlockQuerier querier(long mint, long maxt) {
        acquire();
        return new BlockQuerier(this, mint, maxt);
    }

    /**
     * Iterates the samples of {@code chunks} (from this block's index) in {@code [mint, maxt]},
     * skipping {@code deleted}; reuses {@code reuse} when it is a block iterator. The caller must
     * hold the block open ({@link #acquire()} or not yet closed).
     */
    public SampleIterator samples(List<ChunkMeta> chunks, Intervals deleted, long mint, long maxt, SampleIterator reuse) {
        BlockSeriesIterator it = reuse instanceof BlockSeriesIterator b ? b : new BlockSeriesIterator();
        it.reset(this.chunks, chunks, deleted, mint, maxt);
        return it;
    }

    /** Pins the mappings; pair with {@link #release()}. Throws once the block is closing. */
    public synchronized void acquire() {
        if (closing) throw new IllegalStateException("block is closed [dir=" + dir + "]");
        readers++;
    }

    public synchronized void release() {
        if (readers > 0) readers--;
        if (closing && readers == 0) unmap();
    }

    @Override
    public synchronized void close() {
        closing = true;
        if (readers == 0) unmap();
    }

    private void unmap() {
        if (released) return;
        released = true;
        arena.close();
    }

    @Override
    public String toString() {
        return "Block[ulid=" + meta.ulid() + ", minTime=" + meta.minTimeMs() + ", maxTime=" + meta.maxTimeMs() + "]";
    }
}
