package io.pyrometer.storage;

/** Negative codes {@link Appender#append} returns instead of a series reference. */
public final class AppendStatus {
    private AppendStatus() {}

    public static final long OUT_OF_ORDER = -1;
    public static final long DUPLICATE_SAMPLE = -2; // same timestamp, different value
    public static final long TOO_OLD = -3;          // before the head's minimum valid time
    public static final long OUT_OF_BOUNDS = -4;
    public static final long INVALID_LABELS = -5;   // empty name, duplicate name, no __name__ where required
    public static final long STORAGE_FULL = -6;     // disk full or write failure: the sample was not stored

    public static boolean isError(long status) { return status < 0; }

    /** Prometheus's wording for the status, as shown in logs and scrape errors. */
    public static String describe(long status) {
        if (status == OUT_OF_ORDER) return "out of order sample";
        if (status == DUPLICATE_SAMPLE) return "duplicate sample for timestamp";
        if (status == TOO_OLD) return "too old sample";
        if (status == OUT_OF_BOUNDS) return "out of bounds";
        if (status == INVALID_LABELS) return "invalid labels";
        if (status == STORAGE_FULL) return "storage write failed";
        return status >= 0 ? "ok" : "unknown append status " + status;
    }
}
