package io.pyrometer.storage;

import java.util.List;

/** A forward-only cursor over series. */
public interface SeriesSet {
    boolean next();

    /** The current series; valid after {@link #next()} returned true. */
    Series at();

    /** The error that ended the set early, or null. */
    default Throwable err() { return null; }

    /** Non-fatal warnings collected while producing the set. */
    default List<String> warnings() { return List.of(); }

    SeriesSet EMPTY = new SeriesSet() {
        public boolean next() { return false; }
        public Series at() { throw new IllegalStateException("empty series set"); }
    };
}
