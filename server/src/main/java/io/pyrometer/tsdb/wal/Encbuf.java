package io.pyrometer.tsdb.wal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with Prometheus's encoding helpers (big-endian fixed ints, Go varints).
 * Reused across records: {@link #reset()} keeps the array. Not thread-safe.
 */
public final class Encbuf {
    private byte[] b;
    private int len;

    public Encbuf(int capacity) { b = new byte[Math.max(16, capacity)]; }

    public Encbuf reset() {
        len = 0;
        return this;
    }

    public byte[] array() { return b; }

    /** Empties the buffer and drops an array larger than {@code capacity} for one of that size. */
    public Encbuf shrink(int capacity) {
        len = 0;
        if (b.length > capacity) b = new byte[Math.max(16, capacity)];
        return this;
    }

    public int len() { return len; }

    private void ensure(int n) {
        if (len + n > b.length) b = Arrays.copyOf(b, Math.max(b.length * 2, len + n));
    }

    public void putByte(int v) {
        ensure(1);
        b[len++] = (byte) v;
    }

    public void putBE32(int v) {
        ensure(4);
        b[len++] = (byte) (v >>> 24);
        b[len++] = (byte) (v >>> 16);
        b[len++] = (byte) (v >>> 8);
        b[len++] = (byte) v;
    }

    public void putBE64(long v) {
        ensure(8);
        for (int s = 56; s >= 0; s -= 8) b[len++] = (byte) (v >>> s);
    }

    /** Go's {@code binary.PutUvarint}. */
    public void putUvarint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            b[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[len++] = (byte) v;
    }

    /** Go's {@code binary.PutVarint}: zig-zag then uvarint. */
    public void putVarint(long v) { putUvarint((v << 1) ^ (v >> 63)); }

    public void putUvarintStr(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        putUvarint(bytes.length);
        putBytes(bytes, 0, bytes.length);
    }

    public void putBytes(byte[] src, int off, int n) {
        ensure(n);
        System.arraycopy(src, off, b, len, n);
        len += n;
    }
}
