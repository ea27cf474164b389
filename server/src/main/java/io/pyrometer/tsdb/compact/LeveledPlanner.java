package io.pyrometer.tsdb.compact;

import io.pyrometer.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Prometheus's leveled compaction plan ({@code LeveledCompactor.plan}), as a pure function of the
 * block metas so it is tested without files: first any overlapping blocks (vertical compaction);
 * else, leaving out the newest block, the first range level (6h, 18h, …) whose aligned window is
 * full or lies before the newest block and holds more than one block; else one big block whose
 * tombstones cover more than 5% of its series.
 */
public final class LeveledPlanner {
    static final long HOUR_MS = 3_600_000L;
    /** Prometheus's {@code DefaultBlockDuration}. */
    public static final long DEFAULT_BLOCK_DURATION_MS = 2 * HOUR_MS;
    /** Upper bound of a block's range when no retention makes it smaller. */
    public static final long DEFAULT_MAX_BLOCK_DURATION_MS = 31 * 24 * HOUR_MS;

    private final long[] ranges;

    public LeveledPlanner(long[] ranges) {
        if (ranges.length == 0) throw new IllegalArgumentException("at least one block range is required");
        this.ranges = ranges.clone();
    }

    /** {@code minSize, minSize*stepSize, …} ({@code steps} values), like {@code ExponentialBlockRanges}. */
    public static long[] exponentialRanges(long minSize, int steps, int stepSize) {
        long[] out = new long[steps];
        long cur = minSize;
        for (int i = 0; i < steps; i++) {
            out[i] = cur;
            cur *= stepSize;
        }
        return out;
    }

    /**
     * Prometheus's defaults: 2h ×3 over 10 steps, cut at the max block duration = 10% of the time
     * retention when that is below 31 days (retention 0 = unlimited).
     */
    public static long[] defaultRanges(long retentionMs) {
        long max = DEFAULT_MAX_BLOCK_DURATION_MS;
        if (retentionMs > 0 && retentionMs / 10 < max) max = retentionMs / 10;
        long[] r = exponentialRanges(DEFAULT_BLOCK_DURATION_MS, 10, 3);
        int n = 0;
        while (n < r.length && r[n] <= max) n++;
        return java.util.Arrays.copyOf(r, Math.max(n, 1));
    }

    public long[] ranges() { return ranges.clone(); }

    /** The blocks to compact together next, sorted by min time; empty when there is nothing to do. */
    public List<BlockMeta> plan(List<BlockMeta> blocks) {
        List<BlockMeta> ds = new ArrayList<>(blocks);
        ds.sort(Comparator.comparingLong(BlockMeta::minTimeMs));
        List<BlockMeta> overlapping = selectOverlapping(ds);
        if (!overlapping.isEmpty()) return overlapping;
        if (ds.isEmpty()) return List.of();
        // Leave out the newest block: users get a full block range to back it up before it is merged.
        ds = ds.subList(0, ds.size() - 1);
        List<BlockMeta> sel = selectDirs(ds);
        if (!sel.isEmpty()) return sel;
        for (int i = ds.size() - 1; i >= 0; i--) {
            BlockMeta m = ds.get(i);
            long n = m.stats().numTombstones(), series = m.stats().numSeries();
            if (m.maxTimeMs() - m.minTimeMs() < ranges[ranges.length / 2]) {
                if (n > 0 && n >= series) return List.of(m); // entirely deleted
                break;
            }
            if ((double) n / (series + 1) > 0.05) return List.of(m);
        }
        return List.of();
    }

    private List<BlockMeta> selectDirs(List<BlockMeta> ds) {
        if (ranges.length < 2 || ds.isEmpty()) return List.of();
        long highTime = ds.getLast().minTimeMs();
        for (int r = 1; r < ranges.length; r++) {
            long iv = ranges[r];
            outer:
            for (List<BlockMeta> p : splitByRange(ds, iv)) {
                for (BlockMeta m : p) if (m.compaction().failed()) continue outer;
                long mint = p.getFirst().minTimeMs(), maxt = p.getLast().maxTimeMs();
                if ((maxt - mint == iv || maxt <= highTime) && p.size() > 1) return p;
            }
        }
        return List.of();
    }

    static List<BlockMeta> selectOverlapping(List<BlockMeta> ds) {
        List<BlockMeta> out = new ArrayList<>();
        if (ds.size() < 2) return out;
        long globalMaxt = ds.getFirst().maxTimeMs();
        for (int i = 1; i < ds.size(); i++) {
            BlockMeta d = ds.get(i);
            if (d.minTimeMs() < globalMaxt) {
                if (out.isEmpty()) out.add(ds.get(i - 1));
                out.add(d);
            } else if (!out.isEmpty()) {
                break;
            }
            globalMaxt = Math.max(globalMaxt, d.maxTimeMs());
        }
        return out;
    }

    /** Groups blocks into aligned windows of size {@code tr}; blocks wider than their window are skipped. */
    static List<List<BlockMeta>> splitByRange(List<BlockMeta> ds, long tr) {
        List<List<BlockMeta>> out = new ArrayList<>();
        for (int i = 0; i < ds.size(); ) {
            BlockMeta m = ds.get(i);
            long t0 = m.minTimeMs() >= 0 ? tr * (m.minTimeMs() / tr) : tr * ((m.minTimeMs() - tr + 1) / tr);
            if (m.maxTimeMs() > t0 + tr) {
                i++;
                continue;
            }
            List<BlockMeta> group = new ArrayList<>();
            for (; i < ds.size(); i++) {
                if (ds.get(i).maxTimeMs() > t0 + tr) break;
                group.add(ds.get(i));
            }
            if (!group.isEmpty()) out.add(group);
        }
        return out;
    }
}
