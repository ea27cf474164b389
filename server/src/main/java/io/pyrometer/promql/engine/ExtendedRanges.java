package io.pyrometer.promql.engine;

/**
 * The experimental {@code anchored} and {@code smoothed} range modifiers (Prometheus's
 * {@code extendedRate}, {@code pickFirstSampleIndex}, and smoothed instant selectors). The window
 * slice handed in also holds the samples of the lookback delta before the range (and after it,
 * for {@code smoothed}); the range boundaries take the value of the last sample before them
 * ({@code anchored}) or a linear interpolation across them ({@code smoothed}).
 */
final class ExtendedRanges {
    private ExtendedRanges() {}

    /** Go's {@code sort.Search(n, t[lo+i] > key)} over the first {@code n} samples of the slice. */
    private static int searchAfter(RangeFunctions.Window w, int n, long key) {
        int i = 0, j = n;
        while (i < j) {
            int h = (i + j) >>> 1;
            if (!(w.ts[w.lo + h] > key)) i = h + 1;
            else j = h;
        }
        return i;
    }

    private static int searchAtOrAfter(RangeFunctions.Window w, int n, long key) {
        int i = 0, j = n;
        while (i < j) {
            int h = (i + j) >>> 1;
            if (!(w.ts[w.lo + h] >= key)) i = h + 1;
            else j = h;
        }
        return i;
    }

    static double interpolate(long t1, double y1, long t2, double y2, long t, boolean isCounter) {
        if (isCounter && y2 < y1) y1 = 0;
        return y1 + (y2 - y1) * (double) (t - t1) / (double) (t2 - t1);
    }

    /** rate/increase/delta over an anchored or smoothed range (Prometheus's extendedRate). */
    static double rate(RangeFunctions.Window w, boolean isCounter, boolean isRate) {
        int n = w.size();
        if (n == 0) return RangeFunctions.NONE;
        int last = n - 1;
        int first = Math.max(0, searchAfter(w, last, w.rangeStart) - 1);
        if (w.smoothed) last = searchAtOrAfter(w, last, w.rangeEnd);
        long[] ts = w.ts;
        double[] vs = w.vs;
        int o = w.lo;
        // Nothing inside the range: all samples before it, or (smoothed) all after it.
        if (ts[o + last] <= w.rangeStart || ts[o + first] > w.rangeEnd) return RangeFunctions.NONE;
        double left = w.smoothed && ts[o + first] < w.rangeStart
                ? interpolate(ts[o + first], vs[o + first], ts[o + first + 1], vs[o + first + 1], w.rangeStart, isCounter)
                : vs[o + first];
        double right = w.smoothed && last > 0 && ts[o + last] > w.rangeEnd
                ? interpolate(ts[o + last - 1], vs[o + last - 1], ts[o + last], vs[o + last], w.rangeEnd, isCounter)
                : vs[o + last];
        double result = right - left;
        if (isCounter) {
            if (ts[o + first] <= w.rangeStart) first++;
            if (ts[o + last] >= w.rangeEnd) last--;
            double correction = 0, prev = left;
            for (int i = first; i <= last; i++) {
                if (vs[o + i] < prev) correction += prev;
                prev = vs[o + i];
            }
            if (right < prev) correction += prev;
            result += correction;
        }
        if (isRate) result /= w.rangeMs / 1000.0;
        return result;
    }

    /**
     * Index (into the arrays) of the sample {@code changes}/{@code resets} start from with
     * {@code anchored}: the last one at or before the range start; -1 when no sample is in range.
     */
    static int firstAnchored(RangeFunctions.Window w) {
        int n = w.size();
        if (n == 0 || w.ts[w.hi - 1] <= w.rangeStart) return -1;
        return w.lo + Math.max(0, searchAfter(w, n - 1, w.rangeStart) - 1);
    }
}
