package io.pyrometer.storage;

/**
 * Iterates the samples of one series in increasing timestamp order.
 *
 * <p>Contract: call {@link #next()} or {@link #seek(long)} before {@link #atT()}/{@link #atV()};
 * those two are only valid while the last call returned something other than {@link ValueType#NONE}.
 */
public interface SampleIterator {
    /** Advances to the next sample. */
    ValueType next();

    /**
     * Advances to the first sample with timestamp {@code >= timestampMs}; never moves backwards
     * (if already positioned at or after it, stays).
     */
    ValueType seek(long timestampMs);

    long atT();

    double atV();

    /** The error that ended iteration early, or null. */
    default Throwable err() { return null; }

    SampleIterator EMPTY = new SampleIterator() {
        public ValueType next() { return ValueType.NONE; }
        public ValueType seek(long t) { return ValueType.NONE; }
        public long atT() { throw new IllegalStateException("empty iterator"); }
        public double atV() { throw new IllegalStateException("empty iterator"); }
    };
}
