package io.pyrometer.tsdb.chunks;

/**
 * Where a chunk lives and which time range it covers (first and last sample, inclusive), as
 * stored per chunk in a series entry of the index.
 */
public record ChunkMeta(long ref, long minTimeMs, long maxTimeMs) {
    public boolean overlaps(long mint, long maxt) {
        return minTimeMs <= maxt && mint <= maxTimeMs;
    }
}
