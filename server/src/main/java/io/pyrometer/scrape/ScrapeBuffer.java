package io.pyrometer.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** A growable byte buffer a scrape loop reuses for every response body, and the loop's connection. */
final class ScrapeBuffer {
    byte[] buf = new byte[64 * 1024];
    int length;
    /** The loop's kept-alive connection to a plain http target; null until the first scrape. */
    private PlainHttpConnection connection;

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
        length = 0;
        while (true) {
            if (length == buf.length) {
                if (limit > 0 && length > limit) return false;
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = in.read(buf, length, buf.length - length);
            if (n < 0) return limit <= 0 || length <= limit;
            length += n;
            if (limit > 0 && length > limit) return false;
        }
    }

    /** Shrinks a buffer that a one-off huge response grew, so idle targets do not pin memory. */
    void trim(int typical) {
        if (buf.length > 4L * Math.max(typical, 64 * 1024)) buf = new byte[Math.max(typical * 2, 64 * 1024)];
    }
}
