package io.pyrometer.tsdb.compact;

import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.ValueType;

/**
 * Merges the sample iterators of one series from several (overlapping) blocks in timestamp order.
 * Duplicate timestamps yield one sample: the one from the earliest iterator in the array (blocks
 * are given oldest first), as Prometheus keeps one of them in vertical compaction.
 */
final class MergingSampleIterator implements SampleIterator {
    private final SampleIterator[] its;
    private final boolean[] live;
    private int cur = -1;
    private boolean started;
    private Throwable err;

    MergingSampleIterator(SampleIterator[] its) {
        this.its = its;
        this.live = new boolean[its.length];
    }

    @Override
    public ValueType next() {
        if (!started) {
            started = true;
            for (int i = 0; i < its.length; i++) live[i] = advance(i);
        } else if (cur >= 0) {
            long t = its[cur].atT();
            for (int i = 0; i < its.length; i++) {
                if (live[i] && its[i].atT() == t) live[i] = advance(i);
            }
        }
        cur = -1;
        for (int i = 0; i < its.length; i++) {
            if (live[i] && (cur < 0 || its[i].atT() < its[cur].atT())) cur = i;
        }
        return cur < 0 ? ValueType.NONE : ValueType.FLOAT;
    }

    private boolean advance(int i) {
        ValueType vt = its[i].next();
        if (vt == ValueType.NONE && its[i].err() != null && err == null) err = its[i].err();
        return vt != ValueType.NONE;
    }

    @Override
    public ValueType seek(long t) {
        ValueType vt = cur >= 0 ? ValueType.FLOAT : ValueType.NONE;
        if (!started || cur < 0 || its[cur].atT() < t) {
            do {
                vt = next();
            } while (vt != ValueType.NONE && its[cur].atT() < t);
        }
        return vt;
    }

    @Override
    public long atT() { return its[cur].atT(); }

    @Override
    public double atV() { return its[cur].atV(); }

    @Override
    public Throwable err() { return err; }
}
