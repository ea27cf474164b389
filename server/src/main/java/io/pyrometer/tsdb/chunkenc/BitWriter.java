package io.pyrometer.tsdb.chunkenc;

import java.util.Arrays;

/**
 * Appends bits MSB-first into a growable byte array, like Prometheus's {@code bstream}: the last
 * byte holds {@link #freeBits()} unused low bits, which stay zero.
 *
 * <p>Not thread-safe. The array returned by {@link #array()} is the live buffer: valid until the
 * next write that grows it; copy to keep.
 */
public final class BitWriter {
    private byte[] buf;
    private int len;       // bytes in use
    private int freeBits;  // unused low bits of buf[len - 1]; 0 means the next bit starts a new byte

    public BitWriter(int initialCapacity) {
        this.buf = new byte[Math.max(8, initialCapacity)];
    }

    /** Continues writing after {@code length} bytes of {@code bytes}, of which the last has {@code freeBits} unused. */
    public void reset(byte[] bytes, int length, int freeBits) {
        this.buf = bytes;
        this.len = length;
        this.freeBits = freeBits;
    }

    public byte[] array() { return buf; }

    public int length() { return len; }

    public int freeBits() { return freeBits; }

    /** Writes the low {@code nbits} bits of {@code value}, most significant first; {@code 0 <= nbits <= 64}. */
    public void writeBits(long value, int nbits) {
        if (nbits <= 0) return;
        if (len + 9 > buf.length) ensure(9); // the most a 64-bit write can add; one check, not one per byte
        byte[] b = buf;
        int n = len, free = freeBits;
        if (free > 0) { // fill the partial last byte first
            if (nbits <= free) {
                free -= nbits;
                b[n - 1] |= (byte) ((value & ((1L << nbits) - 1)) << free);
                freeBits = free;
                return;
            }
            nbits -= free;
            b[n - 1] |= (byte) ((value >>> nbits) & ((1 << free) - 1));
        }
        while (nbits >= 8) { // whole bytes
            nbits -= 8;
            b[n++] = (byte) (value >>> nbits);
        }
        if (nbits > 0) { // leading bits of a new byte
            b[n++] = (byte) (value << (8 - nbits));
            free = 8 - nbits;
        } else {
            free = 0;
        }
        len = n;
        freeBits = free;
    }

    public void writeBit(boolean bit) {
        writeBits(bit ? 1 : 0, 1);
    }

    /** Writes 8 bits; byte-aligned writes are appended directly. */
    public void writeByte(int b) {
        if (freeBits == 0) {
            ensure(1);
            buf[len++] = (byte) b;
        } else {
            writeBits(b & 0xff, 8);
        }
    }

    /** Go's {@code binary.PutUvarint}, bit-appended. */
    public void writeUvarint(long x) {
        while (Long.compareUnsigned(x, 0x80) >= 0) {
            writeByte((int) (x & 0x7f) | 0x80);
            x >>>= 7;
        }
        writeByte((int) x);
    }

    /** Go's {@code binary.PutVarint} (zig-zag), bit-appended. */
    public void writeVarint(long x) {
        writeUvarint((x << 1) ^ (x >> 63));
    }

    /** Overwrites two bytes at {@code pos} big-endian (the chunk's sample count header). */
    public void putShortAt(int pos, int value) {
        buf[pos] = (byte) (value >>> 8);
        buf[pos + 1] = (byte) value;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
