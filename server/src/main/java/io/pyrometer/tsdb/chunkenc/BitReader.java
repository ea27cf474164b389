package io.pyrometer.tsdb.chunkenc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads bits MSB-first from a {@link MemorySegment} (heap-backed or mmapped), buffering 64 bits at
 * a time. Reading past the end never throws: it sets {@link #overrun()} and returns zeros, so the
 * per-sample path needs no exception handling.
 */
public final class BitReader {
    private static final ValueLayout.OfLong BE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment seg = MemorySegment.NULL;
    private long pos;     // next byte to load into buf
    private long end;
    private long buf;     // valid bits are left-aligned (MSB first)
    private int avail;    // number of valid bits in buf
    private boolean overrun;

    /** Positions the reader at byte {@code from} of {@code segment}, reading up to byte {@code to} (exclusive). */
    public void reset(MemorySegment segment, long from, long to) {
        this.seg = segment;
        this.pos = from;
        this.end = to;
        this.buf = 0;
        this.avail = 0;
        this.overrun = false;
    }

    /** True once a read asked for more bits than the segment holds. */
    public boolean overrun() { return overrun; }

    /** Unread bits of the byte the reader is in (0 when byte-aligned). */
    public int bitsLeftInByte() { return avail & 7; }

    public boolean readBit() {
        if (avail == 0 && !refill()) {
            overrun = true;
            return false;
        }
        boolean bit = buf < 0;
        buf <<= 1;
        avail--;
        return bit;
    }

    /** Reads {@code n} bits ({@code 1 <= n <= 64}) as an unsigned value. */
    public long readBits(int n) {
        if (n <= avail) {
            long v = buf >>> (64 - n);
            buf = n == 64 ? 0 : buf << n;
            avail -= n;
            return v;
        }
        int have = avail;
        long hi = have == 0 ? 0 : buf >>> (64 - have);
        if (!refill()) {
            overrun = true;
            return 0;
        }
        int need = n - have;
        if (need > avail) {
            overrun = true;
            return 0;
        }
        long lo = buf >>> (64 - need);
        buf = need == 64 ? 0 : buf << need;
        avail -= need;
        return have == 0 ? lo : (hi << need) | lo;
    }

    public int readByte() {
        return (int) readBits(8);
    }

    /** Go's {@code binary.ReadUvarint}. */
    public long readUvarint() {
        long x = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readByte();
            if (overrun) return 0;
            if (b < 0x80) return x | ((long) b << shift);
            x |= (long) (b & 0x7f) << shift;
        }
        overrun = true; // varint longer than 10 bytes: corrupt
        return 0;
    }

    /** Go's {@code binary.ReadVarint} (zig-zag). */
    public long readVarint() {
        long ux = readUvarint();
        return (ux >>> 1) ^ -(ux & 1);
    }

    private boolean refill() {
        long left = end - pos;
        if (left >= 8) {
            buf = seg.get(BE_LONG, pos);
            pos += 8;
            avail = 64;
            return true;
        }
        if (left <= 0) return false;
        long b = 0;
        for (int i = 0; i < left; i++) {
            b |= (seg.get(ValueLayout.JAVA_BYTE, pos + i) & 0xffL) << (56 - 8 * i);
        }
        buf = b;
        avail = (int) left * 8;
        pos = end;
        return true;
    }
}
