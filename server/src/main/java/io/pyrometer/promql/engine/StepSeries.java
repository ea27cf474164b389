package io.pyrometer.promql.engine;

import io.pyrometer.model.Labels;
import java.util.Arrays;

/**
 * One series of an instant vector evaluated over every step of a query: a value per step plus a
 * presence bit per step (absence cannot be a NaN: NaN is a legal sample value). Evaluating whole
 * columns at once lets binary operators and aggregations match labels once per series instead of
 * once per step.
 */
final class StepSeries {
    Labels labels;
    /** Delayed {@code __name__} removal (Prometheus 3): drop the name when the query result is built. */
    boolean dropName;
    final double[] v;
    private final long[] present;

    StepSeries(Labels labels, int steps) {
        this.labels = labels;
        this.v = new double[steps];
        this.present = new long[(steps + 63) >>> 6];
    }

    int steps() { return v.length; }

    boolean has(int i) { return (present[i >>> 6] & (1L << i)) != 0; }

    void set(int i, double value) {
        v[i] = value;
        present[i >>> 6] |= 1L << i;
    }

    void clear(int i) { present[i >>> 6] &= ~(1L << i); }

    boolean isEmpty() {
        for (long w : present) if (w != 0) return false;
        return true;
    }

    int count() {
        int c = 0;
        for (long w : present) c += Long.bitCount(w);
        return c;
    }

    /** A copy with the same values and presence, to be mutated independently. */
    StepSeries copy() {
        StepSeries s = new StepSeries(labels, v.length);
        System.arraycopy(v, 0, s.v, 0, v.length);
        System.arraycopy(present, 0, s.present, 0, present.length);
        s.dropName = dropName;
        return s;
    }

    /** A series with the same presence and labels but fresh values (filled by the caller). */
    StepSeries sameShape() {
        StepSeries s = new StepSeries(labels, v.length);
        System.arraycopy(present, 0, s.present, 0, present.length);
        s.dropName = dropName;
        return s;
    }

    boolean overlaps(StepSeries o) {
        for (int i = 0; i < present.length; i++) if ((present[i] & o.present[i]) != 0) return true;
        return false;
    }

    /** Moves the points of {@code o} into this series (they must not overlap). */
    void mergeFrom(StepSeries o) {
        for (int i = 0; i < v.length; i++) if (o.has(i)) set(i, o.v[i]);
    }

    @Override
    public String toString() {
        return labels + " " + Arrays.toString(v);
    }
}
