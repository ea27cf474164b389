package io.pyrometer.tsdb;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.tsdb.head.HeadChunkFiles;
import io.pyrometer.tsdb.head.HeadOptions;
import io.pyrometer.tsdb.wal.Wal;

/**
 * Settings of a {@link DB}, named after Prometheus's flags where one exists.
 *
 * @param retentionMs            {@code --storage.tsdb.retention.time}: blocks entirely older than this behind the newest sample are deleted (default 15d)
 * @param retentionBytes         {@code --storage.tsdb.retention.size}: oldest blocks are deleted while blocks + WAL + head chunks exceed this; 0 disables
 * @param blockRangeMs           the head is cut into blocks of this range (2h)
 * @param outOfOrderTimeWindowMs {@code storage.tsdb.out_of_order_time_window}; 0 rejects late samples
 * @param walSegmentSizeBytes    maximum WAL segment size (128 MiB)
 * @param walSyncOnCommit        fsync the WAL on every commit (default off, as Prometheus: commits survive a process crash, not a power loss)
 * @param stripeSize             lock stripes of the series map
 * @param maintenanceIntervalMs  how often the background thread checks for head compaction and retention
 * @param registry               where self-metrics are registered, or null for none
 */
public record DbOptions(long retentionMs, long retentionBytes, long blockRangeMs, long outOfOrderTimeWindowMs,
                        long walSegmentSizeBytes, boolean walSyncOnCommit, int stripeSize, long maintenanceIntervalMs,
                        PrometheusRegistry registry) {
    public static final long DEFAULT_RETENTION_MS = 15L * 24 * 3600_000;
    public static final long DEFAULT_BLOCK_RANGE_MS = 2 * 3600_000L;

    public DbOptions {
        if (retentionMs < 0 || retentionBytes < 0) throw new IllegalArgumentException("retention must not be negative [time=" + retentionMs + "ms, size=" + retentionBytes + "B]");
        if (blockRangeMs <= 0) throw new IllegalArgumentException("block range must be positive [blockRangeMs=" + blockRangeMs + "]");
    }

    public static DbOptions defaults() {
        return new DbOptions(DEFAULT_RETENTION_MS, 0, DEFAULT_BLOCK_RANGE_MS, 0, Wal.DEFAULT_SEGMENT_SIZE, false,
                HeadOptions.DEFAULT_STRIPE_SIZE, 60_000, null);
    }

    public DbOptions withRegistry(PrometheusRegistry r) {
        return new DbOptions(retentionMs, retentionBytes, blockRangeMs, outOfOrderTimeWindowMs, walSegmentSizeBytes, walSyncOnCommit, stripeSize, maintenanceIntervalMs, r);
    }

    public DbOptions withRetention(long ms, long bytes) {
        return new DbOptions(ms, bytes, blockRangeMs, outOfOrderTimeWindowMs, walSegmentSizeBytes, walSyncOnCommit, stripeSize, maintenanceIntervalMs, registry);
    }

    public DbOptions withOutOfOrderTimeWindowMs(long ms) {
        return new DbOptions(retentionMs, retentionBytes, blockRangeMs, ms, walSegmentSizeBytes, walSyncOnCommit, stripeSize, maintenanceIntervalMs, registry);
    }

    public DbOptions withWalSegmentSizeBytes(long bytes) {
        return new DbOptions(retentionMs, retentionBytes, blockRangeMs, outOfOrderTimeWindowMs, bytes, walSyncOnCommit, stripeSize, maintenanceIntervalMs, registry);
    }

    public DbOptions withStripeSize(int stripes) {
        return new DbOptions(retentionMs, retentionBytes, blockRangeMs, outOfOrderTimeWindowMs, walSegmentSizeBytes, walSyncOnCommit, stripes, maintenanceIntervalMs, registry);
    }

    public DbOptions withMaintenanceIntervalMs(long ms) {
        return new DbOptions(retentionMs, retentionBytes, blockRangeMs, outOfOrderTimeWindowMs, walSegmentSizeBytes, walSyncOnCommit, stripeSize, ms, registry);
    }

    public DbOptions withBlockRangeMs(long ms) {
        return new DbOptions(retentionMs, retentionBytes, ms, outOfOrderTimeWindowMs, walSegmentSizeBytes, walSyncOnCommit, stripeSize, maintenanceIntervalMs, registry);
    }

    HeadOptions headOptions() {
        return new HeadOptions(blockRangeMs, HeadOptions.DEFAULT_SAMPLES_PER_CHUNK, outOfOrderTimeWindowMs, stripeSize,
                HeadChunkFiles.MAX_HEAD_CHUNK_FILE_SIZE, walSegmentSizeBytes, walSyncOnCommit);
    }
}
