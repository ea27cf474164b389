package io.pyrometer.tsdb.block;

import java.util.Arrays;

/** Sorted, non-overlapping, inclusive time ranges (Prometheus's {@code tombstones.Intervals}). Immutable. */
public final class Intervals {
    public static final Intervals NONE = new Intervals(new long[0]);

    private final long[] pairs; // mint0, maxt0, mint1, maxt1, ... sorted, merged

    private Intervals(long[] pairs) { this.pairs = pairs; }

    public static Intervals of(long mint, long maxt) {
        return new Intervals(new long[] {mint, maxt});
    }

    public int size() { return pairs.length / 2; }

    public boolean isEmpty() { return pairs.length == 0; }

    public long mint(int i) { return pairs[2 * i]; }

    public long maxt(int i) { return pairs[2 * i + 1]; }

    /** Both sets of ranges, overlapping or adjacent ones merged. */
    public Intervals union(Intervals o) {
        if (o.isEmpty()) return this;
        if (isEmpty()) return o;
        long[] all = new long[pairs.length + o.pairs.length];
        int n = 0;
        int i = 0, j = 0;
        while (i < pairs.length || j < o.pairs.length) {
            long[] src;
            int k;
            if (j >= o.pairs.length || (i < pairs.length && pairs[i] <= o.pairs[j])) {
                src = pairs;
                k = i;
                i += 2;
            } else {
                src = o.pairs;
                k = j;
                j += 2;
            }
            long mint = src[k], maxt = src[k + 1];
            if (n > 0 && (all[n - 1] == Long.MAX_VALUE || mint <= all[n - 1] + 1)) {
                all[n - 1] = Math.max(all[n - 1], maxt); // overlapping or adjacent
            } else {
                all[n++] = mint;
                all[n++] = maxt;
            }
        }
        return new Intervals(Arrays.copyOf(all, n));
    }

    public Intervals add(long mint, long maxt) {
        return union(of(mint, maxt));
    }

    /** Whether {@code t} falls in a range. */
    public boolean contains(long t) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (t < pairs[i]) return false;
            if (t <= pairs[i + 1]) return true;
        }
        return false;
    }

    /** Whether one range covers all of {@code [mint, maxt]}. */
    public boolean covers(long mint, long maxt) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i] <= mint && maxt <= pairs[i + 1]) return true;
        }
        return false;
    }

    /** Whether any range intersects {@code [mint, maxt]}. */
    public boolean overlaps(long mint, long maxt) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i] <= maxt && mint <= pairs[i + 1]) return true;
        }
        return false;
    }

    /** Index of the first range ending at or after {@code t}, for forward scans. */
    public int firstEndingAtOrAfter(long t) {
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i + 1] >= t) return i / 2;
        return size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Intervals x && Arrays.equals(pairs, x.pairs);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(pairs); }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < pairs.length; i += 2) b.append(i > 0 ? " " : "").append('[').append(pairs[i]).append(',').append(pairs[i + 1]).append(']');
        return b.append(']').toString();
    }
}
