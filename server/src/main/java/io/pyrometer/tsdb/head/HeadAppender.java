package io.pyrometer.tsdb.head;

import io.pyrometer.model.Labels;
import io.pyrometer.storage.AppendStatus;
import io.pyrometer.storage.Appender;
import io.pyrometer.tsdb.wal.Encbuf;
import io.pyrometer.tsdb.wal.Records;
import io.pyrometer.tsdb.wal.Wal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches samples for one commit. {@link #append} validates each sample against its series (so
 * rejections are known at once, as status codes) and buffers it; {@link #commit} writes the new
 * series and the samples to the WAL, then applies them to the series inside one isolation
 * transaction, so a query sees all of them or none.
 *
 * <p>The batch buffers come from a pool shared by the head's appenders and go back on commit or
 * rollback, as Prometheus's {@code appendPool}: a scrape creates an appender per scrape, and
 * fresh buffers for 10k samples would cost ~120 bytes of garbage per sample. The appender stays
 * usable after commit; it takes buffers again on the next append.
 */
final class HeadAppender implements Appender {
    private static final AtomicLong NEXT_OWNER = new AtomicLong(1);

    /** Reusable per-commit buffers. */
    static final class Buffers {
        final Records.SampleBatch batch = new Records.SampleBatch();
        MemSeries[] batchSeries = new MemSeries[64];
        MemSeries[] newSeries = new MemSeries[16]; // created by this appender, not yet logged
        int newCount;
        final Encbuf enc = new Encbuf(1024);
    }

    /** A bounded pool of {@link Buffers}. */
    static final class Pool {
        private static final int MAX_POOLED = 64;
        private static final int MAX_POOLED_ENC_BYTES = 4 << 20;
        private static final int KEEP_ENC_BYTES = 64 << 10;
        private final ConcurrentLinkedQueue<Buffers> free = new ConcurrentLinkedQueue<>();
        private final AtomicInteger size = new AtomicInteger();

        Buffers take() {
            Buffers b = free.poll();
            if (b == null) return new Buffers();
            size.decrementAndGet();
            return b;
        }

        void give(Buffers b) {
            // a burst (the series records of a big target's first scrape) must not stay pinned
            if (b.enc.array().length > MAX_POOLED_ENC_BYTES) return;
            // the same for a series record that grew the buffer far past the samples records after it
            int used = b.enc.len();
            if (b.enc.array().length > Math.max(KEEP_ENC_BYTES, 4 * used)) b.enc.shrink(Math.max(KEEP_ENC_BYTES, 2 * used));
            if (size.incrementAndGet() <= MAX_POOLED) free.offer(b);
            else size.decrementAndGet();
        }
    }

    private final Head head;
    private final long owner = NEXT_OWNER.getAndIncrement();
    private final boolean[] created = new boolean[1];
    private Buffers buf; // null between commits
    private long minValid;

    HeadAppender(Head head) {
        this.head = head;
        this.minValid = head.appendableMinValidTime();
    }

    @Override
    public long append(long ref, Labels labels, long timestampMs, double value) {
        if (head.storageFull()) {
            head.countRejected(AppendStatus.STORAGE_FULL);
            return AppendStatus.STORAGE_FULL;
        }
        if (timestampMs < minValid) {
            head.countRejected(AppendStatus.OUT_OF_BOUNDS);
            return AppendStatus.OUT_OF_BOUNDS;
        }
        if (buf == null) buf = head.appendBuffers.take();
        MemSeries s = ref > 0 ? head.series.getByRef(ref) : null;
        if (s == null) {
            if (labels == null || labels.isEmpty() || !validNames(labels)) return AppendStatus.INVALID_LABELS;
            labels = withoutEmptyValues(labels);
            if (labels.isEmpty()) return AppendStatus.INVALID_LABELS;
            s = head.getOrCreate(labels, created);
            if (created[0]) addNew(s);
        }
        long st = s.appendable(owner, timestampMs, value, head.maxTime(), head.oooWindowMs);
        if (st == MemSeries.SERIES_REMOVED) { // truncation dropped it meanwhile: recreate it
            if (labels == null || labels.isEmpty()) return AppendStatus.INVALID_LABELS;
            s = head.getOrCreate(labels, created);
            if (created[0]) addNew(s);
            st = s.appendable(owner, timestampMs, value, head.maxTime(), head.oooWindowMs);
            if (st == MemSeries.SERIES_REMOVED) return AppendStatus.OUT_OF_BOUNDS;
        }
        if (st < 0) {
            head.countRejected(st);
            return st;
        }
        if (st == MemSeries.DUPLICATE_IGNORED) return s.ref;
        Buffers b = buf;
        if (b.batch.n == b.batchSeries.length) b.batchSeries = Arrays.copyOf(b.batchSeries, b.batchSeries.length * 2);
        b.batchSeries[b.batch.n] = s;
        b.batch.add(s.ref, timestampMs, value);
        return s.ref;
    }

    private static boolean validNames(Labels l) {
        for (int i = 0; i < l.size(); i++) if (l.name(i).isEmpty()) return false;
        return true;
    }

    /** A label with an empty value is an absent label, as in Prometheus. */
    private static Labels withoutEmptyValues(Labels l) {
        int empty = 0;
        for (int i = 0; i < l.size(); i++) if (l.value(i).isEmpty()) empty++;
        if (empty == 0) return l;
        String[] pairs = new String[2 * (l.size() - empty)];
        for (int i = 0, j = 0; i < l.size(); i++) {
            if (l.value(i).isEmpty()) continue;
            pairs[j++] = l.name(i);
            pairs[j++] = l.value(i);
        }
        return Labels.ofSortedUnsafe(pairs); // a subsequence of sorted pairs stays sorted
    }

    private void addNew(MemSeries s) {
        Buffers b = buf;
        if (b.newCount == b.newSeries.length) b.newSeries = Arrays.copyOf(b.newSeries, b.newCount * 2);
        b.newSeries[b.newCount++] = s;
    }

    @Override
    public void commit() {
        Buffers b = buf;
        if (b == null) return;
        if (b.batch.n == 0 && b.newCount == 0) {
            reset();
            return;
        }
        try {
            logToWal(b);
        } catch (IOException e) {
            head.markStorageFailed(e);
            int lost = b.batch.n;
            head.storageFullRejected.add(lost);
            reset();
            throw new UncheckedIOException("storage write failed: WAL write failed, " + lost + " samples not stored [dir="
                    + head.dir() + "]; free disk space, appends resume by themselves", e);
        }
        head.markStorageOk();
        applyToSeries(b);
    }

    /** Appends the batch to its series inside one isolation transaction. */
    private void applyToSeries(Buffers b) {
        long id = head.isolation.begin();
        long mint = Long.MAX_VALUE, maxt = Long.MIN_VALUE;
        int appended = 0, ooo = 0;
        boolean applied = false; // each commitSample cleared its series' pending state
        try {
            Records.SampleBatch batch = b.batch;
            for (int i = 0; i < batch.n; i++) {
                long t = batch.ts[i];
                long st = b.batchSeries[i].commitSample(t, batch.vs[i], id, owner, head);
                if (st == MemSeries.APPENDED || st == MemSeries.OOO_APPENDED) {
                    appended++;
                    if (st == MemSeries.OOO_APPENDED) ooo++;
                    if (t < mint) mint = t;
                    if (t > maxt) maxt = t;
                } else if (st < 0) {
                    head.countRejected(st); // lost a race with another appender of the same series
                }
            }
            if (maxt != Long.MIN_VALUE) head.updateTimes(mint, maxt);
            applied = true;
        } finally {
            head.isolation.end(id);
            head.samplesAppended.add(appended);
            if (ooo > 0) head.oooAppended.add(ooo);
            reset(!applied);
        }
    }

    /** Series records first (so replay knows every ref), then one samples record. */
    private void logToWal(Buffers b) throws IOException {
        Wal wal = head.wal();
        if (wal == null) return;
        Encbuf enc = b.enc.reset();
        enc.putByte(Records.SERIES);
        for (int i = 0; i < b.newCount; i++) Records.encodeOneSeries(enc, b.newSeries[i].ref, b.newSeries[i].labels);
        for (int i = 0; i < b.batch.n; i++) {
            MemSeries s = b.batchSeries[i];
            if (!s.logged) Records.encodeOneSeries(enc, s.ref, s.labels); // created by an appender that has not committed yet
        }
        if (enc.len() > 1) wal.log(enc.array(), enc.len());
        for (int i = 0; i < b.newCount; i++) b.newSeries[i].logged = true;
        for (int i = 0; i < b.batch.n; i++) {
            MemSeries s = b.batchSeries[i];
            if (!s.logged) s.logged = true; // a volatile write is a fence: only where it changes
        }
        if (b.batch.n > 0) {
            Records.encodeSamples(enc.reset(), b.batch);
            wal.log(enc.array(), enc.len());
        }
    }

    @Override
    public void rollback() {
        Buffers b = buf;
        if (b == null) return;
        try {
            Wal wal = head.wal();
            if (b.newCount > 0 && wal != null) { // keep refs resolvable for later WAL records, as Prometheus does
                Encbuf enc = b.enc.reset();
                enc.putByte(Records.SERIES);
                for (int i = 0; i < b.newCount; i++) Records.encodeOneSeries(enc, b.newSeries[i].ref, b.newSeries[i].labels);
                wal.log(enc.array(), enc.len());
                for (int i = 0; i < b.newCount; i++) b.newSeries[i].logged = true;
            }
        } catch (IOException e) {
            head.markStorageFailed(e);
        } finally {
            reset();
        }
    }

    private void reset() {
        reset(true);
    }

    /**
     * Returns the buffers to the pool; {@code clearPending} clears the series' pending state (a
     * rollback or failed commit; a commit clears it per sample under the series lock it holds anyway).
     */
    private void reset(boolean clearPending) {
        Buffers b = buf;
        buf = null;
        for (int i = 0; i < b.batch.n; i++) {
            if (clearPending) b.batchSeries[i].clearPending(owner);
            b.batchSeries[i] = null;
        }
        for (int i = 0; i < b.newCount; i++) b.newSeries[i] = null;
        b.batch.clear();
        b.newCount = 0;
        head.appendBuffers.give(b);
        minValid = head.appendableMinValidTime();
    }
}
