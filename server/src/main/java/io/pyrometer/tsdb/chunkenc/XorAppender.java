package io.pyrometer.tsdb.chunkenc;

/**
 * Appends samples to an open {@link XorChunk}, writing exactly the bits Prometheus's
 * {@code xorAppender} writes. Reusable across chunks via {@link #reset}; allocates nothing per sample.
 *
 * <p>Timestamps must increase; the caller (head appender) rejects out-of-order samples before
 * they get here, as Prometheus does.
 */
public final class XorAppender {
    private XorChunk chunk;
    private BitWriter b;
    private int num;
    private long t;
    private double v;
    private long tDelta;
    private int leading;   // 0xff until the first xor with a non-zero delta sets it
    private int trailing;

    /** Targets {@code c}, recovering the encoder state by decoding its existing samples (as Prometheus does). */
    public void reset(XorChunk c) {
        if (c.writer == null) throw new IllegalStateException("cannot append to a read-only chunk [" + c + "]");
        this.chunk = c;
        this.b = c.writer;
        this.num = c.numSamples();
        this.leading = 0xff;
        this.trailing = 0;
        this.t = 0;
        this.v = 0;
        this.tDelta = 0;
        if (num > 0) {
            XorIterator it = new XorIterator();
            it.reset(c.data(), num);
            while (it.next() != io.pyrometer.storage.ValueType.NONE) {
                // drain to reach the end state
            }
            if (it.err() != null) throw new IllegalStateException("corrupt XOR chunk [" + c + "]", it.err());
            this.t = it.atT();
            this.v = it.atV();
            this.tDelta = it.tDelta();
            this.leading = it.leading();
            this.trailing = it.trailing();
            b.reset(b.array(), b.length(), it.freeBitsAtEnd());
        }
    }

    public XorChunk chunk() { return chunk; }

    public int numSamples() { return num; }

    /** Appends one sample; throws when the chunk already holds {@link XorChunk#MAX_SAMPLES}. */
    public void append(long ts, double value) {
        if (num >= XorChunk.MAX_SAMPLES) throw new IllegalStateException("XOR chunk full [samples=" + num + "]");
        long delta = 0;
        switch (num) {
            case 0 -> {
                b.writeVarint(ts);
                b.writeBits(Double.doubleToRawLongBits(value), 64);
            }
            case 1 -> {
                delta = ts - t;
                b.writeUvarint(delta);
                writeVDelta(value);
            }
            default -> {
                delta = ts - t;
                writeDod(delta - tDelta);
                writeVDelta(value);
            }
        }
        t = ts;
        v = value;
        tDelta = delta;
        num++;
        b.putShortAt(0, num);
    }

    private void writeDod(long dod) {
        // Gorilla has a resolution of seconds, Prometheus milliseconds: wider buckets.
        if (dod == 0) {
            b.writeBits(0b0, 1);
        } else if (bitRange(dod, 14)) {
            b.writeBits(0b10, 2);
            b.writeBits(dod, 14);
        } else if (bitRange(dod, 17)) {
            b.writeBits(0b110, 3);
            b.writeBits(dod, 17);
        } else if (bitRange(dod, 20)) {
            b.writeBits(0b1110, 4);
            b.writeBits(dod, 20);
        } else {
            b.writeBits(0b1111, 4);
            b.writeBits(dod, 64);
        }
    }

    /** Whether {@code x} fits Prometheus's {@code nbits} bucket: {@code -(2^(n-1)-1) <= x <= 2^(n-1)}. */
    static boolean bitRange(long x, int nbits) {
        long half = 1L << (nbits - 1);
        return -(half - 1) <= x && x <= half;
    }

    private void writeVDelta(double value) {
        long delta = Double.doubleToRawLongBits(value) ^ Double.doubleToRawLongBits(v);
        if (delta == 0) {
            b.writeBits(0, 1);
            return;
        }
        int newLeading = Long.numberOfLeadingZeros(delta);
        int newTrailing = Long.numberOfTrailingZeros(delta);
        if (newLeading >= 32) newLeading = 31; // 5 bits hold the count
        if (leading != 0xff && newLeading >= leading && newTrailing >= trailing) {
            // '10': reuse the previous window
            b.writeBits(0b10, 2);
            b.writeBits(delta >>> trailing, 64 - leading - trailing);
            return;
        }
        leading = newLeading;
        trailing = newTrailing;
        int sigbits = 64 - newLeading - newTrailing;
        // '11' + 5 bits leading + 6 bits significant count (64 is written as 0) + the bits
        b.writeBits(0b11, 2);
        b.writeBits(newLeading, 5);
        b.writeBits(sigbits, 6);
        b.writeBits(delta >>> newTrailing, sigbits);
    }
}
