package io.pyrometer.storage;

/** What a {@link SampleIterator} is positioned on. */
public enum ValueType {
    /** Exhausted (or failed: check {@link SampleIterator#err()}). */
    NONE,
    FLOAT,
    HISTOGRAM,
    FLOAT_HISTOGRAM
}
