package io.pyrometer.tsdb.head;

import java.util.List;

/**
 * The four top-N cardinality lists of {@code /api/v1/status/tsdb}, computed as Prometheus's
 * {@code MemPostings.Stats}: series per metric name, distinct values per label name, bytes of
 * values per label name (value length times series count) and series per label pair.
 */
public record CardinalityStats(List<Stat> seriesCountByMetricName, List<Stat> labelValueCountByLabelName,
                               List<Stat> memoryInBytesByLabelName, List<Stat> seriesCountByLabelValuePair) {
    /** A name and a count. */
    public record Stat(String name, long value) {}
}
