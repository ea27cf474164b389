package io.pyrometer.storage;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A simple heap-backed {@link Storage} for tests and for tools that need a scratch store. No
 * persistence, no compression: the TSDB replaces it in the server.
 */
public final class MemStorage implements Storage {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // guarded by lock
    private final Map<Labels, MemSeries> byLabels = new HashMap<>();
    private final List<MemSeries> byRef = new ArrayList<>();
    /**
     * Next ref an appender hands out for a series it creates at commit: above the real refs
     * (1..numSeries) and never reused, so a caller keeping one gets INVALID_LABELS, not another series.
     */
    private final java.util.concurrent.atomic.AtomicLong nextPendingRef = new java.util.concurrent.atomic.AtomicLong(1L << 40);

    private static final class MemSeries {
        final Labels labels;
        final long ref;
        long[] ts = new long[16];
        double[] vs = new double[16];
        int n;

        MemSeries(Labels labels, long ref) {
            this.labels = labels;
            this.ref = ref;
        }

        long append(long t, double v) {
            if (n > 0) {
                long last = ts[n - 1];
                if (t < last) return AppendStatus.OUT_OF_ORDER;
                if (t == last) {
                    if (Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(vs[n - 1])) return ref;
                    return AppendStatus.DUPLICATE_SAMPLE;
                }
            }
            if (n == ts.length) {
                ts = Arrays.copyOf(ts, n * 2);
                vs = Arrays.copyOf(vs, n * 2);
            }
            ts[n] = t;
            vs[n] = v;
            n++;
            return ref;
        }
    }

    @Override
    public Appender appender() {
        return new Appender() {
            private final List<Object[]> pending = new ArrayList<>();
            // Refs handed out for series this appender creates at commit; unknown after it.
            private final Map<Labels, Long> pendingRefs = new HashMap<>();
            private final Map<Long, Labels> pendingLabels = new HashMap<>();

            @Override
            public long append(long ref, Labels labels, long timestampMs, double value) {
                if (labels == null) labels = labelsOf(ref);
                if (labels == null || labels.isEmpty()) return AppendStatus.INVALID_LABELS;
                pending.add(new Object[] {labels, timestampMs, value});
                MemSeries s;
                lock.readLock().lock();
                try {
                    s = byLabels.get(labels);
                } finally {
                    lock.readLock().unlock();
                }
                if (s != null && s.n > 0) {
                    long last = s.ts[s.n - 1];
                    if (timestampMs < last) {
                        pending.removeLast();
                        return AppendStatus.OUT_OF_ORDER;
                    }
                }
                return s == null ? pendingRef(labels) : s.ref;
            }

            private Labels labelsOf(long ref) {
                Labels l = pendingLabels.get(ref);
                if (l != null) return l;
                lock.readLock().lock();
                try {
                    return ref > 0 && ref <= byRef.size() ? byRef.get((int) (ref - 1)).labels : null;
                } finally {
                    lock.readLock().unlock();
                }
            }

            private long pendingRef(Labels labels) {
                Long r = pendingRefs.get(labels);
                if (r != null) return r;
                long ref = nextPendingRef.getAndIncrement();
                pendingRefs.put(labels, ref);
                pendingLabels.put(ref, labels);
                return ref;
            }

            @Override
            public void commit() {
                lock.writeLock().lock();
                try {
                    for (Object[] p : pending) {
                        Labels l = (Labels) p[0];
                        MemSeries s = byLabels.get(l);
                        if (s == null) {
                            s = new MemSeries(l, byRef.size() + 1);
                            byLabels.put(l, s);
                            byRef.add(s);
                        }
                        s.append((Long) p[1], (Double) p[2]);
                    }
                } finally {
                    lock.writeLock().unlock();
                    pending.clear();
                    pendingRefs.clear();
                    pendingLabels.clear();
                }
            }

            @Override
            public void rollback() {
                pending.clear();
                pendingRefs.clear();
                pendingLabels.clear();
            }
        };
    }

