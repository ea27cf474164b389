package io.pyrometer.promql.engine;

import io.pyrometer.model.Labels;
import java.util.Arrays;
import java.util.List;

/**
 * A query result, as the HTTP API's {@code resultType}: {@code scalar}, {@code string},
 * {@code vector} or {@code matrix}.
 */
public sealed interface Value permits Value.Scalar, Value.StringValue, Value.Vector, Value.Matrix {

    /** The API name of this type ({@code "scalar"}, {@code "vector"}, ...). */
    String typeName();

    record Scalar(long t, double v) implements Value {
        @Override
        public String typeName() { return "scalar"; }
    }

    record StringValue(long t, String v) implements Value {
        @Override
        public String typeName() { return "string"; }
    }

    /** One element of an instant vector. */
    record Sample(Labels labels, long t, double v) {}

    record Vector(List<Sample> samples) implements Value {
        @Override
        public String typeName() { return "vector"; }
    }

    /**
     * One series of a range result: parallel arrays of timestamps (ms) and values. Treat the
     * arrays as read-only: series present at every step share one timestamp array.
     */
    record SeriesResult(Labels labels, long[] ts, double[] vs) {
        public int size() { return ts.length; }

        @Override
        public boolean equals(Object o) {
            return o instanceof SeriesResult s && s.labels.equals(labels) && Arrays.equals(s.ts, ts)
                    && Arrays.equals(s.vs, vs);
        }

        @Override
        public int hashCode() { return labels.hashCode() * 31 + Arrays.hashCode(ts); }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(labels.toString()).append(" =>");
            for (int i = 0; i < ts.length; i++) sb.append(' ').append(vs[i]).append(" @").append(ts[i]);
            return sb.toString();
        }
    }

    /** A range vector (also the result of every range query), sorted by labels. */
    record Matrix(List<SeriesResult> series) implements Value {
        @Override
        public String typeName() { return "matrix"; }
    }
}
