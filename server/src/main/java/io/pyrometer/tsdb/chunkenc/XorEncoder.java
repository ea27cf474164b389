package io.pyrometer.tsdb.chunkenc;

/**
 * The one implementation of Prometheus's XOR sample encoding ({@code xorAppender}): the encoder
 * state plus the bit writing, into any byte array at any offset. {@link XorAppender} extends it
 * over a growable array; the head's series extend it over a slot of a shared arena, so a series
 * holds no appender, chunk or buffer object of its own.
 *
 * <p>{@link #encode} first works out how many bits the sample takes, then either writes them all
 * or nothing (returning the size the chunk must grow to). The caller owns the bytes and moves them
 * when they grow; the encoder only knows the bit length. Not thread-safe: the owner serialises calls.
 */
public abstract class XorEncoder {
    /** Bits of the sample count header. */
    static final int HEADER_BITS = XorChunk.HEADER_SIZE * 8;

    /** Newest sample time written (undefined while {@link #num} is 0). */
    protected long maxT = Long.MIN_VALUE;
    /** Newest sample value written. */
    protected double lastValue;
    /** Time delta between the two newest samples. */
    protected long tDelta;
    /** Samples in the chunk; mirrored in its two-byte header. */
    protected int num;
    /** Bits used, header included: the chunk is {@code (bitLen + 7) / 8} bytes. */
    protected int bitLen = HEADER_BITS;
    /** Leading zeros of the current xor window; 0xff until the first non-zero xor sets it. */
    protected byte leading = (byte) 0xff;
    /** Trailing zeros of the current xor window. */
    protected byte trailing;

    /** Starts an empty chunk (the caller zeroes nothing: the header is written with each sample). */
    protected final void startChunk() {
        num = 0;
        bitLen = HEADER_BITS;
        tDelta = 0;
        leading = (byte) 0xff;
        trailing = 0;
    }

    /** Encoded bytes of the chunk, header included. */
    public final int byteLength() { return (bitLen + 7) >>> 3; }

    public final int numSamples() { return num; }

    /**
     * Appends one sample to the chunk of {@code cap} bytes at {@code buf[base]} when it fits:
     * returns 0 then, else (writing nothing, state unchanged) the byte size the chunk needs.
     * Throws when the chunk already holds {@link XorChunk#MAX_SAMPLES}. Timestamps must increase.
     */
    protected final int encode(byte[] buf, int base, int cap, long ts, double value) {
        int n = num;
        if (n >= XorChunk.MAX_SAMPLES) throw new IllegalStateException("XOR chunk full [samples=" + n + "]");
        long vBits = Double.doubleToRawLongBits(value);
        int pos = bitLen;
        long delta = 0;
        if (n == 0) {
            long zz = (ts << 1) ^ (ts >> 63); // Go's PutVarint
            int need = pos + 8 * uvarintLen(zz) + 64;
            if (need > cap * 8) return (need + 7) >>> 3;
            pos = writeUvarint(buf, base, pos, zz);
            pos = writeBits(buf, base, pos, vBits, 64);
        } else {
            delta = ts - maxT;
            long dod = delta - tDelta;
            int tBits = n == 1 ? 8 * uvarintLen(delta) : dodBits(dod);
            long x = vBits ^ Double.doubleToRawLongBits(lastValue);
            int lead = 0, trail = 0, vBitCount = 1;
            boolean reuse = false;
            if (x != 0) {
                lead = Math.min(Long.numberOfLeadingZeros(x), 31); // 5 bits hold the count
                trail = Long.numberOfTrailingZeros(x);
                int l = leading & 0xff;
                reuse = l != 0xff && lead >= l && trail >= trailing;
                vBitCount = reuse ? 2 + 64 - l - trailing : 2 + 5 + 6 + 64 - lead - trail;
            }
            int need = pos + tBits + vBitCount;
            if (need > cap * 8) return (need + 7) >>> 3;
            pos = n == 1 ? writeUvarint(buf, base, pos, delta) : writeDod(buf, base, pos, dod);
            if (x == 0) {
                pos = writeBits(buf, base, pos, 0, 1);
            } else if (reuse) { // '10': reuse the previous window
                pos = writeBits(buf, base, pos, 0b10, 2);
                pos = writeBits(buf, base, pos, x >>> trailing, 64 - (leading & 0xff) - trailing);
            } else { // '11' + 5 bits leading + 6 bits significant count (64 is written as 0) + the bits
                leading = (byte) lead;
                trailing = (byte) trail;
                int sig = 64 - lead - trail;
                pos = writeBits(buf, base, pos, (0b11L << 11) | ((long) lead << 6) | (sig & 63), 13);
                pos = writeBits(buf, base, pos, x >>> trail, sig);
            }
        }
        maxT = ts;
        lastValue = value;
        tDelta = delta;
        num = ++n;
        bitLen = pos;
        buf[base] = (byte) (n >>> 8);
        buf[base + 1] = (byte) n;
        return 0;
    }

