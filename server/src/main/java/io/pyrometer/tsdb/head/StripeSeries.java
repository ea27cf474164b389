package io.pyrometer.tsdb.head;

import io.pyrometer.model.Labels;
import java.util.Arrays;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The head's series registry. By ref: a paged array indexed by the (dense, never reused) ref,
 * read without locks. By labels: {@link #stripes} hash maps, each behind its own monitor, so two
 * appenders creating series only contend when their label hashes share a stripe; there is no
 * global lock on the append path. As Prometheus's {@code stripeSeries}.
 */
final class StripeSeries {
    private static final int PAGE_BITS = 12;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;

    private final int mask;
    private final HashMap<Labels, MemSeries>[] byLabels; // byLabels[i] guarded by locks[i]
    private final Object[] locks;
    // directory of pages; replaced (copy-on-grow) under growLock, read lock-free
    private volatile AtomicReferenceArray<MemSeries>[] pages;
    private final Object growLock = new Object();

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic arrays
    StripeSeries(int stripes) {
        if (Integer.bitCount(stripes) != 1) throw new IllegalArgumentException("stripe count must be a power of two [stripes=" + stripes + "]");
        mask = stripes - 1;
        byLabels = new HashMap[stripes];
        locks = new Object[stripes];
        for (int i = 0; i < stripes; i++) {
            byLabels[i] = new HashMap<>();
            locks[i] = new Object();
        }
        pages = new AtomicReferenceArray[16];
    }

    /**
     * The stripe from the high bits of a multiplicative hash. Rejected alternative: the low bits of
     * {@code h ^ h >>> 16}, which are exactly the bits each stripe's {@link HashMap} indexes by, so
     * all of a stripe's series fell into 1/stripes of its buckets and puts degraded into tree bins
     * (HashMap.put was 3% of ingest CPU while 40k series were created).
     */
    private int stripe(Labels l) {
        return (int) ((l.hashCode() * 0x9E3779B97F4A7C15L) >>> 40) & mask; // up to 2^24 stripes
    }

    MemSeries getByRef(long ref) {
        if (ref <= 0) return null;
        long p = ref >>> PAGE_BITS;
        AtomicReferenceArray<MemSeries>[] ps = pages;
        if (p >= ps.length) return null;
        AtomicReferenceArray<MemSeries> page = ps[(int) p];
        return page == null ? null : page.get((int) (ref & (PAGE_SIZE - 1)));
    }

    MemSeries getByLabels(Labels l) {
        int i = stripe(l);
        synchronized (locks[i]) {
            return byLabels[i].get(l);
        }
    }

    /** Creates series for new label sets; {@link Factory#create} runs under the stripe lock. */
    interface Factory {
        MemSeries create(Labels labels);
    }

    /** The series for {@code l}, created by {@code f} when absent; {@code created[0]} says which. */
    MemSeries getOrCreate(Labels l, Factory f, boolean[] created) {
        int i = stripe(l);
        synchronized (locks[i]) {
            MemSeries s = byLabels[i].get(l);
            if (s != null) {
                created[0] = false;
                return s;
            }
            s = f.create(l);
            byLabels[i].put(s.labels, s);
            setRef(s.ref, s);
            created[0] = true;
            return s;
        }
    }

    private void setRef(long ref, MemSeries s) {
        int p = (int) (ref >>> PAGE_BITS);
        AtomicReferenceArray<MemSeries>[] ps = pages;
        if (p >= ps.length || ps[p] == null) {
            synchronized (growLock) {
                ps = pages;
                if (p >= ps.length) ps = Arrays.copyOf(ps, Math.max(p + 1, ps.length * 2));
                else ps = ps.clone();
                if (ps[p] == null) ps[p] = new AtomicReferenceArray<>(PAGE_SIZE);
                pages = ps;
            }
        }
        pages[p].set((int) (ref & (PAGE_SIZE - 1)), s);
    }

    void remove(MemSeries s) {
        int i = stripe(s.labels);
        synchronized (locks[i]) {
            byLabels[i].remove(s.labels, s);
            AtomicReferenceArray<MemSeries> page = pages[(int) (s.ref >>> PAGE_BITS)];
            page.compareAndSet((int) (s.ref & (PAGE_SIZE - 1)), s, null);
        }
    }

    /** Visits every live series (weakly consistent: concurrent additions may be missed). */
    void forEach(Consumer<MemSeries> f) {
        AtomicReferenceArray<MemSeries>[] ps = pages;
        for (AtomicReferenceArray<MemSeries> page : ps) {
            if (page == null) continue;
            for (int j = 0; j < PAGE_SIZE; j++) {
                MemSeries s = page.get(j);
                if (s != null) f.accept(s);
            }
        }
    }
}
