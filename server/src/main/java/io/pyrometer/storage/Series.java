package io.pyrometer.storage;

import io.pyrometer.model.Labels;

/** One series as returned by a {@link Querier}. */
public interface Series {
    Labels labels();

    /**
     * Returns an iterator over the samples, reusing {@code reuse} when it is of a compatible
     * implementation (pass null when there is none). The returned iterator is only valid until
     * the next call that reuses it.
     */
    SampleIterator iterator(SampleIterator reuse);
}
