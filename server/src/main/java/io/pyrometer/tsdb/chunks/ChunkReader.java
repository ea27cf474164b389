package io.pyrometer.tsdb.chunks;

import static io.pyrometer.tsdb.chunks.ChunkFormat.*;

import io.pyrometer.tsdb.chunkenc.Encoding;
import io.pyrometer.tsdb.chunkenc.XorChunk;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Reads chunks from memory-mapped segment files. Mappings belong to the {@link Arena} given at
 * open; closing the arena (the owning block) unmaps them, after which no returned chunk may be used.
 */
public final class ChunkReader {
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Path dir;
    private final MemorySegment[] segments;
    private final long totalSize;

    private ChunkReader(Path dir, MemorySegment[] segments, long totalSize) {
        this.dir = dir;
        this.segments = segments;
        this.totalSize = totalSize;
    }

    /** Maps every segment file of {@code chunksDir} and validates its header. */
    public static ChunkReader open(Path chunksDir, Arena arena) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(chunksDir)) {
            s.filter(p -> p.getFileName().toString().matches("\\d+")).sorted().forEach(files::add);
        }
        MemorySegment[] segs = new MemorySegment[files.size()];
        long total = 0;
        for (int i = 0; i < segs.length; i++) {
            Path f = files.get(i);
            if (!f.getFileName().toString().equals(segmentName(i))) {
                throw new IOException("chunk segment files not sequential [dir=" + chunksDir + ", expected="
                        + segmentName(i) + ", found=" + f.getFileName() + "]");
            }
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                segs[i] = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            }
            if (segs[i].byteSize() < SEGMENT_HEADER_SIZE) {
                throw new IOException("invalid segment header in " + f + ": file too small [size=" + segs[i].byteSize() + "]");
            }
            int magic = segs[i].get(BE_INT, 0);
            if (magic != MAGIC_CHUNKS) {
                throw new IOException("invalid magic number " + Integer.toHexString(magic) + " in " + f);
            }
            int version = segs[i].get(ValueLayout.JAVA_BYTE, MAGIC_CHUNKS_SIZE);
            if (version != CHUNKS_FORMAT_V1) {
                throw new IOException("invalid chunk format version " + version + " in " + f);
            }
            total += segs[i].byteSize();
        }
        return new ChunkReader(chunksDir, segs, total);
    }

    /** Total bytes of all segment files. */
    public long size() { return totalSize; }

    public int segmentCount() { return segments.length; }

    /**
     * The encoded chunk at {@code ref} as an XOR chunk view over the mapping (nothing copied),
     * after checking its CRC32C. Throws {@link IOException} naming the segment and offset on
     * corruption or a non-XOR encoding (native histograms are not supported).
     */
    public XorChunk chunk(long ref) throws IOException {
        return XorChunk.wrap(xorData(ref));
    }

    /** Like {@link #chunk} but only the encoded bytes (header included), for {@code XorIterator.reset}. */
    public MemorySegment xorData(long ref) throws IOException {
        MemorySegment data = data(ref, true);
        if (data.byteSize() < XorChunk.HEADER_SIZE) throw corrupt(ref, "XOR chunk shorter than its header");
        return data;
    }

    /** The encoding byte of the chunk at {@code ref}. */
    public Encoding encoding(long ref) throws IOException {
        MemorySegment seg = segment(ref);
        long off = offset(ref);
        return Encoding.of(seg.get(ValueLayout.JAVA_BYTE, off + uvarintSize(seg, off, ref)));
    }

    MemorySegment data(long ref, boolean requireXor) throws IOException {
        MemorySegment seg = segment(ref);
        long off = offset(ref);
        int lenSize = uvarintSize(seg, off, ref);
        long len = uvarint(seg, off, lenSize);
        long encPos = off + lenSize;
        long end = encPos + CHUNK_ENCODING_SIZE + len + CRC32_SIZE;
        if (end > seg.byteSize()) throw corrupt(ref, "chunk extends past end of segment");
        int enc = seg.get(ValueLayout.JAVA_BYTE, encPos) & 0xFF;
        CRC32C crc = new CRC32C();
        crc.update(seg.asSlice(encPos, CHUNK_ENCODING_SIZE + len).asByteBuffer());
        int want = seg.get(BE_INT, encPos + CHUNK_ENCODING_SIZE + len);
        if ((int) crc.getValue() != want) throw corrupt(ref, "checksum mismatch");
        if (requireXor && enc != Encoding.XOR.code()) {
            throw corrupt(ref, "unsupported chunk encoding " + Encoding.of(enc) + " (only XOR float chunks are supported)");
        }
        return seg.asSlice(encPos + CHUNK_ENCODING_SIZE, len);
    }

    private MemorySegment segment(long ref) throws IOException {
        int i = segmentIndex(ref);
        if (i < 0 || i >= segments.length) throw corrupt(ref, "segment index out of range [segments=" + segments.length + "]");
        long off = offset(ref);
        if (off < SEGMENT_HEADER_SIZE || off >= segments[i].byteSize()) throw corrupt(ref, "offset out of range");
        return segments[i];
    }

    /** Bytes of the uvarint at {@code off}; throws when it is unterminated. */
    private int uvarintSize(MemorySegment seg, long off, long ref) throws IOException {
        for (int i = 0; i < MAX_CHUNK_LENGTH_FIELD_SIZE && off + i < seg.byteSize(); i++) {
            if ((seg.get(ValueLayout.JAVA_BYTE, off + i) & 0x80) == 0) return i + 1;
        }
        throw corrupt(ref, "bad chunk length");
    }

    private static long uvarint(MemorySegment seg, long off, int size) {
        long x = 0;
        for (int i = 0; i < size; i++) x |= (long) (seg.get(ValueLayout.JAVA_BYTE, off + i) & 0x7F) << (7 * i);
        return x;
    }

    private IOException corrupt(long ref, String what) {
        return new IOException("corrupted chunk: " + what + " [dir=" + dir + ", segment=" + segmentName(segmentIndex(ref))
                + ", offset=" + offset(ref) + "]");
    }
}
