package io.pyrometer.tsdb.index;

import static io.pyrometer.tsdb.index.IndexFormat.*;

import io.pyrometer.model.Labels;
import io.pyrometer.tsdb.chunks.ChunkMeta;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads a memory-mapped index file (format v2). At open it checks magic, version and the CRCs of
 * the TOC, symbol table and postings offset table, and keeps symbols and the postings offset
 * table on the heap; series entries and postings lists are read from the mapping on demand (each
 * series entry's CRC is checked when read). The mapping belongs to the {@link Arena} given at open.
 */
public final class IndexReader {
    private final Path path;
    private final MemorySegment seg;
    private final String[] symbols;
    private final Map<String, ValueTable> postingsTable;
    private final String[] labelNames; // sorted, without the all-postings key

    /** One label name's values (sorted) and the file offsets of their postings lists. */
    private record ValueTable(String[] values, long[] offsets) {}

    private IndexReader(Path path, MemorySegment seg, String[] symbols, Map<String, ValueTable> postingsTable) {
        this.path = path;
        this.seg = seg;
        this.symbols = symbols;
        this.postingsTable = postingsTable;
        this.labelNames = postingsTable.keySet().stream().filter(n -> !n.isEmpty()).sorted(Utf8Order.STRINGS).toArray(String[]::new);
    }

    /** Maps and validates {@code file}; throws {@link IOException} naming the file and what is wrong. */
    public static IndexReader open(Path file, Arena arena) throws IOException {
        MemorySegment seg;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        }
        if (seg.byteSize() < HEADER_LEN + INDEX_TOC_LEN) throw corrupt(file, "index header: invalid size " + seg.byteSize());
        int magic = seg.get(Decbuf.BE_INT, 0);
        if (magic != MAGIC_INDEX) throw corrupt(file, "invalid magic number " + Integer.toHexString(magic));
        int version = seg.get(ValueLayout.JAVA_BYTE, 4);
        if (version != FORMAT_V2 && version != FORMAT_V3) {
            throw corrupt(file, "unsupported index file version " + version + " (v2 and v3, written by Prometheus 2.x and 3.x, are read)");
        }
        long tocAt = seg.byteSize() - INDEX_TOC_LEN;
        checkCrc(file, seg, tocAt, 6 * 8, "TOC");
        Decbuf d = new Decbuf().reset(seg, tocAt, tocAt + 6 * 8);
        long symbolsAt = d.be64();
        d.be64(); // series
        d.be64(); // label indices
        d.be64(); // label offset table
        d.be64(); // postings
        long postingsTableAt = d.be64();
        String[] symbols = readSymbols(file, seg, symbolsAt);
        Map<String, ValueTable> table = readPostingsTable(file, seg, postingsTableAt);
        return new IndexReader(file, seg, symbols, table);
    }

    private static String[] readSymbols(Path file, MemorySegment seg, long at) throws IOException {
        Decbuf d = section(file, seg, at, "symbol table");
        int n = d.be32();
        if (n < 0 || n > d.remaining()) throw corrupt(file, "symbol table: bad count " + n);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) out[i] = d.uvarintStr();
        if (d.err() != null) throw corrupt(file, "symbol table: " + d.err());
        return out;
    }

    private static Map<String, ValueTable> readPostingsTable(Path file, MemorySegment seg, long at) throws IOException {
        Decbuf d = section(file, seg, at, "postings offset table");
        int n = d.be32();
        Map<String, List<String>> values = new HashMap<>();
        Map<String, long[]> offs = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n && d.err() == null; i++) {
            long keys = d.uvarint();
            if (keys != POSTINGS_KEY_COUNT) throw corrupt(file, "postings offset table: unexpected key count " + keys);
            String name = d.uvarintStr(), value = d.uvarintStr();
            long off = d.uvarint();
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            int c = counts.merge(name, 1, Integer::sum);
            long[] o = offs.computeIfAbsent(name, k -> new long[4]);
            if (c > o.length) offs.put(name, o = Arrays.copyOf(o, o.length * 2));
            o[c - 1] = off;
        }
        if (d.err() != null) throw corrupt(file, "postings offset table: " + d.err());
        Map<String, ValueTable> out = new HashMap<>(values.size() * 2);
        for (var e : values.entrySet()) {
            String name = e.getKey();
            out.put(name, new ValueTable(e.getValue().toArray(String[]::new), Arrays.copyOf(offs.get(name), counts.get(name))));
        }
        return out;
    }

    /** A decoder over a {@code len <4b> | body | CRC32 <4b>} section, CRC checked. */
    private static Decbuf section(Path file, MemorySegment seg, long at, String what) throws IOException {
        if (at < 0 || at + 4 > seg.byteSize()) throw corrupt(file, what + ": offset out of range " + at);
        long len = seg.get(Decbuf.BE_INT, at) & 0xFFFF_FFFFL;
        if (at + 4 + len + CRC32_SIZE > seg.byteSize()) throw corrupt(file, what + ": length " + len + " exceeds file");
        checkCrc(file, seg, at + 4, len, what);
        return new Decbuf().reset(seg, at + 4, at + 4 + len);
    }

    private static void checkCrc(Path file, MemorySegment seg, long from, long len, String what) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(seg.asSlice(from, len).asByteBuffer());
        if ((int) crc.getValue() != seg.get(Decbuf.BE_INT, from + len)) throw corrupt(file, what + ": invalid checksum");
    }

    private static IOException corrupt(Path file, String what) {
        return new IOException("corrupted index " + file + ": " + what);
    }

    public Path path() { return path; }

    /** Size of the index file in bytes. */
    public long size() { return seg.byteSize(); }

    public int symbolCount() { return symbols.length; }

    /** The symbol table, sorted (do not modify). */
    public String[] symbols() { return symbols; }

    /** Sorted label names of all series. */
    public List<String> labelNames() { return List.of(labelNames); }

    /** Sorted values of {@code name} (empty when the name is unknown). */
    public List<String> labelValues(String name) {
        ValueTable t = postingsTable.get(name);
        return t == null || name.isEmpty() ? List.of() : List.of(t.values);
    }

    /** All series references. */
    public Postings allPostings() throws IOException {
        return postings(ALL_POSTINGS_KEY, ALL_POSTINGS_KEY);
    }

    /** Series having {@code name="value"}. */
    public Postings postings(String name, String value) throws IOException {
        ValueTable t = postingsTable.get(name);
        if (t == null) return Postings.EMPTY;
        int i = Arrays.binarySearch(t.values, value, Utf8Order.STRINGS);
        return i < 0 ? Postings.EMPTY : postingsAt(t.offsets[i]);
    }

    /** Series having {@code name} set to any of {@code values} (a set lookup, no regex scan). */
    public Postings postings(String name, Collection<String> values) throws IOException {
        List<Postings> ps = new ArrayList<>(values.size());
        for (String v : values) {
            Postings p = postings(name, v);
            if (p != Postings.EMPTY) ps.add(p);
        }
        return Postings.merge(ps);
    }

    /** Number of series in the postings list of {@code name="value"} (0 when absent), from its header. */
    public int postingsCount(String name, String value) throws IOException {
        ValueTable t = postingsTable.get(name);
        if (t == null) return 0;
        int i = Arrays.binarySearch(t.values, value, Utf8Order.STRINGS);
        return i < 0 ? 0 : seg.get(Decbuf.BE_INT, t.offsets[i] + 4);
    }

    private Postings postingsAt(long off) throws IOException {
        Decbuf d = section(path, seg, off, "postings list at " + off);
        int n = d.be32();
        if (d.remaining() != 4L * n) throw corrupt(path, "postings list at " + off + ": count " + n + " does not match length");
        return new PostingsOps.ListPostings(seg, d.pos(), n);
    }

    /** A decoded series entry: its labels and chunk metadata. */
    public record SeriesEntry(Labels labels, List<ChunkMeta> chunks) {}

    /** Reads the series with reference {@code ref} (offset / 16). */
    public SeriesEntry series(long ref) throws IOException {
        long at = ref * SERIES_BYTE_ALIGN;
        if (at < HEADER_LEN || at >= seg.byteSize()) throw corrupt(path, "series reference " + ref + " out of range");
        Decbuf d = new Decbuf().reset(seg, at, seg.byteSize());
        long len = d.uvarint();
        long start = d.pos();
        if (d.err() != null || start + len + CRC32_SIZE > seg.byteSize()) throw corrupt(path, "series " + ref + ": bad length");
        checkCrc(path, seg, start, len, "series " + ref);
        d.reset(seg, start, start + len);
        long nl = d.uvarint();
        if (nl < 0 || nl * 2 > len) throw corrupt(path, "series " + ref + ": label count " + nl + " exceeds entry length " + len);
        String[] pairs = new String[(int) nl * 2];
        for (int i = 0; i < pairs.length && d.err() == null; i++) pairs[i] = symbol(d.uvarint(), ref);
        long nc = d.uvarint();
        if (nc < 0 || nc * 3 > len) throw corrupt(path, "series " + ref + ": chunk count " + nc + " exceeds entry length " + len);
        List<ChunkMeta> chunks = new ArrayList<>((int) nc);
        if (nc > 0) {
            long mint = d.varint();
            long maxt = mint + d.uvarint();
            long cref = d.uvarint();
            chunks.add(new ChunkMeta(cref, mint, maxt));
            for (int i = 1; i < nc && d.err() == null; i++) {
                mint = maxt + d.uvarint();
                maxt = mint + d.uvarint();
                cref += d.varint();
                chunks.add(new ChunkMeta(cref, mint, maxt));
            }
        }
        if (d.err() != null) throw corrupt(path, "series " + ref + ": " + d.err());
        return new SeriesEntry(Labels.ofSortedUnsafe(pairs), chunks);
    }

    private String symbol(long i, long ref) throws IOException {
        if (i < 0 || i >= symbols.length) throw corrupt(path, "series " + ref + ": unknown symbol offset " + i);
        return symbols[(int) i];
    }
}
