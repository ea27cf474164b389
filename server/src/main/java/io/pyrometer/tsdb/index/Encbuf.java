package io.pyrometer.tsdb.index;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** A growable big-endian byte buffer with Go-compatible varints (Prometheus's {@code encoding.Encbuf}). */
public final class Encbuf {
    private byte[] b = new byte[256];
    private int len;

    public void reset() { len = 0; }

    public int len() { return len; }

    public byte[] array() { return b; }

    public Encbuf putByte(int x) {
        ensure(1);
        b[len++] = (byte) x;
        return this;
    }

    public Encbuf putBE32(int x) {
        ensure(4);
        b[len++] = (byte) (x >>> 24);
        b[len++] = (byte) (x >>> 16);
        b[len++] = (byte) (x >>> 8);
        b[len++] = (byte) x;
        return this;
    }

    public Encbuf putBE64(long x) {
        putBE32((int) (x >>> 32));
        return putBE32((int) x);
    }

    public Encbuf putUvarint(long x) {
        ensure(10);
        while (Long.compareUnsigned(x, 0x80) >= 0) {
            b[len++] = (byte) (x | 0x80);
            x >>>= 7;
        }
        b[len++] = (byte) x;
        return this;
    }

    public Encbuf putVarint(long x) {
        return putUvarint((x << 1) ^ (x >> 63));
    }

    public Encbuf putBytes(byte[] src) {
        ensure(src.length);
        System.arraycopy(src, 0, b, len, src.length);
        len += src.length;
        return this;
    }

    /** {@code len(s) <uvarint>} then the UTF-8 bytes. */
    public Encbuf putUvarintStr(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        putUvarint(u.length);
        return putBytes(u);
    }

    /** Appends the CRC32C of bytes {@code [from, len)}. */
    public Encbuf putCrc32c(int from) {
        CRC32C crc = new CRC32C();
        crc.update(b, from, len - from);
        return putBE32((int) crc.getValue());
    }

    /** Overwrites 4 bytes at {@code pos}. */
    public void setBE32(int pos, int x) {
        b[pos] = (byte) (x >>> 24);
        b[pos + 1] = (byte) (x >>> 16);
        b[pos + 2] = (byte) (x >>> 8);
        b[pos + 3] = (byte) x;
    }

    private void ensure(int n) {
        if (len + n > b.length) b = Arrays.copyOf(b, Math.max(b.length * 2, len + n));
    }
}
