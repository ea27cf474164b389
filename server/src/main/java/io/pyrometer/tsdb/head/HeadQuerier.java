package io.pyrometer.tsdb.head;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.Series;
import io.pyrometer.storage.SeriesSet;
import java.util.Arrays;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads the head over {@code [mint, maxt]}. The isolation state is taken when the querier is
 * created: commits still in progress then stay invisible to it (unless made without isolation,
 * for head compaction).
 */
final class HeadQuerier implements Querier {
    private final Head head;
    private final long mint;
    private final long maxt;
    private final Isolation.State iso;
    private boolean closed;

    HeadQuerier(Head head, long mint, long maxt, boolean isolation) {
        this.head = head;
        this.mint = mint;
        this.maxt = maxt;
        this.iso = isolation ? head.isolation.acquire() : null;
    }

    @Override
    public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
        if (head.maxTime() < mint || head.minTime() > maxt) return SeriesSet.EMPTY;
        RoaringBitmap refs = head.postings.select(matchers);
        MemSeries[] found = new MemSeries[refs.getCardinality()];
        int n = 0;
        for (int ref : refs) {
            MemSeries s = head.series.getByRef(ref);
            if (s != null) found[n++] = s;
        }
        if (sortSeries) Arrays.sort(found, 0, n, (a, b) -> a.labels.compareTo(b.labels)); // UTF-8 byte order, as blocks
        int count = n;
        boolean anyStones = head.hasTombstones(); // a delete after this point is not seen, as a later one would not be
        return new SeriesSet() {
            int i = -1;
            Series cur;

            @Override
            public boolean next() {
                while (++i < count) {
                    MemSeries s = found[i];
                    found[i] = null;
                    cur = s.snapshot(mint, maxt, iso, anyStones ? head.tombstones(s.ref) : null, head.chunkFiles, head.arena);
                    if (cur != null) return true;
                }
                cur = null;
                return false;
            }

            @Override
            public Series at() { return cur; }
        };
    }

    @Override
    public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        return head.postings.labelValues(name, matchers.isEmpty() ? null : head.postings.select(matchers));
    }

    @Override
    public List<String> labelNames(List<LabelMatcher> matchers) {
        return head.postings.labelNames(matchers.isEmpty() ? null : head.postings.select(matchers));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (iso != null) head.isolation.release(iso);
        }
    }
}
