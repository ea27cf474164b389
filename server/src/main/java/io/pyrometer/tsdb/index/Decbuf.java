package io.pyrometer.tsdb.index;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over a {@link MemorySegment} decoding big-endian integers and Go varints, like
 * Prometheus's {@code encoding.Decbuf}. Errors are sticky: after a read past the end,
 * {@link #err()} is set and reads return zero, so callers check once at the end.
 */
public final class Decbuf {
    static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment seg;
    private long pos;
    private long end;
    private String err;

    public Decbuf reset(MemorySegment seg, long from, long to) {
        this.seg = seg;
        this.pos = from;
        this.end = to;
        this.err = null;
        return this;
    }

    public long pos() { return pos; }

    public long remaining() { return end - pos; }

    /** Null, or what went wrong first. */
    public String err() { return err; }

    public void skip(long n) {
        if (!check(n)) return;
        pos += n;
    }

    public int be32() {
        if (!check(4)) return 0;
        int v = seg.get(BE_INT, pos);
        pos += 4;
        return v;
    }

    public long be64() {
        if (!check(8)) return 0;
        long v = seg.get(BE_LONG, pos);
        pos += 8;
        return v;
    }

    public int readByte() {
        if (!check(1)) return 0;
        return seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
    }

    public long uvarint() {
        long x = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) {
                fail("varint past end");
                return 0;
            }
            int b = seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
            if (b < 0x80) return x | ((long) b << shift);
            x |= (long) (b & 0x7F) << shift;
        }
        fail("varint overflow");
        return 0;
    }

    public long varint() {
        long ux = uvarint();
        return (ux >>> 1) ^ -(ux & 1);
    }

    /** {@code len <uvarint>} then that many UTF-8 bytes. */
    public String uvarintStr() {
        long n = uvarint();
        if (err != null || !check(n)) return "";
        String s = utf8(seg, pos, (int) n);
        pos += n;
        return s;
    }

    static String utf8(MemorySegment seg, long at, int n) {
        if (n == 0) return "";
        byte[] b = new byte[n];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, at, b, 0, n);
        return new String(b, StandardCharsets.UTF_8);
    }

    private boolean check(long n) {
        if (err != null) return false;
        if (n < 0 || pos + n > end) {
            fail("read past end");
            return false;
        }
        return true;
    }

    private void fail(String what) {
        if (err == null) err = what + " [pos=" + pos + ", end=" + end + "]";
        pos = end;
    }
}
