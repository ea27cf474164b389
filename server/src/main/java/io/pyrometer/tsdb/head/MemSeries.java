package io.pyrometer.tsdb.head;

import io.pyrometer.model.Labels;
import io.pyrometer.storage.AppendStatus;
import io.pyrometer.tsdb.chunkenc.XorChunk;
import io.pyrometer.tsdb.chunkenc.XorEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One series in the head: its open chunk in a slot of the head's {@link ChunkArena}, its full
 * chunks in the head chunks files, and (when an out-of-order window is set) a small sorted buffer
 * of late samples.
 *
 * <p>The series is its own XOR encoder ({@link XorEncoder}'s fields hold the open chunk's state;
 * {@code maxT}/{@code lastValue} are the newest in-order sample), so appending touches this object
 * and the slot's bytes only; no appender, chunk or buffer object per series.
 *
 * <p>Every mutable field is guarded by this object's monitor: appends to one series are
 * serialised, different series never contend. Rejected alternative: a lock object per series,
 * 16+ bytes more per series for no gain now that {@code synchronized} no longer pins virtual threads.
 */
final class MemSeries extends XorEncoder {
    /**
     * Commits remembered per series for isolation while a querier is open (16 bytes each; Prometheus's
     * txRing is unbounded). A querier still reading a series after more commits to it than this
     * (leaked, or open for an hour at a 15s scrape interval) starts seeing the newer ones; it is
     * marked by {@link Isolation#forcedDrop} and its query gets a warning.
     */
    static final int MAX_TX = 512;
    static final int APPENDED = 0;
    static final int DUPLICATE_IGNORED = 1;
    static final int OOO_APPENDED = 2;
    /** {@link #appendable} on a series the head just dropped: look it up again by labels. */
    static final int SERIES_REMOVED = 3;
    private static final long[] NO_CHUNKS = new long[0];

    final long ref;
    final Labels labels;

    private int slot = ChunkArena.NONE;        // the open chunk's bytes in the head's arena
    private long headMinT;
    private long nextAt = Long.MAX_VALUE;      // cut the head chunk at or after this time
    private long[] chunks = NO_CHUNKS;         // full in-order chunks: (ref, minT, maxT) triples, oldest first
    private int chunkCount;
    private XorChunk[] heapChunks;             // parallel to chunks; set where writing to disk failed
    private OooChunks ooo;                     // late samples; null until the first one
    // isolation: (append id, maxT before that commit) of recent commits, oldest first; see Isolation.
    // Mostly one entry (the last commit, visible to all) lives inline; tx holds the list only while
    // a querier keeps older commits alive, and is dropped once it is down to one again.
    private long txId;
    private long txMaxT;
    private long[] tx;
    private int txN;
    // the open appender that holds uncommitted samples of this series, and its newest one
    private long pendingOwner;
    private long pendingT;
    private long pendingVBits;
    // whether a WAL series record for this series was written (appenders write it when missing)
    volatile boolean logged;
    private boolean removed; // dropped from the head by truncation

    MemSeries(long ref, Labels labels) {
        this.ref = ref;
        this.labels = labels;
    }

    /**
     * Checks whether a sample could be appended, without appending; {@code owner} is the appender,
     * whose own uncommitted samples count as already there.
     */
    synchronized long appendable(long owner, long t, double v, long headMaxT, long oooWindowMs) {
        if (removed) return SERIES_REMOVED;
        long last = maxT;
        long lastBits = Double.doubleToRawLongBits(lastValue);
        if (pendingOwner == owner && pendingT > last) {
            last = pendingT;
            lastBits = pendingVBits;
        }
        long status;
        if (t > last) status = APPENDED;
        else if (t == last) status = Double.doubleToRawLongBits(v) == lastBits ? DUPLICATE_IGNORED : AppendStatus.DUPLICATE_SAMPLE;
        else if (oooWindowMs <= 0) status = AppendStatus.OUT_OF_ORDER;
        else status = t >= headMaxT - oooWindowMs ? OOO_APPENDED : AppendStatus.TOO_OLD;
        if (status == APPENDED) {
            pendingOwner = owner;
            pendingT = t;
            pendingVBits = Double.doubleToRawLongBits(v);
        } else if (status == OOO_APPENDED && pendingOwner != owner) {
            pendingOwner = owner; // keeps the series from being dropped before the commit
            pendingT = Long.MIN_VALUE;
        }
        return status;
    }

