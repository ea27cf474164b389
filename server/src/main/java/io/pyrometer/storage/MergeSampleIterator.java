package io.pyrometer.storage;

/**
 * Merges sample iterators over the same series into one in timestamp order. Where several hold a
 * sample with the same timestamp, the first iterator (in the order given) wins and the others'
 * samples are skipped: overlapping blocks, head and out-of-order data are deduplicated this way,
 * as Prometheus's chained series iterator does. Reusable via {@link #reset}.
 */
public final class MergeSampleIterator implements SampleIterator {
    private SampleIterator[] its = new SampleIterator[0];
    private long[] ts = new long[0];
    private boolean[] live = new boolean[0];
    private int n;
    private int cur = -1;
    private boolean started;

    public MergeSampleIterator reset(SampleIterator... iterators) {
        n = iterators.length;
        if (its.length < n) {
            its = new SampleIterator[n];
            ts = new long[n];
            live = new boolean[n];
        }
        System.arraycopy(iterators, 0, its, 0, n);
        cur = -1;
        started = false;
        return this;
    }

    private void advance(int i) {
        live[i] = its[i].next() != ValueType.NONE;
        if (live[i]) ts[i] = its[i].atT();
    }

    @Override
    public ValueType next() {
        if (!started) {
            for (int i = 0; i < n; i++) advance(i);
            started = true;
        } else if (cur >= 0) {
            long t = ts[cur];
            for (int i = 0; i < n; i++) if (live[i] && ts[i] == t) advance(i);
        } else {
            return ValueType.NONE;
        }
        return pick();
    }

    @Override
    public ValueType seek(long t) {
        if (started && cur >= 0 && ts[cur] >= t) return ValueType.FLOAT;
        if (started && cur < 0) return ValueType.NONE;
        for (int i = 0; i < n; i++) {
            if (!started || (live[i] && ts[i] < t)) {
                live[i] = its[i].seek(t) != ValueType.NONE;
                if (live[i]) ts[i] = its[i].atT();
            }
        }
        started = true;
        return pick();
    }

    private ValueType pick() {
        cur = -1;
        for (int i = 0; i < n; i++) if (live[i] && (cur < 0 || ts[i] < ts[cur])) cur = i;
        return cur < 0 ? ValueType.NONE : ValueType.FLOAT;
    }

    @Override
    public long atT() { return ts[cur]; }

    @Override
    public double atV() { return its[cur].atV(); }

    @Override
    public Throwable err() {
        for (int i = 0; i < n; i++) if (its[i].err() != null) return its[i].err();
        return null;
    }
}
