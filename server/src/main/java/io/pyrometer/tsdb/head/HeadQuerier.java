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
 * Reads the head over {@code [mint, maxt]}, each select narrowed to its hints' range. The
 * isolation state is taken when the querier is created: commits still in progress then stay
 * invisible to it (unless made without isolation, for head compaction). Should the head stop
 * keeping commits apart for it ({@link Isolation.State#partial()}), its series sets carry the
 * {@link #PARTIAL_COMMITS} warning.
 */
final class HeadQuerier implements Querier {
    /**
     * The warning of a querier that may have seen part of a commit: it stayed open so long (or
     * across so many commits) that the head stopped keeping commits apart for it.
     */
    static final String PARTIAL_COMMITS = "query may have seen part of the samples of a commit made while it ran: it was open longer "
            + "than the head keeps commits apart for a reader (" + Isolation.READER_MAX_AGE_NANOS / 1_000_000_000L + "s or "
            + MemSeries.MAX_TX + " commits to one series); run it again or shorten its range";
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
        // a query opens one querier for all its selectors; each reads only its own range
        long from = mint, to = maxt;
        if (hints != null) {
            from = Math.max(from, hints.startMs());
            to = Math.min(to, hints.endMs());
        }
        if (from > to || head.maxTime() < from || head.minTime() > to) return SeriesSet.EMPTY;
        RoaringBitmap refs = head.postings.select(matchers);
        MemSeries[] found = new MemSeries[refs.getCardinality()];
        int n = 0;
        for (int ref : refs) {
            MemSeries s = head.series.getByRef(ref);
            if (s != null) found[n++] = s;
        }
        if (sortSeries) Arrays.sort(found, 0, n, (a, b) -> a.labels.compareTo(b.labels)); // UTF-8 byte order, as blocks
        int count = n;
        long lo = from, hi = to;
        boolean anyStones = head.hasTombstones(); // a delete after this point is not seen, as a later one would not be
        return new SeriesSet() {
            int i = -1;
            Series cur;

            @Override
            public boolean next() {
                while (++i < count) {
                    MemSeries s = found[i];
                    found[i] = null;
                    cur = s.snapshot(lo, hi, iso, anyStones ? head.tombstones(s.ref) : null, head.chunkFiles, head.arena);
                    if (cur != null) return true;
                }
                cur = null;
                return false;
            }

            @Override
            public Series at() { return cur; }

            @Override
            public List<String> warnings() {
                return iso != null && iso.partial() ? List.of(PARTIAL_COMMITS) : List.of();
            }
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
