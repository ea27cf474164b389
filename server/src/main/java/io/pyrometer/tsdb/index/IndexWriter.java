package io.pyrometer.tsdb.index;

import static io.pyrometer.tsdb.index.IndexFormat.*;

import io.pyrometer.model.Labels;
import io.pyrometer.tsdb.chunks.ChunkMeta;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an index file in format v2 (see {@code server/docs/format/index.md}): symbols given up
 * front, then series in label order, then on {@link #close()} the postings lists, the postings
 * offset table and the TOC. Postings are collected in memory as int arrays (4 bytes per label
 * pair per series); a two-pass temp-file scheme like Prometheus's lost on simplicity for the
 * block sizes a single server compacts.
 *
 * <pre>{@code
 * try (IndexWriter w = new IndexWriter(dir.resolve("index"), symbols)) {
 *     long ref = w.addSeries(labels, chunkMetas);
 * }
 * }</pre>
 */
public final class IndexWriter implements AutoCloseable {
    private final Path path;
    private final FileOut out;
    private final String[] symbols;
    private final Map<String, Integer> symbolIndex;
    private final Encbuf buf = new Encbuf();
    private final Encbuf body = new Encbuf();
    private final HashMap<Long, IntList> postings = new HashMap<>();
    private final IntList all = new IntList();
    private final long tocSymbols;
    private final long tocSeries;
    private Labels lastSeries;
    private long lastChunkRef;
    private boolean closed;

    /** Creates the file and writes the header and the symbol table ({@code symbols} need not be sorted or unique). */
    public IndexWriter(Path file, Collection<String> symbols) throws IOException {
        this.path = file;
        this.symbols = symbols.stream().distinct().sorted(Utf8Order.STRINGS).toArray(String[]::new);
        this.symbolIndex = new HashMap<>(this.symbols.length * 2);
        for (int i = 0; i < this.symbols.length; i++) symbolIndex.put(this.symbols[i], i);
        this.out = new FileOut(file);
        buf.reset();
        buf.putBE32(MAGIC_INDEX).putByte(FORMAT_V2);
        out.write(buf);
        tocSymbols = out.pos();
        buf.reset();
        buf.putBE32(0).putBE32(this.symbols.length);
        for (String s : this.symbols) buf.putUvarintStr(s);
        buf.setBE32(0, buf.len() - 4);
        buf.putCrc32c(4);
        out.write(buf);
        tocSeries = out.pos();
    }

    /**
     * Adds one series; series must come in strictly increasing label order (Go byte order) and
     * chunks sorted by time with increasing refs. Returns the series reference (offset / 16).
     */
    public long addSeries(Labels labels, List<ChunkMeta> chunks) throws IOException {
        if (lastSeries != null && Utf8Order.compare(labels, lastSeries) <= 0) {
            throw new IllegalArgumentException("out-of-order series added with label set " + labels + ", last label set " + lastSeries);
        }
        validateChunks(labels, chunks);
        out.pad(SERIES_BYTE_ALIGN);
        long offset = out.pos();
        long ref = offset / SERIES_BYTE_ALIGN;
        if (ref > 0xFFFF_FFFFL) throw new IOException("index too large: series reference exceeds 4 bytes [file=" + path + "]");
        body.reset();
        body.putUvarint(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            int n = symbol(labels.name(i)), v = symbol(labels.value(i));
            body.putUvarint(n).putUvarint(v);
            postings.computeIfAbsent(((long) n << 32) | v, k -> new IntList()).add((int) ref);
        }
        all.add((int) ref);
        body.putUvarint(chunks.size());
        if (!chunks.isEmpty()) {
            ChunkMeta c = chunks.getFirst();
            body.putVarint(c.minTimeMs()).putUvarint(c.maxTimeMs() - c.minTimeMs()).putUvarint(c.ref());
            long t0 = c.maxTimeMs(), ref0 = c.ref();
            for (int i = 1; i < chunks.size(); i++) {
                c = chunks.get(i);
                body.putUvarint(c.minTimeMs() - t0).putUvarint(c.maxTimeMs() - c.minTimeMs()).putVarint(c.ref() - ref0);
                t0 = c.maxTimeMs();
                ref0 = c.ref();
            }
            lastChunkRef = ref0;
        }
        buf.reset();
        buf.putUvarint(body.len());
        out.write(buf);
        body.putCrc32c(0);
        out.write(body);
        lastSeries = labels;
        return ref;
    }

    private void validateChunks(Labels labels, List<ChunkMeta> chunks) {
        long lastRef = lastChunkRef, lastMaxT = 0;
        for (int i = 0; i < chunks.size(); i++) {
            ChunkMeta c = chunks.get(i);
            if (c.ref() < lastRef) throw new IllegalArgumentException("unsorted chunk reference: " + c.ref() + ", previous: " + lastRef + " [series=" + labels + "]");
            if (i > 0 && c.minTimeMs() <= lastMaxT) throw new IllegalArgumentException("chunk minT " + c.minTimeMs() + " is not higher than previous chunk maxT " + lastMaxT + " [series=" + labels + "]");
            if (c.maxTimeMs() < c.minTimeMs()) throw new IllegalArgumentException("chunk maxT " + c.maxTimeMs() + " is less than minT " + c.minTimeMs() + " [series=" + labels + "]");
            lastRef = c.ref();
            lastMaxT = c.maxTimeMs();
        }
    }

    private int symbol(String s) {
        Integer i = symbolIndex.get(s);
        if (i == null) throw new IllegalArgumentException("symbol entry for \"" + s + "\" does not exist");
        return i;
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            long tocLabelIndices = out.pos();
            long tocPostings = out.pos();
            long[] keys = postings.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
            long[] offsets = new long[keys.length + 1];
            offsets[0] = writePostings(all);
            for (int i = 0; i < keys.length; i++) offsets[i + 1] = writePostings(postings.get(keys[i]));
            long tocPostingsTable = out.pos();
            writePostingsOffsetTable(keys, offsets);
            buf.reset();
            buf.putBE64(tocSymbols).putBE64(tocSeries).putBE64(tocLabelIndices)
                    .putBE64(tocPostingsTable) // label offset table: not written, as Prometheus's writer
                    .putBE64(tocPostings).putBE64(tocPostingsTable);
            buf.putCrc32c(0);
            out.write(buf);
        } finally {
            out.close();
        }
    }

    private long writePostings(IntList refs) throws IOException {
        out.pad(POSTINGS_BYTE_ALIGN);
        long at = out.pos();
        buf.reset();
        buf.putBE32(4 + 4 * refs.size).putBE32(refs.size);
        for (int i = 0; i < refs.size; i++) buf.putBE32(refs.a[i]);
        buf.putCrc32c(4);
        out.write(buf);
        return at;
    }

    private void writePostingsOffsetTable(long[] keys, long[] offsets) throws IOException {
        buf.reset();
        buf.putBE32(0).putBE32(keys.length + 1);
        buf.putUvarint(POSTINGS_KEY_COUNT).putUvarintStr(ALL_POSTINGS_KEY).putUvarintStr(ALL_POSTINGS_KEY).putUvarint(offsets[0]);
        for (int i = 0; i < keys.length; i++) {
            buf.putUvarint(POSTINGS_KEY_COUNT)
                    .putUvarintStr(symbols[(int) (keys[i] >>> 32)])
                    .putUvarintStr(symbols[(int) keys[i]])
                    .putUvarint(offsets[i + 1]);
        }
        buf.setBE32(0, buf.len() - 4);
        buf.putCrc32c(4);
        out.write(buf);
    }

    /** Growable int array; postings per label pair. */
    private static final class IntList {
        int[] a = new int[4];
        int size;

        void add(int v) {
            if (size == a.length) a = Arrays.copyOf(a, size * 2);
            a[size++] = v;
        }
    }
}
