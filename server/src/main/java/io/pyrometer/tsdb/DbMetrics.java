package io.pyrometer.tsdb;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.SelfMetricFamily;
import io.pyrometer.tsdb.head.Head;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The TSDB's self-metrics under Prometheus's names, registered on the registry given in
 * {@link DbOptions#registry()} (never the default one). Most are callbacks reading the counters
 * the head and DB keep anyway, so the append path pays nothing for them.
 */
final class DbMetrics {
    final LongAdder compactions = new LongAdder();
    final LongAdder compactionsFailed = new LongAdder();
    final LongAdder timeRetentions = new LongAdder();
    final LongAdder sizeRetentions = new LongAdder();
    private final Summary fsync;
    private final Histogram tombstoneCleanup;

    DbMetrics(PrometheusRegistry registry) {
        fsync = Summary.builder().name("prometheus_tsdb_wal_fsync_duration_seconds")
                .help("Duration of write log fsync.")
                .quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001)
                .build();
        // Prometheus's DefBuckets, which client_java's classic defaults equal
        tombstoneCleanup = Histogram.builder().name("prometheus_tsdb_tombstone_cleanup_seconds")
                .help("The time taken to recompact blocks to remove tombstones.")
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).classicOnly()
                .build();
        if (registry != null) {
            registry.register(fsync);
            registry.register(tombstoneCleanup);
        }
    }

    void observeTombstoneCleanupNanos(long nanos) { tombstoneCleanup.observe(nanos / 1e9); }

    void observeFsyncNanos(long nanos) { fsync.observe(nanos / 1e9); }

    void register(PrometheusRegistry r, DB db) {
        if (r == null) return;
        Head h = db.head();
        gauge(r, "prometheus_tsdb_head_series", "Total number of series in the head block.", h::numSeries);
        gauge(r, "prometheus_tsdb_head_chunks", "Total number of chunks in the head block.", h::numChunks);
        gauge(r, "prometheus_tsdb_head_min_time", "Minimum time bound of the head block.", () -> emptyAsZero(h.minTime()));
        gauge(r, "prometheus_tsdb_head_max_time", "Maximum timestamp of the head block.", () -> emptyAsZero(h.maxTime()));
        gauge(r, "pyrometer_tsdb_head_open_chunk_bytes", "Bytes of the head's open chunks, rounded up to their arena slots.", h::openChunkBytes);
        gauge(r, "pyrometer_tsdb_head_chunk_arena_bytes", "Heap bytes the open chunks' arena holds, free slots and spare slabs included.", h::openChunkArenaBytes);
        gauge(r, "prometheus_tsdb_blocks_loaded", "Number of currently loaded data blocks.", db::numBlocks);
        gauge(r, "prometheus_tsdb_storage_blocks_bytes", "The number of bytes that are currently used for local storage by all blocks.", db::blocksBytes);
        gauge(r, "prometheus_tsdb_wal_storage_size_bytes", "Size of the write log directory and head chunks.", h::diskBytes);
        gauge(r, "prometheus_tsdb_lowest_timestamp", "Lowest timestamp value stored in the database.", () -> emptyAsZero(db.startTimeMs()));
        typed(r, "prometheus_tsdb_head_samples_appended_total", "Total number of appended samples.", h::samplesAppendedTotal);
        typed(r, "prometheus_tsdb_out_of_order_samples_total", "Total number of out of order samples ingestion failed attempts due to out of order being disabled.", h::outOfOrderSamplesTotal);
        typed(r, "prometheus_tsdb_head_out_of_order_samples_appended_total", "Total number of appended out of order samples.", h::outOfOrderSamplesAppendedTotal);
        typed(r, "prometheus_tsdb_out_of_bound_samples_total", "Total number of out of bound samples ingestion failed attempts with out of order support disabled.", h::outOfBoundSamplesTotal);
        typed(r, "prometheus_tsdb_too_old_samples_total", "Total number of out of order samples ingestion failed attempts with out of support enabled, but sample outside of time window.", h::tooOldSamplesTotal);
        typed(r, "prometheus_tsdb_duplicate_samples_total", "Total number of samples rejected for a duplicate timestamp with a different value.", h::duplicateSamplesTotal);
        typed(r, "prometheus_tsdb_storage_full_samples_total", "Total number of samples not stored because a write to disk failed.", h::storageFullSamplesTotal);
        // prometheus_tsdb_head_{series,chunks}_created_total: see unregistrable()
        counter(r, "prometheus_tsdb_head_series_removed_total", "Total number of series removed in the head", h::seriesRemovedTotal);
        counter(r, "prometheus_tsdb_head_chunks_removed_total", "Total number of chunks removed in the head", h::chunksRemovedTotal);
        counter(r, "prometheus_tsdb_wal_corruptions_total", "Total number of WAL corruptions.", h::walCorruptionsTotal);
        counter(r, "prometheus_tsdb_mmap_chunk_corruptions_total", "Total number of memory-mapped chunk corruptions.", h::mmapChunkCorruptionsTotal);
        gauge(r, "prometheus_tsdb_wal_segment_current", "Write log segment index that TSDB is currently writing to.", h::walSegmentCurrent);
        counter(r, "prometheus_tsdb_wal_truncations_total", "Total number of write log truncations attempted.", h::walTruncationsTotal);
        counter(r, "prometheus_tsdb_compactions_total", "Total number of compactions that were executed for the partition.", compactions::sum);
        counter(r, "prometheus_tsdb_compactions_failed_total", "Total number of compactions that failed for the partition.", compactionsFailed::sum);
        counter(r, "prometheus_tsdb_time_retentions_total", "The number of times that blocks were deleted because the maximum time limit was exceeded.", timeRetentions::sum);
        counter(r, "prometheus_tsdb_size_retentions_total", "The number of times that blocks were deleted because the maximum number of bytes was exceeded.", sizeRetentions::sum);
    }

    /**
     * Prometheus's head counters whose names client_java refuses (they end in {@code _created}
     * once {@code _total} is stripped); the web layer writes them on /metrics beside the registry.
     */
    static List<SelfMetricFamily> unregistrable(Head h) {
        return List.of(
                SelfMetricFamily.counter("prometheus_tsdb_head_series_created_total", "Total number of series created in the head", h::seriesCreatedTotal),
                SelfMetricFamily.counter("prometheus_tsdb_head_chunks_created_total", "Total number of chunks created in the head", h::chunksCreatedTotal));
    }

    private static double emptyAsZero(long t) {
        return t == Long.MAX_VALUE || t == Long.MIN_VALUE ? 0 : t;
    }

    private static void gauge(PrometheusRegistry r, String name, String help, DoubleSupplier f) {
        r.register(GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(f.getAsDouble())).build());
    }

    private static void counter(PrometheusRegistry r, String name, String help, DoubleSupplier f) {
        r.register(CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(f.getAsDouble())).build());
    }

    private static void typed(PrometheusRegistry r, String name, String help, DoubleSupplier f) {
        r.register(CounterWithCallback.builder().name(name).help(help).labelNames("type").callback(cb -> cb.call(f.getAsDouble(), "float")).build());
    }
}
