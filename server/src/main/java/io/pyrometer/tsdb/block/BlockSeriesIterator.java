package io.pyrometer.tsdb.block;

import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.ValueType;
import io.pyrometer.tsdb.chunks.ChunkMeta;
import io.pyrometer.tsdb.chunks.ChunkReader;
import io.pyrometer.tsdb.chunkenc.XorIterator;
import java.io.IOException;
import java.util.List;

/**
 * Iterates a block series' chunks in order, decoding each only when reached, skipping samples
 * outside {@code [mint, maxt]} and inside deleted intervals. Reusable; nothing allocated per sample.
 */
public final class BlockSeriesIterator implements SampleIterator {
    private final XorIterator xor = new XorIterator();
    private ChunkReader reader;
    private List<ChunkMeta> chunks;
    private Intervals deleted;
    private long mint;
    private long maxt;
    private int next;          // index of the next chunk to open
    private boolean inChunk;
    private boolean positioned;
    private boolean done;
    private Throwable err;

    void reset(ChunkReader reader, List<ChunkMeta> chunks, Intervals deleted, long mint, long maxt) {
        this.reader = reader;
        this.chunks = chunks;
        this.deleted = deleted;
        this.mint = mint;
        this.maxt = maxt;
        this.next = 0;
        this.inChunk = false;
        this.positioned = false;
        this.done = false;
        this.err = null;
    }

    @Override
    public ValueType next() {
        if (done) return ValueType.NONE;
        while (true) {
            if (!inChunk && !openNext()) return end();
            if (xor.next() == ValueType.NONE) {
                if (xor.err() != null) {
                    err = xor.err();
                    return end();
                }
                inChunk = false;
                continue;
            }
            long t = xor.atT();
            if (t < mint) continue;
            if (t > maxt) return end();
            if (!deleted.isEmpty() && deleted.contains(t)) continue;
            positioned = true;
            return ValueType.FLOAT;
        }
    }

    private boolean openNext() {
        if (next >= chunks.size()) return false;
        ChunkMeta c = chunks.get(next++);
        try {
            xor.reset(reader.xorData(c.ref()));
        } catch (IOException | RuntimeException e) {
            err = e;
            return false;
        }
        inChunk = true;
        return true;
    }

    private ValueType end() {
        done = true;
        positioned = false;
        return ValueType.NONE;
    }

    @Override
    public ValueType seek(long t) {
        if (done) return ValueType.NONE;
        if (positioned && xor.atT() >= t) return ValueType.FLOAT;
        // skip whole chunks that end before t without decoding them
        if (!inChunk || chunks.get(next - 1).maxTimeMs() < t) {
            inChunk = false;
            while (next < chunks.size() && chunks.get(next).maxTimeMs() < t) next++;
        }
        ValueType vt;
        do {
            vt = next();
        } while (vt != ValueType.NONE && xor.atT() < t);
        return vt;
    }

    @Override
    public long atT() { return xor.atT(); }

    @Override
    public double atV() { return xor.atV(); }

    @Override
    public Throwable err() { return err; }
}
