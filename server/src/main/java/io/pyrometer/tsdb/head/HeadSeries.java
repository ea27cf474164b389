package io.pyrometer.tsdb.head;

import io.pyrometer.model.Labels;
import io.pyrometer.storage.MergeSampleIterator;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.Series;
import io.pyrometer.storage.ValueType;
import io.pyrometer.tsdb.chunkenc.XorChunk;
import io.pyrometer.tsdb.chunkenc.XorIterator;
import java.util.List;

/**
 * A head series as a query sees it: a copy of the chunk list taken under the series lock (the open
 * chunk's bytes copied, full chunks referenced in the head chunks files), bounded to the query's
 * time range, the isolation cap and the series' tombstones.
 */
final class HeadSeries implements Series {
    /** A chunk: in the head chunks files at {@code ref}, or on the heap when {@code heap} is set. */
    record ChunkMeta(long ref, long minTimeMs, long maxTimeMs, XorChunk heap) {}

    private final Labels labels;
    private final List<ChunkMeta> inOrder;
    private final List<ChunkMeta> outOfOrder;
    private final long mint;
    private final long maxt;
    private final long[] tombstones; // sorted (mint, maxt) pairs, inclusive, or null
    private final HeadChunkFiles files;

    HeadSeries(Labels labels, List<ChunkMeta> inOrder, List<ChunkMeta> outOfOrder, long mint, long maxt, long[] tombstones, HeadChunkFiles files) {
        this.labels = labels;
        this.inOrder = inOrder;
        this.outOfOrder = outOfOrder;
        this.mint = mint;
        this.maxt = maxt;
        this.tombstones = tombstones;
        this.files = files;
    }

    @Override
    public Labels labels() { return labels; }

    /** The in-order chunks, oldest first (for tests). */
    List<ChunkMeta> inOrderChunks() { return inOrder; }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
        if (outOfOrder.isEmpty()) {
            ChunksIterator it = reuse instanceof ChunksIterator c ? c : new ChunksIterator();
            return it.reset(files, inOrder, mint, maxt, tombstones);
        }
        SampleIterator[] its = new SampleIterator[1 + outOfOrder.size()];
        its[0] = new ChunksIterator().reset(files, inOrder, mint, maxt, tombstones);
        for (int i = 0; i < outOfOrder.size(); i++) {
            its[i + 1] = new ChunksIterator().reset(files, List.of(outOfOrder.get(i)), mint, maxt, tombstones);
        }
        MergeSampleIterator m = reuse instanceof MergeSampleIterator x ? x : new MergeSampleIterator();
        return m.reset(its);
    }

    /** Iterates non-overlapping chunks in order, within [mint, maxt], skipping deleted intervals. */
    static final class ChunksIterator implements SampleIterator {
        private final XorIterator xor = new XorIterator();
        private HeadChunkFiles files;
        private List<ChunkMeta> chunks;
        private int next;
        private boolean inChunk;
        private long mint;
        private long maxt;
        private long[] stones;
        private boolean done;
        private Throwable err;

        ChunksIterator reset(HeadChunkFiles files, List<ChunkMeta> chunks, long mint, long maxt, long[] stones) {
            this.files = files;
            this.chunks = chunks;
            this.next = 0;
            this.inChunk = false;
            this.mint = mint;
            this.maxt = maxt;
            this.stones = stones;
            this.done = false;
            this.err = null;
            return this;
        }

        private boolean openChunk(long minT) {
            while (next < chunks.size()) {
                ChunkMeta c = chunks.get(next++);
                if (c.maxTimeMs() < minT) continue;
                if (c.minTimeMs() > maxt) return false;
                try {
                    if (c.heap() != null) xor.reset(c.heap().data());
                    else xor.reset(files.read(c.ref()));
                } catch (RuntimeException e) {
                    err = e;
                    return false;
                }
                return true;
            }
            return false;
        }

        @Override
        public ValueType next() { return advance(mint); }

        private ValueType advance(long from) {
            if (done) return ValueType.NONE;
            while (true) {
                if (!inChunk) {
                    inChunk = openChunk(from);
                    if (!inChunk) return finish();
                }
                if (xor.next() == ValueType.NONE) {
                    if (xor.err() != null) {
                        err = xor.err();
                        return finish();
                    }
                    inChunk = false;
                    continue;
                }
                long t = xor.atT();
                if (t < from || deleted(t)) continue;
                if (t > maxt) return finish();
                return ValueType.FLOAT;
            }
        }

        private ValueType finish() {
            done = true;
            return ValueType.NONE;
        }

        private boolean deleted(long t) {
            if (stones == null) return false;
            for (int i = 0; i < stones.length; i += 2) if (t >= stones[i] && t <= stones[i + 1]) return true;
            return false;
        }

        @Override
        public ValueType seek(long t) {
            if (done) return ValueType.NONE;
            if (inChunk && xor.atT() >= t && xor.atT() >= mint) return ValueType.FLOAT;
            long from = Math.max(t, mint);
            if (inChunk && next < chunks.size() && chunks.get(next).minTimeMs() <= from) {
                inChunk = false; // the target is in a later chunk: skip the rest of this one
            }
            return advance(from);
        }

        @Override
        public long atT() { return xor.atT(); }

        @Override
        public double atV() { return xor.atV(); }

        @Override
        public Throwable err() { return err; }
    }
}
