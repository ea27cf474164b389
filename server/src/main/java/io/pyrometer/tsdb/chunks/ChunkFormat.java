package io.pyrometer.tsdb.chunks;

/** Constants of the block chunk segment format; see {@code server/docs/format/chunks.md}. */
public final class ChunkFormat {
    public static final int MAGIC_CHUNKS = 0x85BD40DD;
    public static final int MAGIC_CHUNKS_SIZE = 4;
    public static final int CHUNKS_FORMAT_V1 = 1;
    public static final int CHUNKS_FORMAT_VERSION_SIZE = 1;
    public static final int SEGMENT_HEADER_PADDING_SIZE = 3;
    public static final int SEGMENT_HEADER_SIZE = MAGIC_CHUNKS_SIZE + CHUNKS_FORMAT_VERSION_SIZE + SEGMENT_HEADER_PADDING_SIZE;
    public static final int CHUNK_ENCODING_SIZE = 1;
    public static final int CRC32_SIZE = 4;
    /** Largest uvarint for a chunk length (Go's {@code binary.MaxVarintLen32}). */
    public static final int MAX_CHUNK_LENGTH_FIELD_SIZE = 5;
    /** Prometheus's {@code DefaultChunkSegmentSize}: 512 MiB. */
    public static final long DEFAULT_SEGMENT_SIZE = 512L * 1024 * 1024;

    private ChunkFormat() {}

    /** {@code segment index << 32 | offset}; the segment index is zero-based ({@code 000001} is 0). */
    public static long chunkRef(int segmentIndex, long offset) {
        return ((long) segmentIndex << 32) | offset;
    }

    public static int segmentIndex(long ref) { return (int) (ref >>> 32); }

    public static long offset(long ref) { return ref & 0xFFFF_FFFFL; }

    /** File name of the segment with zero-based index {@code i}: {@code 000001} for 0. */
    public static String segmentName(int i) {
        return String.format("%06d", i + 1);
    }
}
