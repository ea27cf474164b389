package io.pyrometer.model;

/** Sample value conventions shared by every layer. */
public final class Values {
    private Values() {}

    /** Raw bits of Prometheus's staleness marker, a NaN no arithmetic produces. */
    public static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    /** The staleness marker value. Compare with {@link #isStaleNaN}, never with {@code ==}. */
    public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

    public static boolean isStaleNaN(double v) {
        return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
    }
}