    /** Bits of Prometheus's delta-of-delta code for {@code dod}. */
    private static int dodBits(long dod) {
        if (dod == 0) return 1;
        if (bitRange(dod, 14)) return 2 + 14;
        if (bitRange(dod, 17)) return 3 + 17;
        if (bitRange(dod, 20)) return 4 + 20;
        return 4 + 64;
    }

    private static int writeDod(byte[] b, int base, int pos, long dod) {
        // Gorilla has a resolution of seconds, Prometheus milliseconds: wider buckets.
        if (dod == 0) return writeBits(b, base, pos, 0, 1);
        if (bitRange(dod, 14)) return writeBits(b, base, pos, (0b10L << 14) | (dod & 0x3FFF), 16);
        if (bitRange(dod, 17)) return writeBits(b, base, pos, (0b110L << 17) | (dod & 0x1FFFF), 20);
        if (bitRange(dod, 20)) return writeBits(b, base, pos, (0b1110L << 20) | (dod & 0xFFFFF), 24);
        pos = writeBits(b, base, pos, 0b1111, 4);
        return writeBits(b, base, pos, dod, 64);
    }

    /** Whether {@code x} fits Prometheus's {@code nbits} bucket: {@code -(2^(n-1)-1) <= x <= 2^(n-1)}. */
    static boolean bitRange(long x, int nbits) {
        long half = 1L << (nbits - 1);
        return -(half - 1) <= x && x <= half;
    }

    /** Bytes of Go's {@code binary.PutUvarint(x)}. */
    private static int uvarintLen(long x) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(x) + 6) / 7);
    }

    /** Go's {@code binary.PutUvarint}, bit-appended. */
    private static int writeUvarint(byte[] b, int base, int pos, long x) {
        while (Long.compareUnsigned(x, 0x80) >= 0) {
            pos = writeBits(b, base, pos, (x & 0x7f) | 0x80, 8);
            x >>>= 7;
        }
        return writeBits(b, base, pos, x, 8);
    }

    /**
     * Writes the low {@code nbits} bits of {@code value} ({@code 1 <= nbits <= 64}), most significant
     * first, at bit {@code pos} of the chunk at {@code b[base]}; returns the new bit position. Bits
     * after {@code pos} in its byte must be zero (they are: bytes are assigned whole when started).
     */
    static int writeBits(byte[] b, int base, int pos, long value, int nbits) {
        int free = -pos & 7;                  // unused low bits of the last started byte
        int i = base + ((pos + 7) >>> 3);     // next byte to start
        int end = pos + nbits;
        if (free > 0) { // fill the partial last byte first
            if (nbits <= free) {
                b[i - 1] |= (byte) ((value & ((1L << nbits) - 1)) << (free - nbits));
                return end;
            }
            nbits -= free;
            b[i - 1] |= (byte) ((value >>> nbits) & ((1 << free) - 1));
        }
        while (nbits >= 8) { // whole bytes
            nbits -= 8;
            b[i++] = (byte) (value >>> nbits);
        }
        if (nbits > 0) b[i] = (byte) (value << (8 - nbits)); // leading bits of a new byte
        return end;
    }
}
