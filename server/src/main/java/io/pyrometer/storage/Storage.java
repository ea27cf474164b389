package io.pyrometer.storage;

/** A full storage: appendable and queryable. */
public interface Storage extends Appendable, Queryable, AutoCloseable {
    /** The oldest timestamp stored, or {@code Long.MAX_VALUE} when empty. */
    long startTimeMs();

    @Override
    void close();
}
