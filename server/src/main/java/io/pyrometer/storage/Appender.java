package io.pyrometer.storage;

import io.pyrometer.model.Labels;

/**
 * Batches samples for one commit. Not thread-safe: one appender per scrape or rule evaluation.
 *
 * <p>Rejections expected per sample (out of order, duplicate, too old) are status codes returned
 * by {@link #append}, never exceptions: see {@link AppendStatus}.
 */
public interface Appender {
    /**
     * Appends one float sample.
     *
     * @param ref a series reference returned earlier by this storage for the same labels, or 0;
     *            a stale ref is tolerated and resolved by {@code labels}
     * @param labels the series' labels; may be null with a ref &gt; 0, and then a ref the storage
     *            no longer knows (the head dropped the series) returns
     *            {@link AppendStatus#INVALID_LABELS}: call again with the labels
     * @return the series reference (&gt; 0) on success, or a negative {@link AppendStatus} code
     */
    long append(long ref, Labels labels, long timestampMs, double value);

    /** Makes everything appended so far visible and durable (as far as the storage promises). */
    void commit();

    /** Discards everything appended since the last commit. */
    void rollback();
}
