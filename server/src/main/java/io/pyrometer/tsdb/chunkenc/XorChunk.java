package io.pyrometer.tsdb.chunkenc;

import io.pyrometer.storage.SampleIterator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A Gorilla-style XOR chunk, byte-identical to Prometheus's {@code chunkenc.XORChunk}.
 *
 * <pre>
 * ┌──────────────────────┬───────────────────────────────────────────────────────────────┐
 * │ num samples <2b, BE> │ bit stream: t0 varint, v0 64 bits, Δt1 uvarint, v1 xor, then  │
 * │                      │ per sample a delta-of-delta code and an xor-encoded value     │
 * └──────────────────────┴───────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * <p>A chunk is either <em>open</em> (a growable heap array written by an {@link XorAppender}) or
 * <em>read-only</em> (a view over bytes, typically an mmapped {@link MemorySegment}, never copied).
 * Not thread-safe: the owner (head series lock) serialises appends against reads.
 *
 * <pre>{@code
 * XorChunk c = XorChunk.create();
 * XorAppender app = c.appender();
 * app.append(1000, 1.0);
 * SampleIterator it = c.iterator(null);
 * }</pre>
 */
public final class XorChunk {
    /** Bytes of the sample count header. */
    public static final int HEADER_SIZE = 2;
    /** Prometheus cannot count more samples than the uint16 header holds. */
    public static final int MAX_SAMPLES = 0xFFFF;

    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    byte[] buf;                     // open chunks: the growable buffer, written by an XorAppender
    int len;                        // open chunks: bytes in use
    private final MemorySegment ro; // non-null for read-only chunks

    private XorChunk(byte[] buf, int len, MemorySegment ro) {
        this.buf = buf;
        this.len = len;
        this.ro = ro;
    }

    /** A new empty open chunk (Prometheus starts with capacity 128). */
    public static XorChunk create() {
        return new XorChunk(new byte[128], HEADER_SIZE, null);
    }

    /** A read-only view over encoded chunk bytes (header included); nothing is copied. */
    public static XorChunk wrap(MemorySegment data) {
        if (data.byteSize() < HEADER_SIZE) {
            throw new IllegalArgumentException("XOR chunk shorter than its header [size=" + data.byteSize() + "]");
        }
        return new XorChunk(null, 0, data);
    }

    /** A read-only view over encoded chunk bytes (header included); the array is not copied. */
    public static XorChunk wrap(byte[] data) {
        return wrap(MemorySegment.ofArray(data));
    }

    /** An open chunk continuing from encoded bytes (copied), so more samples can be appended. */
    public static XorChunk openCopy(byte[] data) {
        if (data.length < HEADER_SIZE) {
            throw new IllegalArgumentException("XOR chunk shorter than its header [size=" + data.length + "]");
        }
        // Free bits of the last byte are not stored; the appender recomputes the position by decoding.
        return new XorChunk(Arrays.copyOf(data, Math.max(128, data.length * 2)), data.length, null);
    }

    /**
     * Empties an open chunk for reuse, keeping its buffer (the head can recycle chunks instead of
     * allocating). Appenders targeting it must be {@link XorAppender#reset reset}.
     */
    public void clear() {
        if (ro != null) throw new IllegalStateException("cannot clear a read-only chunk [" + this + "]");
        len = HEADER_SIZE;
        buf[0] = 0;
        buf[1] = 0;
    }

    public boolean isReadOnly() { return ro != null; }

    public int numSamples() {
        if (ro != null) return ro.get(BE_SHORT, 0) & 0xFFFF;
        return ((buf[0] & 0xFF) << 8) | (buf[1] & 0xFF);
    }

    /** Encoded size in bytes, header included. */
    public int byteSize() {
        return ro != null ? (int) ro.byteSize() : len;
    }

    /**
     * The encoded bytes. For an open chunk this views the live buffer: valid until the next append;
     * copy to keep.
     */
    public MemorySegment data() {
        return ro != null ? ro : MemorySegment.ofArray(buf).asSlice(0, len);
    }

    /** A copy of the encoded bytes. */
    public byte[] toByteArray() {
        return ro != null ? ro.toArray(ValueLayout.JAVA_BYTE) : Arrays.copyOf(buf, len);
    }

    /** Returns an appender positioned after the last sample; throws for a read-only chunk. */
    public XorAppender appender() {
        XorAppender a = new XorAppender();
        a.reset(this);
        return a;
    }

    /** Iterates the samples, reusing {@code reuse} when it is an {@link XorIterator}. */
    public XorIterator iterator(SampleIterator reuse) {
        XorIterator it = reuse instanceof XorIterator x ? x : new XorIterator();
        it.reset(data(), numSamples());
        return it;
    }

    @Override
    public String toString() {
        return "XorChunk[samples=" + numSamples() + ", bytes=" + byteSize() + (ro != null ? ", read-only]" : "]");
    }
}
