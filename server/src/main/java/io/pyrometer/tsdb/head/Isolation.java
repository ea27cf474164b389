package io.pyrometer.tsdb.head;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes each commit visible all at once, as Prometheus's {@code isolation.go}: a commit takes an
 * append id before touching any series and ends it when every sample is in; a querier sees a
 * commit only if its id had ended when the querier was created. Series remember, for their recent
 * commits, the id and where the series ended before it ({@link MemSeries}); entries older than the
 * {@link #lowWatermark()} (visible to every open and future querier) are dropped.
 *
 * <p>All state is guarded by this object's monitor; {@link #lowWatermark} is published through a
 * volatile so appends read it without locking.
 */
final class Isolation {
    private long nextId = 1;
    private long[] open = new long[16];              // ids of commits in progress
    private int openCount;
    private final List<State> readers = new ArrayList<>();
    private volatile State[] readerArray = new State[0]; // the same readers, for lock-free scans
    private volatile long lowWatermark = 1;
    private final long readerMaxAgeNanos;

    /**
     * Queriers open longer than this stop holding back the low watermark: a leaked querier must not
     * make every series remember every commit. Such a querier may see newer commits in some series
     * and not in others; it is marked {@link State#partial()} and its query gets a warning.
     * Rejected alternative: no age limit (Prometheus's isolation has none), where one stuck reader
     * grows every series' commit list without bound.
     */
    static final long READER_MAX_AGE_NANOS = 120_000_000_000L;

    Isolation() { this(READER_MAX_AGE_NANOS); }

    /** For tests: a shorter age after which queriers stop holding back the low watermark. */
    Isolation(long readerMaxAgeNanos) { this.readerMaxAgeNanos = readerMaxAgeNanos; }

    /** What a querier may see. */
    static final class State {
        private final long maxId;
        private final long[] openIds;
        private final long acquiredAtNanos;
        // set (never cleared) when a commit this reader may not see could have become visible to it
        // in some series: it outlived the reader max age, or a series dropped such a commit from
        // its full list (MemSeries.MAX_TX)
        private volatile boolean partial;

        State(long maxId, long[] openIds, long acquiredAtNanos) {
            this.maxId = maxId;
            this.openIds = openIds;
            this.acquiredAtNanos = acquiredAtNanos;
        }

        long maxId() { return maxId; }

        long acquiredAtNanos() { return acquiredAtNanos; }

        /** Whether this reader may have seen part of a commit it should not see at all. */
        boolean partial() { return partial; }

        boolean visible(long appendId) {
            if (appendId == 0) return true;
            if (appendId > maxId) return false;
            for (long o : openIds) if (o == appendId) return false;
            return true;
        }

        /** The smallest id this reader may not see. */
        long firstInvisible() {
            long m = maxId + 1;
            for (long o : openIds) m = Math.min(m, o);
            return m;
        }
    }

    synchronized long begin() {
        long id = nextId++;
        if (openCount == open.length) open = Arrays.copyOf(open, openCount * 2);
        open[openCount++] = id;
        recompute();
        return id;
    }

    synchronized void end(long id) {
        for (int i = 0; i < openCount; i++) {
            if (open[i] == id) {
                open[i] = open[--openCount];
                break;
            }
        }
        recompute();
    }

    /** Registers a querier's view; pair with {@link #release}. */
    synchronized State acquire() {
        State s = new State(nextId - 1, Arrays.copyOf(open, openCount), System.nanoTime());
        readers.add(s);
        readerArray = readers.toArray(new State[0]);
        return s;
    }

    synchronized void release(State s) {
        for (int i = 0; i < readers.size(); i++) {
            if (readers.get(i) == s) {
                readers.remove(i);
                break;
            }
        }
        readerArray = readers.toArray(new State[0]);
        recompute();
        notifyAll();
    }

    /**
     * Waits until every querier open now has closed, or the timeout passed; returns whether they
     * all closed. Head truncation calls it so a querier never loses data that moved to a block it
     * does not know about.
     */
    synchronized boolean awaitOpenReaders(long timeoutMs) throws InterruptedException {
        List<State> waitFor = new ArrayList<>(readers);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (true) {
            boolean any = false;
            for (State s : waitFor) {
                for (State r : readers) {
                    if (r == s) {
                        any = true;
                        break;
                    }
                }
                if (any) break;
            }
            if (!any) return true;
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) return false;
            wait(left);
        }
    }

    private void recompute() {
        long w = nextId;
        for (int i = 0; i < openCount; i++) w = Math.min(w, open[i]);
        long now = System.nanoTime();
        List<State> expired = null;
        for (State r : readers) {
            if (now - r.acquiredAtNanos() < readerMaxAgeNanos) w = Math.min(w, r.firstInvisible());
            else (expired == null ? expired = new ArrayList<>() : expired).add(r);
        }
        if (expired != null) {
            for (State r : expired) if (r.firstInvisible() < w) r.partial = true; // it no longer holds back what it may not see
        }
        lowWatermark = w;
    }

    /**
     * A series forgot commit {@code appendId} although some querier may not see it (its commit list
     * was full): readers that may not see it could now see it in that series only. Lock-free: runs
     * under the series' monitor on the append path, only once a querier has held back
     * {@link MemSeries#MAX_TX} commits of one series.
     */
    void forcedDrop(long appendId) {
        for (State r : readerArray) if (!r.partial && !r.visible(appendId)) r.partial = true;
    }

    /** Commits with a smaller id are visible to every open and future querier. */
    long lowWatermark() { return lowWatermark; }
}
