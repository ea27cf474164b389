package io.pyrometer.tsdb.chunkenc;

import io.pyrometer.storage.ValueType;
import java.util.Arrays;

/**
 * Appends samples to an open {@link XorChunk}, writing exactly the bits Prometheus's
 * {@code xorAppender} writes (the encoding is {@link XorEncoder}'s, shared with the head). Reusable
 * across chunks via {@link #reset}; allocates nothing per sample except when the buffer doubles.
 *
 * <p>Timestamps must increase; the caller (head appender) rejects out-of-order samples before
 * they get here, as Prometheus does.
 */
public final class XorAppender extends XorEncoder {
    private XorChunk chunk;

    /** Targets {@code c}, recovering the encoder state by decoding its existing samples (as Prometheus does). */
    public void reset(XorChunk c) {
        if (c.isReadOnly()) throw new IllegalStateException("cannot append to a read-only chunk [" + c + "]");
        this.chunk = c;
        startChunk();
        maxT = 0;
        lastValue = 0;
        int n = c.numSamples();
        if (n > 0) {
            XorIterator it = new XorIterator();
            it.reset(c.data(), n);
            while (it.next() != ValueType.NONE) {
                // drain to reach the end state
            }
            if (it.err() != null) throw new IllegalStateException("corrupt XOR chunk [" + c + "]", it.err());
            maxT = it.atT();
            lastValue = it.atV();
            tDelta = it.tDelta();
            leading = (byte) it.leading();
            trailing = (byte) it.trailing();
            num = n;
            bitLen = c.len * 8 - it.freeBitsAtEnd();
        }
    }

    public XorChunk chunk() { return chunk; }

    /** Appends one sample; throws when the chunk already holds {@link XorChunk#MAX_SAMPLES}. */
    public void append(long ts, double value) {
        XorChunk c = chunk;
        int need = encode(c.buf, 0, c.buf.length, ts, value);
        if (need > 0) {
            c.buf = Arrays.copyOf(c.buf, Math.max(c.buf.length * 2, need)); // Prometheus's bstream doubles too
            encode(c.buf, 0, c.buf.length, ts, value);
        }
        writeHeader(c.buf, 0);
        c.len = byteLength();
    }
}
