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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches samples for one commit. {@link #append} validates each sample against its series (so
 * rejections are known at once, as status codes) and buffers it; {@link #commit} writes the new
 * series and the samples to the WAL, then applies them to the series inside one isolation
 * transaction, so a query sees all of them or none. Allocates nothing per sample once warm.
 */
final class HeadAppender implements Appender {
    private static final AtomicLong NEXT_OWNER = new AtomicLong(1);

    private final Head head;
    private final long owner = NEXT_OWNER.getAndIncrement();
    private final Records.SampleBatch batch = new Records.SampleBatch();
    private MemSeries[] batchSeries = new MemSeries[64];
    private MemSeries[] newSeries = new MemSeries[16]; // created by this appender, not yet logged
    private int newCount;
    private final boolean[] created = new boolean[1];
    private final Encbuf enc = new Encbuf(1024);
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
        MemSeries s = ref > 0 ? head.series.getByRef(ref) : null;
        if (s == null) {
            if (labels == null || labels.isEmpty() || !validNames(labels)) return AppendStatus.INVALID_LABELS;
            s = head.getOrCreate(labels, created);
            if (created[0]) addNew(s);
        }
        long st = s.appendable(owner, timestampMs, value, head.maxTime(), head.oooWindowMs);
        if (st < 0) {
            head.countRejected(st);
            return st;
        }
        if (st == MemSeries.DUPLICATE_IGNORED) return s.ref;
        if (batch.n == batchSeries.length) batchSeries = Arrays.copyOf(batchSeries, batchSeries.length * 2);
        batchSeries[batch.n] = s;
        batch.add(s.ref, timestampMs, value);
        return s.ref;
    }

    private static boolean validNames(Labels l) {
        for (int i = 0; i < l.size(); i++) if (l.name(i).isEmpty()) return false;
        return true;
    }

    private void addNew(MemSeries s) {
        if (newCount == newSeries.length) newSeries = Arrays.copyOf(newSeries, newCount * 2);
        newSeries[newCount++] = s;
    }

    @Override
    public void commit() {
        if (batch.n == 0 && newCount == 0) return;
        try {
            logToWal();
        } catch (IOException e) {
            head.markStorageFailed(e);
            int lost = batch.n;
            head.storageFullRejected.add(lost);
            reset();
            throw new UncheckedIOException("storage write failed: WAL write failed, " + lost + " samples not stored [dir="
                    + head.dir() + "]; free disk space, appends resume by themselves", e);
        }
        head.markStorageOk();
        long id = head.isolation.begin();
        long mint = Long.MAX_VALUE, maxt = Long.MIN_VALUE;
        int appended = 0, ooo = 0;
        try {
            for (int i = 0; i < batch.n; i++) {
                long t = batch.ts[i];
                long st = batchSeries[i].append(t, batch.vs[i], id, head);
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
        } finally {
            head.samplesAppended.add(appended);
            if (ooo > 0) head.oooAppended.add(ooo);
            head.isolation.end(id);
            reset();
        }
    }

    /** Series records first (so replay knows every ref), then one samples record. */
    private void logToWal() throws IOException {
        Wal wal = head.wal();
        if (wal == null) return;
        enc.reset();
        enc.putByte(Records.SERIES);
        for (int i = 0; i < newCount; i++) Records.encodeOneSeries(enc, newSeries[i].ref, newSeries[i].labels);
        for (int i = 0; i < batch.n; i++) {
            MemSeries s = batchSeries[i];
            if (!s.logged) Records.encodeOneSeries(enc, s.ref, s.labels); // created by an appender that has not committed yet
        }
        if (enc.len() > 1) wal.log(enc.array(), enc.len());
        for (int i = 0; i < newCount; i++) newSeries[i].logged = true;
        for (int i = 0; i < batch.n; i++) batchSeries[i].logged = true;
        if (batch.n > 0) {
            Records.encodeSamples(enc.reset(), batch);
            wal.log(enc.array(), enc.len());
        }
    }

    @Override
    public void rollback() {
        try {
            Wal wal = head.wal();
            if (newCount > 0 && wal != null) { // keep refs resolvable for later WAL records, as Prometheus does
                enc.reset();
                enc.putByte(Records.SERIES);
                for (int i = 0; i < newCount; i++) Records.encodeOneSeries(enc, newSeries[i].ref, newSeries[i].labels);
                wal.log(enc.array(), enc.len());
                for (int i = 0; i < newCount; i++) newSeries[i].logged = true;
            }
        } catch (IOException e) {
            head.markStorageFailed(e);
        } finally {
            reset();
        }
    }

    private void reset() {
        for (int i = 0; i < batch.n; i++) {
            batchSeries[i].clearPending(owner);
            batchSeries[i] = null;
        }
        for (int i = 0; i < newCount; i++) newSeries[i] = null;
        batch.clear();
        newCount = 0;
        minValid = head.appendableMinValidTime();
    }
}