    /** Forgets the pending state of {@code owner} after its rollback or a failed commit. */
    synchronized void clearPending(long owner) {
        if (pendingOwner == owner) pendingOwner = 0;
    }

    /**
     * Appends one committed sample of appender {@code owner} and forgets that appender's pending
     * state under the same lock (a commit needs no separate {@link #clearPending}); returns a
     * status as {@link #appendable}.
     */
    synchronized long commitSample(long t, double v, long appendId, long owner, Head h) {
        if (pendingOwner == owner) pendingOwner = 0;
        return append(t, v, appendId, h, false);
    }

    /**
     * Appends one sample; {@code replay} skips the out-of-order window check: the sample was
     * accepted once, and the head's newest time during replay can be ahead of what it was at that
     * commit.
     */
    synchronized long append(long t, double v, long appendId, Head h, boolean replay) {
        if (t <= maxT) {
            if (t == maxT) {
                return Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(lastValue) ? DUPLICATE_IGNORED : AppendStatus.DUPLICATE_SAMPLE;
            }
            if (h.oooWindowMs <= 0) return AppendStatus.OUT_OF_ORDER;
            if (!replay && t < h.maxTime() - h.oooWindowMs) return AppendStatus.TOO_OLD;
            if (ooo == null) ooo = new OooChunks();
            return ooo.insert(t, v, h);
        }
        if (slot == ChunkArena.NONE) {
            cutNewHeadChunk(t, h);
        } else {
            int n = num;
            if (n == h.samplesPerChunk / 4) nextAt = chunkEndTime(n, h);
            if (t >= nextAt || n >= h.samplesPerChunk * 2) cutNewHeadChunk(t, h);
        }
        if (appendId != 0 && newestTx() != appendId) addTx(appendId, h.isolation);
        ChunkArena arena = h.arena;
        int s = slot;
        int need = encode(arena.array(s), ChunkArena.offset(s), arena.capacity(s), t, v);
        if (need > 0) {
            s = slot = arena.grow(s, byteLength(), need);
            encode(arena.array(s), ChunkArena.offset(s), arena.capacity(s), t, v);
        }
        return APPENDED;
    }

    private long newestTx() { return tx == null ? txId : tx[2 * txN - 2]; }

    /** Records that commit {@code appendId} starts here, forgetting commits every querier sees. */
    private void addTx(long appendId, Isolation isolation) {
        long lowWatermark = isolation.lowWatermark();
        if (tx == null) {
            if (txId < lowWatermark) { // the common case: the last commit is visible to everyone
                txId = appendId;
                txMaxT = maxT;
                return;
            }
            tx = new long[8];
            tx[0] = txId;
            tx[1] = txMaxT;
            txN = 1;
            txId = 0;
        }
        int drop = 0;
        while (drop < txN && tx[2 * drop] < lowWatermark) drop++;
        if (drop == 0 && txN == MAX_TX) { // a querier left open: let it see a little more rather than grow, and say so
            drop = 1;
            isolation.forcedDrop(tx[0]);
        }
        if (drop == txN) { // back to one entry
            tx = null;
            txN = 0;
            txId = appendId;
            txMaxT = maxT;
            return;
        }
        if (drop > 0) {
            System.arraycopy(tx, 2 * drop, tx, 0, 2 * (txN - drop));
            txN -= drop;
        }
        if (2 * txN + 2 > tx.length) tx = Arrays.copyOf(tx, tx.length * 2);
        else if (tx.length > 16 && 8 * txN < tx.length) tx = Arrays.copyOf(tx, tx.length / 2); // after a long query
        tx[2 * txN] = appendId;
        tx[2 * txN + 1] = maxT;
        txN++;
    }

    /** Newest sample time {@code iso} may see: everything before the first commit it may not see. */
    private long visibleMaxT(Isolation.State iso) {
        if (iso == null) return Long.MAX_VALUE;
        if (tx == null) return txId != 0 && !iso.visible(txId) ? txMaxT : Long.MAX_VALUE;
        for (int i = 0; i < txN; i++) if (!iso.visible(tx[2 * i])) return tx[2 * i + 1];
        return Long.MAX_VALUE;
    }

