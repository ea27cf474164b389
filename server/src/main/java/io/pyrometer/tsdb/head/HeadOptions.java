package io.pyrometer.tsdb.head;

/**
 * Settings of the head.
 *
 * @param chunkRangeMs           the block range the head chunks align to (Prometheus: 2h)
 * @param samplesPerChunk        target samples per chunk (Prometheus: 120; a chunk is cut at twice that at the latest)
 * @param outOfOrderTimeWindowMs how far behind the newest sample late samples are still accepted; 0 disables
 * @param stripeSize             lock stripes of the series map (power of two)
 * @param chunkFileSizeBytes     maximum size of one head chunks file
 * @param walSegmentSizeBytes    maximum size of one WAL segment
 * @param walSyncOnCommit        fsync the WAL on every commit (survives power loss, costs an fsync per commit)
 */
public record HeadOptions(long chunkRangeMs, int samplesPerChunk, long outOfOrderTimeWindowMs, int stripeSize,
                          long chunkFileSizeBytes, long walSegmentSizeBytes, boolean walSyncOnCommit) {
    public static final long DEFAULT_CHUNK_RANGE_MS = 2 * 3600_000L;
    public static final int DEFAULT_SAMPLES_PER_CHUNK = 120;
    public static final int DEFAULT_STRIPE_SIZE = 16384;

    public HeadOptions {
        if (chunkRangeMs <= 0) throw new IllegalArgumentException("chunk range must be positive [chunkRangeMs=" + chunkRangeMs + "]");
        if (samplesPerChunk < 4 || samplesPerChunk > 30000) throw new IllegalArgumentException("samples per chunk out of range [samplesPerChunk=" + samplesPerChunk + "]");
        if (outOfOrderTimeWindowMs < 0) throw new IllegalArgumentException("out-of-order window must not be negative [outOfOrderTimeWindowMs=" + outOfOrderTimeWindowMs + "]");
    }

    public static HeadOptions defaults() {
        return new HeadOptions(DEFAULT_CHUNK_RANGE_MS, DEFAULT_SAMPLES_PER_CHUNK, 0, DEFAULT_STRIPE_SIZE,
                HeadChunkFiles.MAX_HEAD_CHUNK_FILE_SIZE, io.pyrometer.tsdb.wal.Wal.DEFAULT_SEGMENT_SIZE, false);
    }

    public HeadOptions withOutOfOrderTimeWindowMs(long ms) {
        return new HeadOptions(chunkRangeMs, samplesPerChunk, ms, stripeSize, chunkFileSizeBytes, walSegmentSizeBytes, walSyncOnCommit);
    }

    public HeadOptions withStripeSize(int stripes) {
        return new HeadOptions(chunkRangeMs, samplesPerChunk, outOfOrderTimeWindowMs, stripes, chunkFileSizeBytes, walSegmentSizeBytes, walSyncOnCommit);
    }

    public HeadOptions withWalSegmentSizeBytes(long bytes) {
        return new HeadOptions(chunkRangeMs, samplesPerChunk, outOfOrderTimeWindowMs, stripeSize, chunkFileSizeBytes, bytes, walSyncOnCommit);
    }
}
