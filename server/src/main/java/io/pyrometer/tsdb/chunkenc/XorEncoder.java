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
    /** Samples in the chunk; copied to its two-byte header by {@link #writeHeader}. */
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
     * returns 0 then, else (writing nothing, state unchanged) the byte size the chunk needs. The
     * header's sample count is not updated: see {@link #writeHeader}.
     * Throws when the chunk already holds {@link XorChunk#MAX_SAMPLES}. Timestamps must increase.
     */
    protected final int encode(byte[] buf, int base, int cap, long ts, double value) {
        int n = num;
        if (n >= XorChunk.MAX_SAMPLES) throw new IllegalStateException("XOR chunk full [samples=" + n + "]");
        int pos;
        if (n == 0) {
            long zz = (ts << 1) ^ (ts >> 63); // Go's PutVarint
            int need = bitLen + 8 * uvarintLen(zz) + 64;
            if (need > cap * 8) return (need + 7) >>> 3;
            pos = writeUvarint(buf, base, bitLen, zz);
            pos = writeBits(buf, base, pos, Double.doubleToRawLongBits(value), 64);
        } else {
            pos = encodeNext(buf, base, cap, ts, value);
            if (pos < 0) return -pos;
        }
        tDelta = n == 0 ? 0 : ts - maxT;
        maxT = ts;
        lastValue = value;
        num = n + 1;
        bitLen = pos;
        return 0;
    }

    /**
     * Writes the sample count into the chunk's two-byte header. {@link #encode} leaves it stale: the
     * header is the chunk's first cache line while the sample goes to its end, and for a head of
     * many series that second line is a cache miss per sample. Call it before the bytes are read.
     */
    protected final void writeHeader(byte[] buf, int base) {
        buf[base] = (byte) (num >>> 8);
        buf[base + 1] = (byte) num;
    }

    /**
     * Writes the second or a later sample: a time code (the delta as a uvarint for the second
     * sample, else a delta-of-delta bucket) and a value code ('0': same value; '10' + the xor in
     * the previous window; '11' + 5 bits leading zeros + 6 bits significant count, 64 written as
     * 0, + the xor). Returns the new bit position, or minus the bytes needed when it does not fit.
     */
    private int encodeNext(byte[] buf, int base, int cap, long ts, double value) {
        long delta = ts - maxT;
        long dod = delta - tDelta;
        int tBits = num == 1 ? 8 * uvarintLen(delta) : dodBits(dod);
        long x = Double.doubleToRawLongBits(value) ^ Double.doubleToRawLongBits(lastValue);
        long prefix = 0, payload = 0;
        int prefixBits = 1, sig = 0, lead = -1, trail = 0;
        if (x != 0) {
            int nl = Math.min(Long.numberOfLeadingZeros(x), 31); // 5 bits hold the count
            int nt = Long.numberOfTrailingZeros(x);
            int l = leading & 0xff;
            if (l != 0xff && nl >= l && nt >= trailing) { // reuse the previous window
                prefix = 0b10;
                prefixBits = 2;
                sig = 64 - l - trailing;
                payload = x >>> trailing;
            } else {
                lead = nl;
                trail = nt;
                sig = 64 - nl - nt;
                prefix = (0b11L << 11) | ((long) nl << 6) | (sig & 63);
                prefixBits = 13;
                payload = x >>> nt;
            }
        }
        int pos = bitLen;
        int need = pos + tBits + prefixBits + sig;
        if (need > cap * 8) return -((need + 7) >>> 3);
        if (num == 1 || tBits == DOD_WIDE_BITS) {
            if (num == 1) {
                pos = writeUvarint(buf, base, pos, delta);
            } else {
                pos = writeBits(buf, base, pos, 0b1111, 4);
                pos = writeBits(buf, base, pos, dod, 64);
            }
            pos = writeBits(buf, base, pos, prefix, prefixBits);
            if (sig > 0) pos = writeBits(buf, base, pos, payload, sig);
        } else { // one write when the codes fit 64 bits (a steady counter or gauge), else two
            long first = (dodCode(dod, tBits) << prefixBits) | prefix;
            int firstBits = tBits + prefixBits;
            if (firstBits + sig <= 64) {
                pos = writeBits(buf, base, pos, sig == 0 ? first : (first << sig) | payload, firstBits + sig);
            } else {
                pos = writeBits(buf, base, pos, first, firstBits);
                pos = writeBits(buf, base, pos, payload, sig);
            }
        }
        if (lead >= 0) {
            leading = (byte) lead;
            trailing = (byte) trail;
        }
        return pos;
    }

    /** Bits of the '1111' + 64 bits delta-of-delta code. */
    private static final int DOD_WIDE_BITS = 4 + 64;

    /** Bits of Prometheus's delta-of-delta code for {@code dod} (Gorilla's buckets, widened for milliseconds). */
    private static int dodBits(long dod) {
        if (dod == 0) return 1;
        if (bitRange(dod, 14)) return 2 + 14;
        if (bitRange(dod, 17)) return 3 + 17;
        if (bitRange(dod, 20)) return 4 + 20;
        return DOD_WIDE_BITS;
    }

    /** The delta-of-delta code of {@code bits} bits (not the wide one): the bucket's prefix, then dod's low bits. */
    private static long dodCode(long dod, int bits) {
        return switch (bits) {
            case 1 -> 0;
            case 16 -> (0b10L << 14) | (dod & 0x3FFF);
            case 20 -> (0b110L << 17) | (dod & 0x1FFFF);
            default -> (0b1110L << 20) | (dod & 0xFFFFF);
        };
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
