package io.pyrometer.config;

/**
 * The {@code storage:} section.
 *
 * @param outOfOrderTimeWindowMs {@code tsdb.out_of_order_time_window}; 0 = out-of-order samples rejected
 * @param retentionTimeMs        {@code tsdb.retention.time}; 0 = use the command-line flag
 * @param retentionSizeBytes     {@code tsdb.retention.size}; 0 = use the command-line flag
 * @param maxExemplars           {@code exemplars.max_exemplars}; 0 or less disables exemplar storage
 */
public record StorageConfig(long outOfOrderTimeWindowMs, long retentionTimeMs, long retentionSizeBytes, long maxExemplars) {
    public static final long DEFAULT_MAX_EXEMPLARS = 100_000;
    public static final StorageConfig DEFAULT = new StorageConfig(0, 0, 0, DEFAULT_MAX_EXEMPLARS);
}
