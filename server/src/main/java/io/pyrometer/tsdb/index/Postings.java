package io.pyrometer.tsdb.index;

import java.util.List;

/**
 * An increasing list of series references, iterated forward (Prometheus's {@code index.Postings}).
 * Contract: call {@link #next()} or {@link #seek(long)} before {@link #at()}; {@code at()} is only
 * valid while the last call returned true. Once exhausted, stays exhausted.
 */
public interface Postings {
    /** Advances to the next reference. */
    boolean next();

    /** Advances to the first reference {@code >= v}; never moves backwards. */
    boolean seek(long v);

    /** The current reference. */
    long at();

    Postings EMPTY = new Postings() {
        public boolean next() { return false; }
        public boolean seek(long v) { return false; }
        public long at() { throw new IllegalStateException("empty postings"); }
    };

    /** References in all of {@code lists} (empty list: nothing). */
    static Postings intersect(List<Postings> lists) {
        return switch (lists.size()) {
            case 0 -> EMPTY;
            case 1 -> lists.getFirst();
            default -> new PostingsOps.Intersect(lists.toArray(Postings[]::new));
        };
    }

    /** References in any of {@code lists}. */
    static Postings merge(List<Postings> lists) {
        return switch (lists.size()) {
            case 0 -> EMPTY;
            case 1 -> lists.getFirst();
            default -> new PostingsOps.Merge(lists.toArray(Postings[]::new));
        };
    }

    /** References of {@code full} not in {@code drop}. */
    static Postings without(Postings full, Postings drop) {
        return drop == EMPTY ? full : new PostingsOps.Without(full, drop);
    }

    /** Postings over a sorted array (first {@code size} entries). */
    static Postings of(long[] sorted, int size) {
        return new PostingsOps.ArrayPostings(sorted, size);
    }

    /** Drains {@code p} into an array (tests, small lists). */
    static long[] toArray(Postings p) {
        long[] a = new long[16];
        int n = 0;
        while (p.next()) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            a[n++] = p.at();
        }
        return java.util.Arrays.copyOf(a, n);
    }
}
