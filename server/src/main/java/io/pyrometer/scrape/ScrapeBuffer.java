package io.pyrometer.scrape;

import java.io.IOException;
import java.io.InputStream;

/**
 * The response body of one scrape, and the loop's connection.
 *
 * <p>The body array is borrowed from {@link #POOL} when a scrape starts reading and given back by
 * {@link #release()} once the samples are appended: a target's body is needed only while its
 * scrape runs, and scrapes are spread over the interval, so a few arrays serve every target (with
 * 20 targets of 200 KiB each, one array per target pinned 5 MiB of heap for nothing).
 */
final class ScrapeBuffer {
    static final BodyPool POOL = new BodyPool(BodyPool.DEFAULT_PER_CLASS);

    /** The body; valid between {@link #readFrom} and {@link #release()}. */
    byte[] buf = EMPTY;
    int length;
    /** Length of this target's last body: the size to borrow next time. */
    private int lastLength;
    /** The loop's kept-alive connection to a plain http target; null until the first scrape. */
    private PlainHttpConnection connection;

    private static final byte[] EMPTY = new byte[0];

    PlainHttpConnection connection() {
        if (connection == null) connection = new PlainHttpConnection();
        return connection;
    }

    /** Closes the kept-alive connection (the loop stopped). */
    void closeConnection() {
        if (connection != null) connection.close();
    }

    /**
     * Reads {@code in} fully. Returns false (and stops reading) when more than {@code limit} bytes
     * arrive; {@code limit <= 0} means unlimited.
     */
    boolean readFrom(InputStream in, long limit) throws IOException {
        if (buf.length == 0) buf = POOL.borrow(lastLength + lastLength / 8);
        length = 0;
        while (true) {
            if (length == buf.length) {
                if (limit > 0 && length > limit) return false;
                byte[] bigger = POOL.borrow(buf.length * 2);
                System.arraycopy(buf, 0, bigger, 0, length);
                POOL.give(buf);
                buf = bigger;
            }
            int n = in.read(buf, length, buf.length - length);
            if (n < 0) return limit <= 0 || length <= limit;
            length += n;
            if (limit > 0 && length > limit) return false;
        }
    }

    /** Gives the body array back to the pool; the scrape is done with it. */
    void release() {
        if (buf.length != 0) {
            lastLength = length;
            POOL.give(buf);
            buf = EMPTY;
        }
        length = 0;
    }

    /**
     * Body arrays by power-of-two size class (64 KiB and up), at most {@code perClass} idle arrays
     * kept per class; an array given back to a full class is left to the collector. Thread-safe.
     */
    static final class BodyPool {
        static final int MIN_SHIFT = 16;
        static final int CLASSES = 31 - MIN_SHIFT; // up to 1 GiB
        static final int DEFAULT_PER_CLASS = Math.max(2, Runtime.getRuntime().availableProcessors());

        private final byte[][][] idle = new byte[CLASSES][][];
        private final int[] count = new int[CLASSES];

        BodyPool(int perClass) {
            for (int i = 0; i < CLASSES; i++) idle[i] = new byte[perClass][];
        }

        /** An array of at least {@code size} bytes (at least 64 KiB), from the pool when one is idle. */
        byte[] borrow(int size) {
            int c = sizeClass(size);
            if (c >= CLASSES) return new byte[size];
            synchronized (this) {
                if (count[c] > 0) {
                    byte[] b = idle[c][--count[c]];
                    idle[c][count[c]] = null;
                    return b;
                }
            }
            return new byte[1 << (c + MIN_SHIFT)];
        }

        /** Takes {@code b} back when its class has room. */
        void give(byte[] b) {
            int c = sizeClass(b.length);
            if (c >= CLASSES || b.length != 1 << (c + MIN_SHIFT)) return; // not one of ours
            synchronized (this) {
                if (count[c] < idle[c].length) idle[c][count[c]++] = b;
            }
        }

        /** Idle arrays held, for tests. */
        synchronized int idleCount() {
            int n = 0;
            for (int k : count) n += k;
            return n;
        }

        static int sizeClass(int size) {
            if (size <= 1 << MIN_SHIFT) return 0;
            return 32 - Integer.numberOfLeadingZeros(size - 1) - MIN_SHIFT;
        }
    }
}