    /**
     * When the open chunk (holding {@code n} samples, a quarter of a full one) should be cut:
     * Prometheus's {@link #computeChunkEndTime} spreads the range's remaining samples evenly over
     * chunks of about {@code samplesPerChunk}; on top of that, the first chunk of a range that
     * holds two chunks or more ends after 1/2 to 1 of a full chunk, by the series' ref.
     *
     * <p>Why: series of a target start together and a range boundary cuts every chunk at once, so
     * without it every chunk in the head is cut at the same scrape, and the open chunks' memory
     * swings between nearly nothing and its peak every {@code samplesPerChunk} scrapes (the arena
     * keeps the peak). Staggered, the chunks are at every fill level at any time and hold about
     * half the peak. The count of chunks in a range stays the same: the rest of the range is
     * divided evenly again at the next chunk's quarter.
     */
    private long chunkEndTime(int n, Head h) {
        long rangeEnd = nextAt; // set at the cut: the end of the chunk range this chunk lies in
        long end = computeChunkEndTime(headMinT, maxT, rangeEnd, 4);
        if (n < 2 || end - headMinT > (rangeEnd - headMinT) / 2) return end; // one chunk fills the range
        long rangeStart = rangeEnd - h.chunkRangeMs;
        if (chunkCount > 0 && chunks[(chunkCount - 1) * 3 + 2] >= rangeStart) return end; // not the range's first
        int half = h.samplesPerChunk / 2;
        long samples = half + Long.remainderUnsigned((ref * 0x9E3779B97F4A7C15L) >>> 17, h.samplesPerChunk - half);
        long staggered = headMinT + (maxT - headMinT) * samples / (n - 1);
        return Math.min(end, staggered);
    }

    /** Prometheus's {@code computeChunkEndTime}: spreads the remaining samples evenly over the range. */
    static long computeChunkEndTime(long start, long cur, long max, int ratioToFull) {
        double n = (double) (max - start) / ((double) (cur - start + 1) * ratioToFull);
        if (n <= 1) return max;
        return (long) (start + (max - start) / Math.floor(n));
    }

    /** End of the chunk range holding {@code t}, as Prometheus's {@code rangeForTimestamp}. */
    static long rangeForTimestamp(long t, long width) {
        return (t / width) * width + width;
    }

    /**
     * Writes the open chunk to the head chunks files (kept on the heap if that fails) and starts a
     * new one in the smallest slot that held a quarter of the old one: a slot of the smallest class
     * is reused as it is, a larger one goes back to the arena.
     */
    private void cutNewHeadChunk(long t, Head h) {
        ChunkArena arena = h.arena;
        int start = ChunkArena.minSize();
        if (slot != ChunkArena.NONE) {
            int len = byteLength();
            if (num > 0) {
                byte[] a = arena.array(slot);
                int off = ChunkArena.offset(slot);
                writeHeader(a, off);
                long chunkRef = h.chunkFiles.write(ref, headMinT, maxT, a, off, len, false);
                addChunk(chunkRef, headMinT, maxT, chunkRef < 0 ? XorChunk.wrap(Arrays.copyOfRange(a, off, off + len)) : null);
                start = Math.max(start, len / 4); // the next chunk is likely as large: skip the first growth steps
            }
            if (arena.capacity(slot) != ChunkArena.slotSize(start)) {
                arena.free(slot);
                slot = ChunkArena.NONE;
            }
        }
        if (slot == ChunkArena.NONE) slot = arena.allocate(start);
        startChunk();
        headMinT = t;
        nextAt = rangeForTimestamp(t, h.chunkRangeMs);
        h.chunksCreated.increment();
    }

    private void addChunk(long chunkRef, long minT, long chunkMaxT, XorChunk heap) {
        if ((chunkCount + 1) * 3 > chunks.length) chunks = Arrays.copyOf(chunks, Math.max(6, chunks.length * 2));
        int i = chunkCount * 3;
        chunks[i] = chunkRef;
        chunks[i + 1] = minT;
        chunks[i + 2] = chunkMaxT;
        if (chunkRef < 0 || heapChunks != null) {
            if (heapChunks == null) heapChunks = new XorChunk[chunks.length / 3];
            if (heapChunks.length <= chunkCount) heapChunks = Arrays.copyOf(heapChunks, chunks.length / 3);
            heapChunks[chunkCount] = chunkRef < 0 ? heap : null;
        }
        chunkCount++;
    }

    /** Records a full in-order chunk found in the head chunks files at start-up. */
    synchronized void addMmappedChunk(long chunkRef, long minT, long chunkMaxT) {
        addChunk(chunkRef, minT, chunkMaxT, null);
        if (chunkMaxT > maxT) maxT = chunkMaxT;
    }

