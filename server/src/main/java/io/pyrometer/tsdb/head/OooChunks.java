package io.pyrometer.tsdb.head;

import io.pyrometer.storage.AppendStatus;
import io.pyrometer.tsdb.chunkenc.XorAppender;
import io.pyrometer.tsdb.chunkenc.XorChunk;
import java.util.Arrays;
import java.util.List;

/**
 * A series' out-of-order samples: a small sorted buffer of late samples and the full out-of-order
 * chunks made from it. A {@link MemSeries} allocates one on its first late sample only, so series
 * without late data (nearly all) pay one null reference instead of six fields.
 *
 * <p>Guarded by the owning series' monitor.
 */
final class OooChunks {
    /** Samples buffered before an out-of-order chunk is written (Prometheus's default {@code out_of_order_cap_max}). */
    static final int CAPACITY = 32;

    private final long[] bufT = new long[CAPACITY];
    private final double[] bufV = new double[CAPACITY];
    private int bufN;
    private long[] chunks = new long[6];   // full out-of-order chunks, (ref, minT, maxT), any order
    private int chunkCount;
    private XorChunk[] heap;               // parallel to chunks; the chunk bytes (never on disk, see flush)

    /** Inserts a late sample; returns {@link MemSeries#OOO_APPENDED} or a duplicate status. */
    long insert(long t, double v, Head h) {
        int i = Arrays.binarySearch(bufT, 0, bufN, t);
        if (i >= 0) {
            return Double.doubleToRawLongBits(bufV[i]) == Double.doubleToRawLongBits(v) ? MemSeries.DUPLICATE_IGNORED : AppendStatus.DUPLICATE_SAMPLE;
        }
        i = -i - 1;
        System.arraycopy(bufT, i, bufT, i + 1, bufN - i);
        System.arraycopy(bufV, i, bufV, i + 1, bufN - i);
        bufT[i] = t;
        bufV[i] = v;
        if (++bufN == CAPACITY) flush(h);
        return MemSeries.OOO_APPENDED;
    }

    /**
     * Encodes the full buffer into a chunk kept on the heap. Out-of-order chunks are not written to
     * {@code chunks_head/}: on restart they are rebuilt from the WAL, which keeps replay free of
     * duplicates without Prometheus's separate write-behind log; late data is rare enough for the heap.
     */
    private void flush(Head h) {
        add(-1, bufT[0], bufT[bufN - 1], encodeBuffer());
        bufN = 0;
        h.chunksCreated.increment();
    }

    private XorChunk encodeBuffer() {
        XorChunk c = XorChunk.create();
        XorAppender a = c.appender();
        for (int i = 0; i < bufN; i++) a.append(bufT[i], bufV[i]);
        return XorChunk.wrap(c.toByteArray());
    }

    private void add(long chunkRef, long minT, long chunkMaxT, XorChunk bytes) {
        if ((chunkCount + 1) * 3 > chunks.length) chunks = Arrays.copyOf(chunks, chunks.length * 2);
        int i = chunkCount * 3;
        chunks[i] = chunkRef;
        chunks[i + 1] = minT;
        chunks[i + 2] = chunkMaxT;
        if (heap == null) heap = new XorChunk[chunks.length / 3];
        if (heap.length <= chunkCount) heap = Arrays.copyOf(heap, chunks.length / 3);
        heap[chunkCount] = bytes;
        chunkCount++;
    }

    /** Adds the chunks overlapping {@code [mint, maxt]} (the buffer as a chunk of its own) to {@code out}. */
    void snapshot(long mint, long maxt, List<HeadSeries.ChunkMeta> out) {
        for (int i = 0; i < chunkCount; i++) {
            long cmin = chunks[i * 3 + 1], cmax = chunks[i * 3 + 2];
            if (cmax < mint || cmin > maxt) continue;
            out.add(new HeadSeries.ChunkMeta(chunks[i * 3], cmin, cmax, heap[i]));
        }
        if (bufN > 0 && bufT[0] <= maxt && bufT[bufN - 1] >= mint) {
            out.add(new HeadSeries.ChunkMeta(-1, bufT[0], bufT[bufN - 1], encodeBuffer()));
        }
    }

    boolean isEmpty() { return chunkCount == 0 && bufN == 0; }

    long minTime() {
        long m = Long.MAX_VALUE;
        for (int i = 0; i < chunkCount; i++) m = Math.min(m, chunks[i * 3 + 1]);
        return bufN > 0 ? Math.min(m, bufT[0]) : m;
    }

    long maxTime() {
        long m = Long.MIN_VALUE;
        for (int i = 0; i < chunkCount; i++) m = Math.max(m, chunks[i * 3 + 2]);
        return m;
    }

    int numChunks() { return chunkCount + (bufN > 0 ? 1 : 0); }

    /** Drops chunks (and a buffer) entirely before {@code mint}; returns the number of chunks dropped. */
    int truncateBefore(long mint) {
        int removed = 0, w = 0;
        for (int i = 0; i < chunkCount; i++) {
            if (chunks[i * 3 + 2] < mint) {
                removed++;
                continue;
            }
            System.arraycopy(chunks, i * 3, chunks, w * 3, 3);
            heap[w] = heap[i];
            w++;
        }
        Arrays.fill(heap, w, chunkCount, null);
        chunkCount = w;
        if (bufN > 0 && bufT[bufN - 1] < mint) bufN = 0;
        return removed;
    }

    void debugString(StringBuilder sb) {
        sb.append(" ooo=");
        for (int i = 0; i < chunkCount; i++) sb.append('[').append(chunks[i * 3 + 1]).append(',').append(chunks[i * 3 + 2]).append(']');
        sb.append(" buf=").append(Arrays.toString(Arrays.copyOf(bufT, bufN)));
    }
}
