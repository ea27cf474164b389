package io.pyrometer.tsdb.head;

import java.util.Arrays;

/**
 * Makes each commit visible all at once: a commit takes an append id before touching any series
 * and releases it when every sample is in; a query sees a commit only if its id was released
 * when the query started. A simplified form of Prometheus's {@code isolation.go}: each series
 * remembers only the last commit that touched it and where it ended before (see
 * {@link MemSeries#snapshot}), which is exact when a series gets samples from one appender at a
 * time, the case for scrapes and rules.
 */
final class Isolation {
    private long nextId = 1;             // guarded by this
    private long[] open = new long[16];  // guarded by this; ids of commits in progress
    private int openCount;               // guarded by this

    /** What a query may see. */
    record State(long maxId, long[] openIds) {
        boolean visible(long appendId) {
            if (appendId == 0) return true;
            if (appendId > maxId) return false;
            for (long o : openIds) if (o == appendId) return false;
            return true;
        }
    }

    synchronized long begin() {
        long id = nextId++;
        if (openCount == open.length) open = Arrays.copyOf(open, openCount * 2);
        open[openCount++] = id;
        return id;
    }

    synchronized void end(long id) {
        for (int i = 0; i < openCount; i++) {
            if (open[i] == id) {
                open[i] = open[--openCount];
                return;
            }
        }
    }

    synchronized State state() {
        return new State(nextId - 1, Arrays.copyOf(open, openCount));
    }
}
