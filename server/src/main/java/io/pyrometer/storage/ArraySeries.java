package io.pyrometer.storage;

import io.pyrometer.model.Labels;
import java.util.List;

/** A series backed by parallel timestamp/value arrays (sorted by timestamp). Handy for tests. */
public record ArraySeries(Labels labels, long[] timestampsMs, double[] values) implements Series {

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
        ArrayIterator it = reuse instanceof ArrayIterator a ? a : new ArrayIterator();
        it.reset(timestampsMs, values);
        return it;
    }

    /** Wraps a list as a {@link SeriesSet}. */
    public static SeriesSet setOf(List<? extends Series> list) {
        return new SeriesSet() {
            int i = -1;

            public boolean next() { return ++i < list.size(); }

            public Series at() { return list.get(i); }
        };
    }

    /** Iterator over arrays; reusable via {@link #reset}. */
    public static final class ArrayIterator implements SampleIterator {
        private long[] ts;
        private double[] vs;
        private int i;

        public void reset(long[] ts, double[] vs) {
            this.ts = ts;
            this.vs = vs;
            this.i = -1;
        }

        public ValueType next() {
            if (i + 1 >= ts.length) {
                i = ts.length;
                return ValueType.NONE;
            }
            i++;
            return ValueType.FLOAT;
        }

        public ValueType seek(long t) {
            if (i < 0) i = 0;
            while (i < ts.length && ts[i] < t) i++;
            return i < ts.length ? ValueType.FLOAT : ValueType.NONE;
        }

        public long atT() { return ts[i]; }

        public double atV() { return vs[i]; }
    }
}
