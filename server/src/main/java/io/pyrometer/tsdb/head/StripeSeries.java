package io.pyrometer.tsdb.head;

import io.pyrometer.model.Labels;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The head's series registry. By ref: a paged array indexed by the (dense, never reused) ref,
 * read without locks. By labels: {@code stripes} small open-addressing tables, each its own
 * monitor, so two appenders creating series only contend when their label hashes share a stripe;
 * there is no global lock on the append path. As Prometheus's {@code stripeSeries}.
 *
 * <p>A stripe is one object and one array of series (linear probing on the labels' cached hash),
 * not a {@code HashMap}: with 16k stripes the maps, their tables and a node per series cost ~95
 * bytes per series at 40k series; this costs ~30.
 */
final class StripeSeries {
    private static final int PAGE_BITS = 12;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;

    private final int mask;
    private final Stripe[] byLabels; // each guarded by its own monitor
    // directory of pages; replaced (copy-on-grow) under growLock, read lock-free
    private volatile AtomicReferenceArray<MemSeries>[] pages;
    private final Object growLock = new Object();

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic arrays
    StripeSeries(int stripes) {
        if (Integer.bitCount(stripes) != 1) throw new IllegalArgumentException("stripe count must be a power of two [stripes=" + stripes + "]");
        mask = stripes - 1;
        byLabels = new Stripe[stripes];
        for (int i = 0; i < stripes; i++) byLabels[i] = new Stripe();
        pages = new AtomicReferenceArray[16];
    }

    /**
     * One stripe's series by labels: linear probing over a power-of-two array, at most 3/4 full,
     * deletion by backward shift (no tombstones). Guarded by its own monitor.
     */
    static final class Stripe {
        private static final MemSeries[] EMPTY = new MemSeries[0];
        private MemSeries[] table = EMPTY;
        private int size;

        MemSeries get(Labels l) {
            MemSeries[] t = table;
            if (t.length == 0) return null;
            int m = t.length - 1;
            for (int i = spread(l.hashCode()) & m; ; i = (i + 1) & m) {
                MemSeries s = t[i];
                if (s == null) return null;
                if (s.labels.equals(l)) return s;
            }
        }

        /** Adds {@code s}, whose labels are not in the stripe. */
        void add(MemSeries s) {
            if ((size + 1) * 4 > table.length * 3) grow();
            insert(table, s);
            size++;
        }

        /** Removes {@code s} itself (not another series with equal labels). */
        void remove(MemSeries s) {
            MemSeries[] t = table;
            if (t.length == 0) return;
            int m = t.length - 1;
            int i = spread(s.labels.hashCode()) & m;
            while (t[i] != s) {
                if (t[i] == null) return;
                i = (i + 1) & m;
            }
            // backward shift: move later entries of the run into the hole when their home allows it
            for (int j = (i + 1) & m; t[j] != null; j = (j + 1) & m) {
                int home = spread(t[j].labels.hashCode()) & m;
                if (((j - home) & m) >= ((j - i) & m)) {
                    t[i] = t[j];
                    i = j;
                }
            }
            t[i] = null;
            size--;
        }

        int size() { return size; }

        private void grow() {
            MemSeries[] old = table;
            MemSeries[] t = new MemSeries[Math.max(4, old.length * 2)];
            for (MemSeries s : old) if (s != null) insert(t, s);
            table = t;
        }

        private static void insert(MemSeries[] t, MemSeries s) {
            int m = t.length - 1;
            int i = spread(s.labels.hashCode()) & m;
            while (t[i] != null) i = (i + 1) & m;
            t[i] = s;
        }

        /** The low bits index the table; the stripe was chosen from the high bits of another mix. */
        private static int spread(int h) {
            return h ^ (h >>> 16);
        }
    }

    /**
     * The stripe from the high bits of a multiplicative hash. Rejected alternative: the low bits of
     * {@code h ^ h >>> 16}, which are exactly the bits each stripe's table indexes by, so all of a
     * stripe's series fell into 1/stripes of its slots (with HashMap stripes, puts degraded into
     * tree bins and HashMap.put was 3% of ingest CPU while 40k series were created).
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
        Stripe st = byLabels[stripe(l)];
        synchronized (st) {
            return st.get(l);
        }
    }

    /** Creates series for new label sets; {@link Factory#create} runs under the stripe lock. */
    interface Factory {
        MemSeries create(Labels labels);
    }

    /** The series for {@code l}, created by {@code f} when absent; {@code created[0]} says which. */
    MemSeries getOrCreate(Labels l, Factory f, boolean[] created) {
        Stripe st = byLabels[stripe(l)];
        synchronized (st) {
            MemSeries s = st.get(l);
            if (s != null) {
                created[0] = false;
                return s;
            }
            s = f.create(l);
            st.add(s);
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
        Stripe st = byLabels[stripe(s.labels)];
        synchronized (st) {
            st.remove(s);
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
