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
    private volatile long lowWatermark = 1;

    /**
     * Queriers open longer than this stop holding back the low watermark: a leaked querier must not
     * make every series remember every commit (a querier that old may see newer commits).
     */
    static final long READER_MAX_AGE_NANOS = 120_000_000_000L;

    /** What a querier may see. */
    record State(long maxId, long[] openIds, long acquiredAtNanos) {
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
        return s;
    }

    synchronized void release(State s) {
        for (int i = 0; i < readers.size(); i++) {
            if (readers.get(i) == s) {
                readers.remove(i);
                break;
            }
        }
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
        for (State r : readers) if (now - r.acquiredAtNanos() < READER_MAX_AGE_NANOS) w = Math.min(w, r.firstInvisible());
        lowWatermark = w;
    }

    /** Commits with a smaller id are visible to every open and future querier. */
    long lowWatermark() { return lowWatermark; }
}
