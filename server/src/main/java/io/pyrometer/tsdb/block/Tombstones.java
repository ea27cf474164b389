package io.pyrometer.tsdb.block;

import io.pyrometer.tsdb.index.Encbuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Deleted time ranges per series of a block (see {@code server/docs/format/tombstones.md}).
 * Mutable while being built (compaction, delete API); a block's loaded instance is not modified.
 */
public final class Tombstones {
    public static final String TOMBSTONES_FILENAME = "tombstones";
    public static final int MAGIC_TOMBSTONE = 0x0130BA30;
    public static final int TOMBSTONE_FORMAT_V1 = 1;
    public static final int TOMBSTONES_HEADER_SIZE = 5;
    public static final int TOMBSTONES_CRC_SIZE = 4;

    private final TreeMap<Long, Intervals> bySeries = new TreeMap<>();

    /** Adds the inclusive range {@code [mint, maxt]} to the series {@code ref}, merging overlaps. */
    public void add(long ref, long mint, long maxt) {
        bySeries.merge(ref, Intervals.of(mint, maxt), Intervals::union);
    }

    /** The deleted ranges of series {@code ref} ({@link Intervals#NONE} when none). */
    public Intervals get(long ref) {
        Intervals i = bySeries.get(ref);
        return i == null ? Intervals.NONE : i;
    }

    public boolean isEmpty() { return bySeries.isEmpty(); }

    /** Number of intervals, as meta.json's {@code numTombstones} counts them. */
    public long count() {
        long n = 0;
        for (Intervals i : bySeries.values()) n += i.size();
        return n;
    }

    public Map<Long, Intervals> asMap() { return java.util.Collections.unmodifiableMap(bySeries); }

    /** Reads {@code <blockDir>/tombstones}; a missing file means no tombstones. */
    public static Tombstones read(Path blockDir) throws IOException {
        Path f = blockDir.resolve(TOMBSTONES_FILENAME);
        byte[] b;
        try {
            b = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return new Tombstones();
        }
        if (b.length < TOMBSTONES_HEADER_SIZE + TOMBSTONES_CRC_SIZE) throw new IOException("tombstones header: invalid size " + b.length + " in " + f);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        int magic = bb.getInt(0);
        if (magic != MAGIC_TOMBSTONE) throw new IOException("invalid magic number " + Integer.toHexString(magic) + " in " + f);
        if (b[4] != TOMBSTONE_FORMAT_V1) throw new IOException("invalid tombstone format " + b[4] + " in " + f);
        int end = b.length - TOMBSTONES_CRC_SIZE;
        CRC32C crc = new CRC32C();
        crc.update(b, TOMBSTONES_HEADER_SIZE, end - TOMBSTONES_HEADER_SIZE);
        if ((int) crc.getValue() != bb.getInt(end)) throw new IOException("checksum did not match in " + f);
        Tombstones t = new Tombstones();
        int[] pos = {TOMBSTONES_HEADER_SIZE};
        while (pos[0] < end) {
            long ref = uvarint(b, pos, end, f);
            long mint = zigzag(uvarint(b, pos, end, f));
            long maxt = zigzag(uvarint(b, pos, end, f));
            t.add(ref, mint, maxt);
        }
        return t;
    }

    /** Writes {@code <blockDir>/tombstones} atomically; returns its size. */
    public long write(Path blockDir) throws IOException {
        Encbuf e = new Encbuf();
        e.putBE32(MAGIC_TOMBSTONE).putByte(TOMBSTONE_FORMAT_V1);
        for (var en : bySeries.entrySet()) {
            Intervals iv = en.getValue();
            for (int i = 0; i < iv.size(); i++) e.putUvarint(en.getKey()).putVarint(iv.mint(i)).putVarint(iv.maxt(i));
        }
        e.putCrc32c(TOMBSTONES_HEADER_SIZE);
        Path tmp = blockDir.resolve(TOMBSTONES_FILENAME + ".tmp");
        byte[] bytes = Arrays.copyOf(e.array(), e.len());
        FsUtil.writeSynced(tmp, bytes);
        FsUtil.replace(tmp, blockDir.resolve(TOMBSTONES_FILENAME));
        return bytes.length;
    }

    private static long uvarint(byte[] b, int[] pos, int end, Path f) throws IOException {
        long x = 0;
        for (int shift = 0; shift < 70 && pos[0] < end; shift += 7) {
            int v = b[pos[0]++] & 0xFF;
            if (v < 0x80) return x | ((long) v << shift);
            x |= (long) (v & 0x7F) << shift;
        }
        throw new IOException("corrupted tombstones: truncated varint at byte " + pos[0] + " in " + f);
    }

    private static long zigzag(long ux) {
        return (ux >>> 1) ^ -(ux & 1);
    }
}
