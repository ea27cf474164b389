package io.pyrometer.tsdb.wal;

import static io.pyrometer.tsdb.wal.Wal.PAGE_SIZE;
import static io.pyrometer.tsdb.wal.Wal.RECORD_HEADER_SIZE;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads the records of WAL segments in order, reassembling fragments and checking each CRC.
 * The first problem found (torn record, bad CRC, unknown type, garbage) stops reading and is
 * returned as a {@link Corruption}: the caller decides how to repair (see {@link WalRepair}).
 */
public final class WalReader {
    /** Receives each whole record; {@code rec} is reused and valid only during the call. */
    @FunctionalInterface
    public interface RecordHandler {
        void record(byte[] rec, int len, int segment);
    }

    /**
     * Where reading stopped early.
     *
     * @param segment   index of the damaged segment
     * @param goodBytes length of the segment's prefix holding whole, valid records
     * @param reason    what was wrong, for the log
     */
    public record Corruption(Path dir, int segment, long goodBytes, String reason) {}

    /** Record type flag of Snappy-compressed fragments (Prometheus's {@code snappyMask}). */
    static final int SNAPPY_MASK = 1 << 3;

    private final CRC32C crc = new CRC32C();
    private byte[] plain = new byte[PAGE_SIZE];
    private final int[] plainLen = new int[1];
    private byte[] rec = new byte[PAGE_SIZE];
    private int recLen;
    private long records;

    /** Number of whole records delivered so far. */
    public long records() { return records; }

    /**
     * Reads the given segments of {@code dir} in order. Returns null when all were read cleanly,
     * else where the first corruption is; records before it were delivered.
     */
    public Corruption read(Path dir, List<Integer> segments, RecordHandler handler) throws IOException {
        for (int seg : segments) {
            Corruption c = readSegment(dir, seg, handler);
            if (c != null) return c;
        }
        return null;
    }

    private Corruption readSegment(Path dir, int seg, RecordHandler handler) throws IOException {
        Path p = dir.resolve(Wal.Segments.name(seg));
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) return null;
            if (size > Integer.MAX_VALUE) return new Corruption(dir, seg, 0, "segment larger than 2 GiB");
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return parse(dir, seg, b, (int) size, handler);
        }
    }

    private Corruption parse(Path dir, int seg, MappedByteBuffer b, int size, RecordHandler handler) {
        int pos = 0;
        long good = 0;
        recLen = -1; // -1: not inside a fragmented record
        while (pos < size) {
            int pageEnd = (pos / PAGE_SIZE + 1) * PAGE_SIZE;
            int left = pageEnd - pos;
            int type = b.get(pos) & 0xFF;
            if (left < RECORD_HEADER_SIZE || type == Wal.REC_PAGE_TERM) {
                int end = Math.min(pageEnd, size);
                for (int i = pos; i < end; i++) {
                    if (b.get(i) != 0) return new Corruption(dir, seg, good, "non-zero byte in page padding at offset " + i);
                }
                pos = end;
                continue;
            }
            int flags = type & ~0x7;
            type &= 0x7;
            if ((flags & ~SNAPPY_MASK) != 0) {
                return new Corruption(dir, seg, good, "unsupported record flags " + flags + " at offset " + pos + " (zstd-compressed WAL is not supported; use snappy or none)");
            }
            if (pos + RECORD_HEADER_SIZE > size) return new Corruption(dir, seg, good, "torn record header at offset " + pos);
            int len = ((b.get(pos + 1) & 0xFF) << 8) | (b.get(pos + 2) & 0xFF);
            int want = b.getInt(pos + 3);
            int dataStart = pos + RECORD_HEADER_SIZE;
            if (len > left - RECORD_HEADER_SIZE) return new Corruption(dir, seg, good, "record length " + len + " exceeds page at offset " + pos);
            if (dataStart + len > size) return new Corruption(dir, seg, good, "torn record at offset " + pos + " (unexpected end of segment)");
            if (recLen < 0 ? (type == Wal.REC_MIDDLE || type == Wal.REC_LAST) : (type == Wal.REC_FULL || type == Wal.REC_FIRST)) {
                return new Corruption(dir, seg, good, "unexpected record type " + type + " at offset " + pos);
            }
            if (type > Wal.REC_LAST) return new Corruption(dir, seg, good, "invalid record type " + type + " at offset " + pos);
            int at = Math.max(recLen, 0);
            if (at + len > rec.length) rec = Arrays.copyOf(rec, Math.max(rec.length * 2, at + len));
            b.get(dataStart, rec, at, len);
            crc.reset();
            crc.update(rec, at, len);
            if ((int) crc.getValue() != want) return new Corruption(dir, seg, good, "record CRC mismatch at offset " + pos);
            pos = dataStart + len;
            recLen = at + len;
            if (type == Wal.REC_FULL || type == Wal.REC_LAST) {
                if (flags != 0) {
                    try {
                        plain = Snappy.decode(rec, recLen, plain, plainLen);
                    } catch (Snappy.SnappyException e) {
                        return new Corruption(dir, seg, good, e.getMessage() + " in record ending at offset " + pos);
                    }
                    handler.record(plain, plainLen[0], seg);
                } else {
                    handler.record(rec, recLen, seg);
                }
                records++;
                recLen = -1;
                good = pos;
            }
        }
        if (recLen >= 0) return new Corruption(dir, seg, good, "record split across segment end");
        return null;
    }
}