    /** Number of series stored. */
    public int numSeries() {
        lock.readLock().lock();
        try {
            return byRef.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long startTimeMs() {
        lock.readLock().lock();
        try {
            long min = Long.MAX_VALUE;
            for (MemSeries s : byRef) if (s.n > 0) min = Math.min(min, s.ts[0]);
            return min;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Querier querier(long minTimeMs, long maxTimeMs) {
        return new Querier() {
            @Override
            public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
                List<Series> out = new ArrayList<>();
                long mint = minTimeMs, maxt = maxTimeMs;
                if (hints != null) { // a query's one querier serves every selector, each with its range
                    mint = Math.max(mint, hints.startMs());
                    maxt = Math.min(maxt, hints.endMs());
                }
                lock.readLock().lock();
                try {
                    for (MemSeries s : byRef) {
                        if (!matchesAll(s.labels, matchers)) continue;
                        int from = lowerBound(s.ts, s.n, mint);
                        int to = lowerBound(s.ts, s.n, maxt == Long.MAX_VALUE ? Long.MAX_VALUE : maxt + 1);
                        if (from >= to) continue;
                        // No copy: samples below n are never rewritten (appends only add after n, and
                        // growing replaces the arrays), and the read lock orders their writes before us.
                        out.add(new SliceSeries(s.labels, s.ts, s.vs, from, to));
                    }
                } finally {
                    lock.readLock().unlock();
                }
                if (sortSeries) out.sort((a, b) -> a.labels().compareTo(b.labels()));
                return ArraySeries.setOf(out);
            }

            @Override
            public List<String> labelValues(String name, List<LabelMatcher> matchers) {
                TreeSet<String> vals = new TreeSet<>();
                lock.readLock().lock();
                try {
                    for (MemSeries s : byRef) {
                        String v = s.labels.get(name);
                        if (!v.isEmpty() && matchesAll(s.labels, matchers)) vals.add(v);
                    }
                } finally {
                    lock.readLock().unlock();
                }
                return new ArrayList<>(vals);
            }

            @Override
            public List<String> labelNames(List<LabelMatcher> matchers) {
                TreeSet<String> names = new TreeSet<>();
                lock.readLock().lock();
                try {
                    for (MemSeries s : byRef) if (matchesAll(s.labels, matchers)) names.addAll(s.labels.names());
                } finally {
                    lock.readLock().unlock();
                }
                return new ArrayList<>(names);
            }

            @Override
            public void close() {}
        };
    }

    /** Samples {@code [from, to)} of a series' arrays, shared with the store (read-only). */
    private record SliceSeries(Labels labels, long[] ts, double[] vs, int from, int to) implements Series {
        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            SliceIterator it = reuse instanceof SliceIterator a ? a : new SliceIterator();
            it.ts = ts;
            it.vs = vs;
            it.i = from - 1;
            it.from = from;
            it.to = to;
            return it;
        }
    }

    /** Iterates a slice of shared arrays; reusable. */
    private static final class SliceIterator implements SampleIterator {
        private long[] ts;
        private double[] vs;
        private int i, from, to;

        @Override
        public ValueType next() {
            if (i + 1 >= to) {
                i = to;
                return ValueType.NONE;
            }
            i++;
            return ValueType.FLOAT;
        }

        @Override
        public ValueType seek(long t) {
            if (i < from) i = from;
            if (i >= to) return ValueType.NONE;
            if (ts[i] < t) i = lowerBound(ts, i, to, t);
            return i < to ? ValueType.FLOAT : ValueType.NONE;
        }

        @Override
        public long atT() { return ts[i]; }

        @Override
        public double atV() { return vs[i]; }
    }

    static boolean matchesAll(Labels l, List<LabelMatcher> matchers) {
        for (LabelMatcher m : matchers) if (!m.matches(l.get(m.name()))) return false;
        return true;
    }

    private static int lowerBound(long[] a, int n, long key) {
        return lowerBound(a, 0, n, key);
    }

    /** First index in {@code [lo, hi)} whose value is {@code >= key}, or {@code hi}. */
    private static int lowerBound(long[] a, int lo, int hi, long key) {
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    @Override
    public void close() {}
}
