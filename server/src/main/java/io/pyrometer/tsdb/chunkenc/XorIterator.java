package io.pyrometer.tsdb.chunkenc;

import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.ValueType;
import java.lang.foreign.MemorySegment;

/**
 * Decodes an XOR chunk sample by sample, mirroring Prometheus's {@code xorIterator}. Reusable via
 * {@link #reset}; allocates nothing per sample. Reads straight from the segment (mmapped or heap).
 */
public final class XorIterator implements SampleIterator {
    private final BitReader br = new BitReader();
    private int numTotal;
    private int numRead;
    private long t;
    private double val;
    private long tDelta;
    private int leading;
    private int trailing;
    private Throwable err;
    private boolean corrupt;

    /** Positions before the first sample of the chunk bytes {@code data} (header included). */
    public void reset(MemorySegment data, int numSamples) {
        br.reset(data, XorChunk.HEADER_SIZE, data.byteSize());
        numTotal = numSamples;
        numRead = 0;
        t = Long.MIN_VALUE;
        val = 0;
        tDelta = 0;
        leading = 0;
        trailing = 0;
        err = null;
        corrupt = false;
    }

    /** Positions before the first sample of {@code data}, reading the sample count from its header. */
    public void reset(MemorySegment data) {
        int n = data.byteSize() < XorChunk.HEADER_SIZE ? 0
                : ((data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) & 0xFF) << 8)
                        | (data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 1) & 0xFF);
        reset(data, n);
    }

    @Override
    public ValueType next() {
        if (err != null || numRead == numTotal) return ValueType.NONE;
        if (numRead == 0) {
            t = br.readVarint();
            val = Double.longBitsToDouble(br.readBits(64));
            return finish();
        }
        if (numRead == 1) {
            tDelta = br.readUvarint();
            t += tDelta;
            readValue();
            return finish();
        }
        long dod = readDod();
        tDelta += dod;
        t += tDelta;
        readValue();
        return finish();
    }

    private long readDod() {
        int d = 0;
        for (int i = 0; i < 4; i++) {
            d <<= 1;
            if (!br.readBit()) break;
            d |= 1;
        }
        int sz;
        switch (d) {
            case 0b0: return 0;
            case 0b10: sz = 14; break;
            case 0b110: sz = 17; break;
            case 0b1110: sz = 20; break;
            default: return br.readBits(64); // 0b1111
        }
        long bits = br.readBits(sz);
        // negative numbers come back as large unsigned ones
        if (bits > (1L << (sz - 1))) bits -= 1L << sz;
        return bits;
    }

    private void readValue() {
        if (!br.readBit()) return; // same value
        int mbits;
        if (!br.readBit()) {
            mbits = 64 - leading - trailing; // reuse window
        } else {
            leading = (int) br.readBits(5);
            mbits = (int) br.readBits(6);
            if (mbits == 0) mbits = 64; // 64 significant bits are written as 0
            trailing = 64 - leading - mbits;
        }
        if (mbits <= 0 || trailing < 0) {
            corrupt = true; // a window no encoder writes: corrupt data
            return;
        }
        long bits = br.readBits(mbits);
        val = Double.longBitsToDouble(Double.doubleToRawLongBits(val) ^ (bits << trailing));
    }

    private ValueType finish() {
        if (corrupt) {
            err = new IllegalStateException("corrupt XOR chunk: invalid value window [sample=" + numRead + "]");
            return ValueType.NONE;
        }
        if (br.overrun()) {
            err = new IllegalStateException("XOR chunk ended early [read=" + numRead + ", samples=" + numTotal + "]");
            return ValueType.NONE;
        }
        numRead++;
        return ValueType.FLOAT;
    }

    @Override
    public ValueType seek(long timestampMs) {
        if (err != null) return ValueType.NONE;
        while (numRead == 0 || timestampMs > t) {
            if (next() == ValueType.NONE) return ValueType.NONE;
        }
        return ValueType.FLOAT;
    }

    @Override
    public long atT() { return t; }

    @Override
    public double atV() { return val; }

    @Override
    public Throwable err() { return err; }

    long tDelta() { return tDelta; }

    int leading() { return leading; }

    int trailing() { return trailing; }

    /** Unused low bits of the last byte after all samples were read (for resuming appends). */
    int freeBitsAtEnd() { return br.bitsLeftInByte(); }
}