    /** A consistent copy of what a query over {@code [mint, maxt]} may read. */
    synchronized HeadSeries snapshot(long mint, long maxt, Isolation.State iso, long[] tombstones, HeadChunkFiles files, ChunkArena arena) {
        List<HeadSeries.ChunkMeta> inOrder = new ArrayList<>(2);
        for (int i = 0; i < chunkCount; i++) {
            long cmin = chunks[i * 3 + 1], cmax = chunks[i * 3 + 2];
            if (cmax < mint || cmin > maxt) continue;
            XorChunk heap = heapChunks != null && i < heapChunks.length ? heapChunks[i] : null;
            inOrder.add(new HeadSeries.ChunkMeta(chunks[i * 3], cmin, cmax, heap));
        }
        if (slot != ChunkArena.NONE && num > 0 && headMinT <= maxt && maxT >= mint) {
            // a copy: later appends, growth or a cut would change the slot's bytes under the query
            byte[] a = arena.array(slot);
            int off = ChunkArena.offset(slot);
            byte[] copy = Arrays.copyOfRange(a, off, off + byteLength());
            writeHeader(copy, 0);
            inOrder.add(new HeadSeries.ChunkMeta(-1, headMinT, maxT, XorChunk.wrap(copy)));
        }
        long cap = visibleMaxT(iso);
        List<HeadSeries.ChunkMeta> late = List.of();
        if (ooo != null && !ooo.isEmpty()) {
            late = new ArrayList<>();
            ooo.snapshot(mint, maxt, late);
        }
        if (inOrder.isEmpty() && late.isEmpty()) return null;
        return new HeadSeries(labels, inOrder, late, mint, Math.min(maxt, cap), tombstones, files);
    }

    /** Oldest sample time held, or {@code Long.MAX_VALUE} when empty. */
    synchronized long minTime() {
        long m = chunkCount > 0 ? chunks[1] : slot != ChunkArena.NONE && num > 0 ? headMinT : Long.MAX_VALUE;
        if (ooo != null) m = Math.min(m, ooo.minTime());
        return m;
    }

    synchronized long maxTime() {
        long m = maxT;
        if (ooo != null) m = Math.max(m, ooo.maxTime());
        return m;
    }

    synchronized int numChunks() {
        return chunkCount + (slot != ChunkArena.NONE ? 1 : 0) + (ooo != null ? ooo.numChunks() : 0);
    }

    /**
     * Drops chunks entirely before {@code mint} (they are in a block now); returns the number of
     * chunks removed.
     */
    synchronized int truncateBefore(long mint, ChunkArena arena) {
        int removed = 0;
        int keepFrom = 0;
        while (keepFrom < chunkCount && chunks[keepFrom * 3 + 2] < mint) keepFrom++;
        if (keepFrom > 0) {
            System.arraycopy(chunks, keepFrom * 3, chunks, 0, (chunkCount - keepFrom) * 3);
            if (heapChunks != null) {
                System.arraycopy(heapChunks, keepFrom, heapChunks, 0, chunkCount - keepFrom);
                Arrays.fill(heapChunks, chunkCount - keepFrom, heapChunks.length, null);
            }
            chunkCount -= keepFrom;
            removed += keepFrom;
        }
        if (slot != ChunkArena.NONE && maxT < mint && chunkCount == 0) {
            arena.free(slot);
            slot = ChunkArena.NONE;
            removed++;
        }
        if (ooo != null) {
            removed += ooo.truncateBefore(mint);
            if (ooo.isEmpty()) ooo = null;
        }
        return removed;
    }

    /**
     * Marks the series removed when it holds nothing and no appender is about to add to it; an
     * appender that still holds it then gets {@link #SERIES_REMOVED} and looks it up again.
     */
    synchronized boolean markRemovedIfEmpty() {
        if (chunkCount == 0 && slot == ChunkArena.NONE && ooo == null && pendingOwner == 0) removed = true;
        return removed;
    }

    /** Chunk ranges, for test failure messages. */
    synchronized String debugString() {
        StringBuilder sb = new StringBuilder("inorder=");
        for (int i = 0; i < chunkCount; i++) sb.append('[').append(chunks[i * 3 + 1]).append(',').append(chunks[i * 3 + 2]).append(']');
        sb.append(" head=").append(slot == ChunkArena.NONE ? "none" : "[" + headMinT + "," + maxT + "]#" + num);
        if (ooo != null) ooo.debugString(sb);
        return sb.toString();
    }

    /** Heap bytes of the open chunk: its arena slot's size (the class, not the bytes in use). */
    synchronized int heapBytes(ChunkArena arena) { return slot == ChunkArena.NONE ? 0 : arena.capacity(slot); }
}
