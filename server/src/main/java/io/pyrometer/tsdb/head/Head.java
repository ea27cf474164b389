package io.pyrometer.tsdb.head;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.AppendStatus;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.Querier;
import io.pyrometer.tsdb.wal.Checkpoint;
import io.pyrometer.tsdb.wal.Encbuf;
import io.pyrometer.tsdb.wal.Records;
import io.pyrometer.tsdb.wal.Wal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.roaringbitmap.RoaringBitmap;

/**
 * The in-memory, write-ahead-logged part of the TSDB: every series of the last hours with their
 * open chunks, the label index, and the WAL and head chunks files that make it survive a crash.
 *
 * <pre>{@code
 * Head head = Head.open(dataDir, HeadOptions.defaults(), Long.MIN_VALUE, null);
 * Appender app = head.appender();
 * long ref = app.append(0, Labels.of("__name__", "up"), 1000, 1.0);
 * app.commit();
 * }</pre>
 *
 * <p>Threading: appenders run concurrently (see {@link StripeSeries}, {@link MemSeries}); queries
 * need no lock beyond the postings read lock and each series' monitor while copying its chunk list.
 */
public final class Head implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Head.class.getName());

    final long chunkRangeMs;
    final int samplesPerChunk;
    final long oooWindowMs;
    final HeadChunkFiles chunkFiles;
    final StripeSeries series;
    final MemPostings postings = new MemPostings();
    final Isolation isolation = new Isolation();
    /** Bytes of every series' open chunk (see {@link ChunkArena}). */
    final ChunkArena arena = new ChunkArena();
    final HeadAppender.Pool appendBuffers = new HeadAppender.Pool();
    private final Path dir;
    private final AtomicLong lastSeriesRef = new AtomicLong();
    private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
    private volatile long minValidTime = Long.MIN_VALUE;
    private volatile Wal wal;
    private volatile long storageFailedAtNanos; // 0 when healthy; else when the last WAL write failed
    // ref -> sorted inclusive (mint, maxt) pairs
    private final ConcurrentHashMap<Long, long[]> tombstones = new ConcurrentHashMap<>();
    final AtomicLong numSeries = new AtomicLong();
    final LongAdder chunksCreated = new LongAdder();
    final LongAdder chunksRemoved = new LongAdder();
    final LongAdder samplesAppended = new LongAdder();
    final LongAdder oooAppended = new LongAdder();
    final LongAdder outOfOrderRejected = new LongAdder();
    final LongAdder duplicateRejected = new LongAdder();
    final LongAdder tooOldRejected = new LongAdder();
    final LongAdder outOfBoundRejected = new LongAdder();
    final LongAdder storageFullRejected = new LongAdder();
    final LongAdder seriesCreated = new LongAdder();
    final LongAdder seriesRemoved = new LongAdder();
    final LongAdder walCorruptions = new LongAdder();
    final LongAdder walTruncations = new LongAdder();
    private long truncatedBefore = Long.MIN_VALUE; // guarded by truncateLock
    private final Object truncateLock = new Object();

    private Head(Path dir, HeadOptions o) {
        this.dir = dir;
        this.chunkRangeMs = o.chunkRangeMs();
        this.samplesPerChunk = o.samplesPerChunk();
        this.oooWindowMs = o.outOfOrderTimeWindowMs();
        this.series = new StripeSeries(o.stripeSize());
        this.chunkFiles = new HeadChunkFiles(dir.resolve("chunks_head"), o.chunkFileSizeBytes());
    }

    /**
     * Opens the head of the data directory {@code dir}: reads {@code chunks_head/}, replays
     * {@code wal/} (checkpoint, then segments; a corrupted tail is cut and counted, never fatal)
     * and starts a new WAL segment.
     *
     * @param minValidTimeMs samples before this are skipped on replay and rejected afterwards: the
     *                       end of the newest block, whose data the WAL may still hold
     * @param fsyncNanos     receives each WAL fsync's duration, or null
     */
    public static Head open(Path dir, HeadOptions o, long minValidTimeMs, LongConsumer fsyncNanos) throws IOException {
        Head h = new Head(dir, o);
        h.minValidTime = minValidTimeMs;
        h.truncatedBefore = minValidTimeMs;
        WalReplayer.replay(h, dir.resolve("wal"));
        h.wal = new Wal(dir.resolve("wal"), o.walSegmentSizeBytes(), o.walSyncOnCommit(), fsyncNanos);
        return h;
    }

    public Path dir() { return dir; }

    public Appender appender() { return new HeadAppender(this); }

    /** A querier over the head's samples in {@code [mintMs, maxtMs]}. */
    public Querier querier(long mintMs, long maxtMs) { return new HeadQuerier(this, mintMs, maxtMs, true); }

    /**
     * A querier without isolation, for writing a range that no longer takes samples into a block
     * (Prometheus's {@code NewRangeHeadWithIsolationDisabled}): it holds back no commit, so series
     * keep no commit lists while a long compaction reads them.
     */
    public Querier compactionQuerier(long mintMs, long maxtMs) { return new HeadQuerier(this, mintMs, maxtMs, false); }

    Wal wal() { return wal; }

    /** Newest sample time, or {@code Long.MIN_VALUE} when empty. */
    public long maxTime() { return maxTime.get(); }

    /** Oldest sample time, or {@code Long.MAX_VALUE} when empty. */
    public long minTime() { return minTime.get(); }

    /** Samples before this time are rejected as out of bounds (they belong to a persisted block). */
    public long minValidTime() { return minValidTime; }

    /**
     * Rejects samples before {@code t} from now on (as out of bounds): called before the range is
     * written to a block, so no sample lands in it while it is being written.
     */
    public void setMinValidTime(long t) {
        if (t > minValidTime) minValidTime = t;
    }

    /** Prometheus's {@code appendableMinValidTime}: no more than half a chunk range behind the newest sample. */
    long appendableMinValidTime() {
        long mt = maxTime.get();
        if (oooWindowMs > 0 || mt == Long.MIN_VALUE) return minValidTime;
        return Math.max(minValidTime, mt - chunkRangeMs / 2);
    }

    void updateTimes(long mint, long maxt) {
        long cur;
        while (mint < (cur = minTime.get()) && !minTime.compareAndSet(cur, mint)) {
            Thread.onSpinWait();
        }
        while (maxt > (cur = maxTime.get()) && !maxTime.compareAndSet(cur, maxt)) {
            Thread.onSpinWait();
        }
    }

    MemSeries getOrCreate(Labels labels, boolean[] created) {
        MemSeries s = series.getOrCreate(labels, l -> newSeries(lastSeriesRef.incrementAndGet(), l), created);
        if (created[0]) {
            numSeries.incrementAndGet();
            seriesCreated.increment();
        }
        return s;
    }

    /** Creates a series with a given ref (WAL replay). */
    MemSeries getOrCreateWithRef(long ref, Labels labels, boolean[] created) {
        MemSeries s = series.getOrCreate(labels, l -> newSeries(ref, l), created);
        if (created[0]) {
            lastSeriesRef.accumulateAndGet(ref, Math::max);
            numSeries.incrementAndGet();
            seriesCreated.increment();
        }
        return s;
    }

    private MemSeries newSeries(long ref, Labels l) {
        // Refs index the int postings and StripeSeries' dense ref table. They are never reused and
        // survive restarts: the WAL and its checkpoints keep each live series' ref, and replay
        // continues after the largest one (getOrCreateWithRef). A restart does not compact them.
        if (ref > Integer.MAX_VALUE) {
            throw new IllegalStateException("series ref space exhausted: this head has created 2^31-1 series since its WAL began "
                    + "(refs survive restarts) [ref=" + ref + "]; 64-bit refs are not implemented yet");
        }
        return new MemSeries(ref, postings.add((int) ref, l));
    }

    /** Whether appends should fail fast with {@link AppendStatus#STORAGE_FULL}; retried once a second. */
    boolean storageFull() {
        long at = storageFailedAtNanos;
        return at != 0 && System.nanoTime() - at < 1_000_000_000L;
    }

    void markStorageFailed(IOException e) {
        if (storageFailedAtNanos == 0) {
            LOG.log(System.Logger.Level.ERROR, "WAL write failed; rejecting appends with \"storage write failed\" until it succeeds [dir={0}, err={1}]",
                    dir, e.toString());
        }
        storageFailedAtNanos = System.nanoTime() | 1;
    }

    void markStorageOk() {
        if (storageFailedAtNanos != 0) {
            storageFailedAtNanos = 0;
            LOG.log(System.Logger.Level.INFO, "WAL writes succeed again; accepting appends [dir={0}]", dir);
        }
    }

    void countRejected(long status) {
        if (status == AppendStatus.OUT_OF_ORDER) outOfOrderRejected.increment();
        else if (status == AppendStatus.DUPLICATE_SAMPLE) duplicateRejected.increment();
        else if (status == AppendStatus.TOO_OLD) tooOldRejected.increment();
        else if (status == AppendStatus.OUT_OF_BOUNDS) outOfBoundRejected.increment();
        else if (status == AppendStatus.STORAGE_FULL) storageFullRejected.increment();
    }

    long[] tombstones(long ref) { return tombstones.get(ref); }

    /** Whether any series has deleted intervals; lets a querier skip a lookup per series. */
    boolean hasTombstones() { return !tombstones.isEmpty(); }

    /** Records a deleted interval for a series (no WAL write: replay and {@link #delete} do that). */
    void addTombstone(long ref, long mint, long maxt) {
        tombstones.merge(ref, new long[] {mint, maxt}, (a, b) -> {
            long[] c = Arrays.copyOf(a, a.length + 2);
            c[a.length] = b[0];
            c[a.length + 1] = b[1];
            return c;
        });
    }

    /**
     * Deletes samples in {@code [mintMs, maxtMs]} of series matching {@code matchers}: tombstones are
     * logged to the WAL first, then hide the samples from queries; the samples go for good when
     * the head is cut into a block.
     */
    public void delete(long mintMs, long maxtMs, List<LabelMatcher> matchers) throws IOException {
        RoaringBitmap refs = postings.select(matchers);
        List<Records.Tombstone> stones = new ArrayList<>();
        for (int ref : refs) stones.add(new Records.Tombstone(ref, mintMs, maxtMs));
        if (stones.isEmpty()) return;
        Encbuf e = new Encbuf(stones.size() * 16 + 1);
        Records.encodeTombstones(e, stones);
        wal.log(e.array(), e.len());
        for (Records.Tombstone t : stones) addTombstone(t.ref(), mintMs, maxtMs);
    }

    /**
     * Waits (up to {@code timeoutMs}) for queriers open now to close: call after publishing a block
     * and before {@link #truncate}, as Prometheus's {@code WaitForPendingReadersInTimeRange}.
     */
    public boolean waitForPendingReaders(long timeoutMs) {
        try {
            return isolation.awaitOpenReaders(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Drops everything older than {@code mintMs} from memory (it is in a block now), removes series
     * left empty, deletes head chunks files only holding older chunks, then checkpoints the WAL.
     */
    public void truncate(long mintMs) throws IOException {
        synchronized (truncateLock) {
            if (mintMs <= truncatedBefore) return;
            truncatedBefore = mintMs;
        }
        setMinValidTime(mintMs);
        List<MemSeries> dead = new ArrayList<>();
        long[] newMin = {Long.MAX_VALUE};
        series.forEach(s -> {
            chunksRemoved.add(s.truncateBefore(mintMs, arena));
            if (s.markRemovedIfEmpty()) dead.add(s);
            else newMin[0] = Math.min(newMin[0], s.minTime());
        });
        for (MemSeries s : dead) {
            series.remove(s);
            postings.delete((int) s.ref, s.labels);
            tombstones.remove(s.ref);
            numSeries.decrementAndGet();
            seriesRemoved.increment();
        }
        minTime.set(Math.max(mintMs, newMin[0] == Long.MAX_VALUE ? mintMs : newMin[0]));
        arena.trim(); // dropped series' slots are free now: give the spare slabs back
        chunkFiles.deleteOlderThan(mintMs);
        truncateWal(mintMs);
        LOG.log(System.Logger.Level.INFO, "head truncated [mint={0}, series_removed={1}, series={2}]",
                String.valueOf(mintMs), String.valueOf(dead.size()), String.valueOf(numSeries.get()));
    }

    private void truncateWal(long mintMs) throws IOException {
        Wal w = wal;
        if (w == null) return;
        List<Integer> segs = Wal.Segments.list(w.dir());
        if (segs.isEmpty()) return;
        int first = segs.getFirst();
        int cur = w.currentSegment();
        int last = first + (cur - first) * 2 / 3;
        if (last < first || last >= cur) return;
        Checkpoint.create(w.dir(), first, last, ref -> series.getByRef(ref) != null, mintMs);
        w.truncateBefore(last + 1);
        walTruncations.increment();
    }

    /** Current head statistics for {@code /api/v1/status/tsdb}. */
    public HeadStats stats() {
        return new HeadStats(numSeries.get(), chunksCreated.sum() - chunksRemoved.sum(), minTime.get(), maxTime.get(),
                postings.numLabelPairs(), postings.stats(10));
    }

    /** Head statistics; times are {@code Long.MAX_VALUE}/{@code MIN_VALUE} when empty. */
    public record HeadStats(long numSeries, long numChunks, long minTimeMs, long maxTimeMs, int numLabelPairs, CardinalityStats cardinality) {}

    // counters for self-metrics
    public long samplesAppendedTotal() { return samplesAppended.sum(); }
    public long outOfOrderSamplesAppendedTotal() { return oooAppended.sum(); }
    public long outOfOrderSamplesTotal() { return outOfOrderRejected.sum(); }
    public long duplicateSamplesTotal() { return duplicateRejected.sum(); }
    public long tooOldSamplesTotal() { return tooOldRejected.sum(); }
    public long outOfBoundSamplesTotal() { return outOfBoundRejected.sum(); }
    public long storageFullSamplesTotal() { return storageFullRejected.sum(); }
    public long seriesCreatedTotal() { return seriesCreated.sum(); }
    public long seriesRemovedTotal() { return seriesRemoved.sum(); }
    public long chunksCreatedTotal() { return chunksCreated.sum(); }
    public long chunksRemovedTotal() { return chunksRemoved.sum(); }
    public long numSeries() { return numSeries.get(); }

    /** Heap bytes of the open chunks' arena slots (slot sizes, not bytes in use). */
    public long openChunkBytes() { return arena.slotBytes(); }

    /** Heap bytes of the arena's slabs, free slots included. */
    public long openChunkArenaBytes() { return arena.slabBytes(); }
    public long numChunks() { return chunksCreated.sum() - chunksRemoved.sum(); }
    public long walCorruptionsTotal() { return walCorruptions.sum(); }
    public long mmapChunkCorruptionsTotal() { return chunkFiles.corruptions.sum(); }
    /** Index of the WAL segment being written, or -1 before the WAL is open. */
    public long walSegmentCurrent() {
        Wal w = wal;
        return w == null ? -1 : w.currentSegment();
    }
    public long walTruncationsTotal() { return walTruncations.sum(); }

    /** Bytes of the WAL and head chunks on disk, for size-based retention. */
    public long diskBytes() {
        Wal w = wal;
        return (w == null ? 0 : w.sizeBytes()) + chunkFiles.sizeBytes();
    }

    @Override
    public void close() {
        try {
            Wal w = wal;
            if (w != null) w.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing WAL failed [dir=" + dir + "]", e);
        } finally {
            chunkFiles.close();
        }
    }
}
