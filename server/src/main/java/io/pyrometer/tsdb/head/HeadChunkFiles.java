package io.pyrometer.tsdb.head;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The head chunks files ({@code chunks_head/000001}, …): full head chunks written once and read
 * back through memory maps, so the heap holds only each series' open chunk. Byte-compatible with
 * Prometheus's {@code tsdb/chunks/head_chunks.go}; layout in {@code docs/format/head_chunks.md}.
 *
 * <p>A chunk reference is {@code fileSeq << 32 | offset}. Writes are serialised by {@link #writeLock};
 * reads are lock-free on an immutable mapping of the file prefix known to hold whole chunks, remapped
 * (never unmapped while in use: {@link Arena#ofAuto()} frees a mapping when no chunk views it) when
 * a read needs bytes beyond it. Rejected alternative: mapping the maximum file size up front, which
 * needs a sparse pre-allocated file and breaks size-based retention accounting.
 */
public final class HeadChunkFiles implements AutoCloseable {
    public static final int MAGIC_HEAD_CHUNKS = 0x0130BC91;
    public static final int CHUNKS_FORMAT_V1 = 1;
    public static final int HEAD_CHUNK_FILE_HEADER_SIZE = 8;
    public static final int SERIES_REF_SIZE = 8;
    public static final int MINT_MAXT_SIZE = 8;
    public static final int ENCODING_SIZE = 1;
    public static final int CRC_SIZE = 4;
    /** Bytes before the uvarint data length: series ref, mint, maxt, encoding. */
    public static final int CHUNK_PREFIX_SIZE = SERIES_REF_SIZE + 2 * MINT_MAXT_SIZE + ENCODING_SIZE;
    public static final long MAX_HEAD_CHUNK_FILE_SIZE = 128L * 1024 * 1024;
    /** Set in the encoding byte of out-of-order chunks, as Prometheus's {@code OutOfOrderMask}. */
    public static final int OUT_OF_ORDER_MASK = 0x80;
    public static final int ENCODING_XOR = 1;

    private static final System.Logger LOG = System.getLogger(HeadChunkFiles.class.getName());
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Path dir;
    private final long maxFileSize;
    private final ConcurrentHashMap<Integer, ChunkFile> files = new ConcurrentHashMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final CRC32C crc = new CRC32C(); // guarded by writeLock
    private byte[] buf = new byte[512];     // guarded by writeLock
    private ChunkFile active;               // guarded by writeLock
    final LongAdder corruptions = new LongAdder();

    /** One file: its channel, the bytes written so far and the newest chunk time in it. */
    private static final class ChunkFile {
        final int seq;
        final Path path;
        final FileChannel ch;
        volatile long size;
        volatile long maxTimeMs = Long.MIN_VALUE;
        volatile MemorySegment map; // covers a prefix of whole chunks; replaced, never shrunk

        ChunkFile(int seq, Path path, FileChannel ch, long size) {
            this.seq = seq;
            this.path = path;
            this.ch = ch;
            this.size = size;
        }
    }

    /** Receives each valid chunk found by {@link #open}. */
    @FunctionalInterface
    public interface ChunkVisitor {
        void chunk(long seriesRef, long chunkRef, long minTimeMs, long maxTimeMs, boolean outOfOrder);
    }

    public HeadChunkFiles(Path dir, long maxFileSize) {
        this.dir = dir;
        this.maxFileSize = maxFileSize;
    }

    public Path dir() { return dir; }

    /**
     * Scans existing files, reporting each valid chunk; a torn or corrupted chunk ends the scan: its
     * file is cut there and later files are deleted (their samples are still in the WAL).
     */
    public void open(ChunkVisitor visitor) throws IOException {
        Files.createDirectories(dir);
        List<Integer> seqs = list();
        boolean cut = false;
        for (int seq : seqs) {
            Path p = dir.resolve(String.format("%06d", seq));
            if (cut) {
                Files.deleteIfExists(p);
                LOG.log(System.Logger.Level.WARNING, "deleted head chunks file after corruption [file={0}]", p);
                continue;
            }
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ChunkFile f = new ChunkFile(seq, p, ch, ch.size());
            long good = scan(f, visitor);
            if (good < f.size) {
                corruptions.increment();
                LOG.log(System.Logger.Level.WARNING, "head chunks file corrupted, cutting at the last good chunk [file={0}, offset={1}, size={2}]",
                        p, String.valueOf(good), String.valueOf(f.size));
                ch.truncate(good);
                f.size = good;
                f.map = null;
                cut = true;
            }
            if (f.maxTimeMs == Long.MIN_VALUE) { // no chunk survived: nothing to keep
                ch.close();
                Files.deleteIfExists(p);
                continue;
            }
            files.put(seq, f);
        }
    }

    private long scan(ChunkFile f, ChunkVisitor visitor) throws IOException {
        if (f.size < HEAD_CHUNK_FILE_HEADER_SIZE) return 0;
        MemorySegment m = f.ch.map(FileChannel.MapMode.READ_ONLY, 0, f.size, Arena.ofAuto());
        if (m.get(BE32, 0) != MAGIC_HEAD_CHUNKS || m.get(ValueLayout.JAVA_BYTE, 4) != CHUNKS_FORMAT_V1) return 0;
        long pos = HEAD_CHUNK_FILE_HEADER_SIZE;
        CRC32C c = new CRC32C();
        while (pos + CHUNK_PREFIX_SIZE + 1 + CRC_SIZE <= f.size) {
            long seriesRef = m.get(BE64, pos);
            long mint = m.get(BE64, pos + 8), maxt = m.get(BE64, pos + 16);
            int enc = m.get(ValueLayout.JAVA_BYTE, pos + 24) & 0xFF;
            long[] lenAndSize = readUvarint(m, pos + CHUNK_PREFIX_SIZE, f.size);
            if (lenAndSize == null || (enc & ~OUT_OF_ORDER_MASK) != ENCODING_XOR) break;
            long dataStart = pos + CHUNK_PREFIX_SIZE + lenAndSize[1];
            long end = dataStart + lenAndSize[0] + CRC_SIZE;
            if (lenAndSize[0] < 2 || end > f.size) break;
            c.reset();
            c.update(m.asSlice(pos, end - CRC_SIZE - pos).asByteBuffer());
            if ((int) c.getValue() != m.get(BE32, end - CRC_SIZE)) break;
            visitor.chunk(seriesRef, (long) f.seq << 32 | pos, mint, maxt, (enc & OUT_OF_ORDER_MASK) != 0);
            if (maxt > f.maxTimeMs) f.maxTimeMs = maxt;
            pos = end;
        }
        f.map = m;
        return pos;
    }

    /** {value, bytes used} or null if the varint runs past {@code limit}. */
    private static long[] readUvarint(MemorySegment m, long pos, long limit) {
        long v = 0;
        for (int shift = 0, i = 0; shift < 64; shift += 7, i++) {
            if (pos + i >= limit) return null;
            int b = m.get(ValueLayout.JAVA_BYTE, pos + i) & 0xFF;
            v |= (long) (b & 0x7F) << shift;
            if (b < 0x80) return new long[] {v, i + 1};
        }
        return null;
    }

    private List<Integer> list() throws IOException {
        List<Integer> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.length() == 6 && n.chars().allMatch(Character::isDigit)) out.add(Integer.parseInt(n));
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Writes one chunk and returns its reference, or -1 when the write failed (disk full): nothing
     * partial is left behind and the caller keeps the chunk in memory.
     */
    public long write(long seriesRef, long minTimeMs, long maxTimeMs, MemorySegment data, boolean outOfOrder) {
        writeLock.lock();
        try {
            int len = (int) data.byteSize();
            int p = encodeHeader(seriesRef, minTimeMs, maxTimeMs, outOfOrder, len);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, buf, p, len);
            return writeEncoded(appendCrc(p + len), maxTimeMs);
        } finally {
            writeLock.unlock();
        }
    }

    /** As {@link #write(long, long, long, MemorySegment, boolean)} for {@code len} bytes of {@code data} from {@code off}. */
    public long write(long seriesRef, long minTimeMs, long maxTimeMs, byte[] data, int off, int len, boolean outOfOrder) {
        writeLock.lock();
        try {
            int p = encodeHeader(seriesRef, minTimeMs, maxTimeMs, outOfOrder, len);
            System.arraycopy(data, off, buf, p, len);
            return writeEncoded(appendCrc(p + len), maxTimeMs);
        } finally {
            writeLock.unlock();
        }
    }

    /** Appends the {@code n} encoded bytes in {@link #buf} to the active file; caller holds {@link #writeLock}. */
    private long writeEncoded(int n, long maxTimeMs) {
        try {
            if (active == null || active.size + n > maxFileSize) cut();
            long pos = active.size;
            try {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                long p = pos;
                while (bb.hasRemaining()) p += active.ch.write(bb, p);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "writing head chunk failed; keeping it in memory [file={0}, err={1}]", active.path, e.toString());
                try {
                    active.ch.truncate(pos);
                } catch (IOException ignored) {
                    // the scan at start-up cuts a torn tail anyway
                }
                return -1;
            }
            active.size = pos + n;
            if (maxTimeMs > active.maxTimeMs) active.maxTimeMs = maxTimeMs;
            return (long) active.seq << 32 | pos;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cutting head chunks file failed [dir={0}, err={1}]", dir, e.toString());
            return -1;
        }
    }

    /** Writes the chunk prefix into {@link #buf} (grown to hold the chunk); returns where the data goes. */
    private int encodeHeader(long seriesRef, long mint, long maxt, boolean ooo, int len) {
        int need = CHUNK_PREFIX_SIZE + 5 + len + CRC_SIZE;
        if (buf.length < need) buf = new byte[Math.max(need, buf.length * 2)];
        int p = 0;
        p = putBE64(buf, p, seriesRef);
        p = putBE64(buf, p, mint);
        p = putBE64(buf, p, maxt);
        buf[p++] = (byte) (ENCODING_XOR | (ooo ? OUT_OF_ORDER_MASK : 0));
        long v = len;
        while (v >= 0x80) {
            buf[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        buf[p++] = (byte) v;
        return p;
    }

    /** Appends the CRC32C of {@code buf[0, p)}; returns the encoded length. */
    private int appendCrc(int p) {
        crc.reset();
        crc.update(buf, 0, p);
        int c = (int) crc.getValue();
        buf[p++] = (byte) (c >>> 24);
        buf[p++] = (byte) (c >>> 16);
        buf[p++] = (byte) (c >>> 8);
        buf[p++] = (byte) c;
        return p;
    }

    private static int putBE64(byte[] b, int p, long v) {
        for (int s = 56; s >= 0; s -= 8) b[p++] = (byte) (v >>> s);
        return p;
    }

    private void cut() throws IOException {
        int seq = active == null ? files.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1 : active.seq + 1;
        if (active != null) active.ch.force(false);
        Path p = dir.resolve(String.format("%06d", seq));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        byte[] header = {(byte) (MAGIC_HEAD_CHUNKS >>> 24), (byte) (MAGIC_HEAD_CHUNKS >>> 16), (byte) (MAGIC_HEAD_CHUNKS >>> 8),
                (byte) MAGIC_HEAD_CHUNKS, CHUNKS_FORMAT_V1, 0, 0, 0};
        try {
            ch.write(ByteBuffer.wrap(header), 0);
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(p);
            throw e;
        }
        ChunkFile f = new ChunkFile(seq, p, ch, HEAD_CHUNK_FILE_HEADER_SIZE);
        files.put(seq, f);
        active = f;
    }

    /** The encoded XOR chunk bytes at {@code ref} (a view into the mapping; do not keep past close). */
    public MemorySegment read(long ref) {
        int seq = (int) (ref >>> 32);
        long off = ref & 0xFFFFFFFFL;
        ChunkFile f = files.get(seq);
        if (f == null) throw new IllegalStateException("head chunk file missing [file=" + String.format("%06d", seq) + ", ref=" + ref + "]");
        MemorySegment m = f.map;
        if (m == null || m.byteSize() < off + CHUNK_PREFIX_SIZE + 5) m = remap(f);
        long[] lv = readUvarint(m, off + CHUNK_PREFIX_SIZE, m.byteSize());
        if (lv == null || off + CHUNK_PREFIX_SIZE + lv[1] + lv[0] > m.byteSize()) {
            m = remap(f);
            lv = readUvarint(m, off + CHUNK_PREFIX_SIZE, m.byteSize());
        }
        if (lv == null) throw new IllegalStateException("head chunk reference beyond file end [ref=" + ref + "]");
        return m.asSlice(off + CHUNK_PREFIX_SIZE + lv[1], lv[0]);
    }

    private static MemorySegment remap(ChunkFile f) {
        synchronized (f) {
            long size = f.size;
            MemorySegment m = f.map;
            if (m != null && m.byteSize() >= size) return m;
            try {
                m = f.ch.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
            } catch (IOException e) {
                throw new IllegalStateException("mapping head chunks file failed [file=" + f.path + "]", e);
            }
            f.map = m;
            return m;
        }
    }

    /** Deletes files whose newest chunk is older than {@code mintMs} (never the active file). */
    public int deleteOlderThan(long mintMs) {
        writeLock.lock();
        try {
            int deleted = 0;
            for (ChunkFile f : List.copyOf(files.values())) {
                if (f == active || f.maxTimeMs >= mintMs) continue;
                files.remove(f.seq);
                try {
                    f.ch.close();
                    Files.deleteIfExists(f.path);
                    deleted++;
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "deleting head chunks file failed [file={0}, err={1}]", f.path, e.toString());
                }
            }
            return deleted;
        } finally {
            writeLock.unlock();
        }
    }

    /** Bytes in all files, for size-based retention. */
    public long sizeBytes() {
        long s = 0;
        for (ChunkFile f : files.values()) s += f.size;
        return s;
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            for (ChunkFile f : files.values()) {
                try {
                    f.ch.force(false);
                    f.ch.close();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "closing head chunks file failed [file={0}, err={1}]", f.path, e.toString());
                }
            }
            files.clear();
            active = null;
        } finally {
            writeLock.unlock();
        }
    }
}
