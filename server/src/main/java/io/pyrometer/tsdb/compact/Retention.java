package io.pyrometer.tsdb.compact;

import io.pyrometer.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which blocks retention deletes ({@code BeyondTimeRetention}, {@code BeyondSizeRetention}):
 * blocks are walked newest first; by time, every block whose max time is at least
 * {@code retention.time} behind the newest block's max time (the newest is never deleted by time);
 * by size, every block from the first one that pushes the running total (starting at the WAL and
 * head chunk size the caller passes) above {@code retention.size}.
 */
public final class Retention {
    private Retention() {}

    /** A block as retention sees it. */
    public record BlockInfo(BlockMeta meta, long sizeBytes) {}

    /** ULIDs beyond time retention; {@code retentionMs <= 0} disables it. */
    public static Set<String> beyondTime(List<BlockInfo> blocks, long retentionMs) {
        Set<String> out = new LinkedHashSet<>();
        if (blocks.isEmpty() || retentionMs <= 0) return out;
        List<BlockInfo> bs = newestFirst(blocks);
        long newestMax = bs.getFirst().meta().maxTimeMs();
        for (int i = 1; i < bs.size(); i++) {
            if (newestMax - bs.get(i).meta().maxTimeMs() >= retentionMs) {
                for (BlockInfo b : bs.subList(i, bs.size())) out.add(b.meta().ulid());
                break;
            }
        }
        return out;
    }

    /** ULIDs beyond size retention; {@code maxBytes <= 0} disables it. */
    public static Set<String> beyondSize(List<BlockInfo> blocks, long maxBytes, long walAndHeadBytes) {
        Set<String> out = new LinkedHashSet<>();
        if (blocks.isEmpty() || maxBytes <= 0) return out;
        List<BlockInfo> bs = newestFirst(blocks);
        long total = walAndHeadBytes;
        for (int i = 0; i < bs.size(); i++) {
            total += bs.get(i).sizeBytes();
            if (total > maxBytes) {
                for (BlockInfo b : bs.subList(i, bs.size())) out.add(b.meta().ulid());
                break;
            }
        }
        return out;
    }

    /** The union of both rules. */
    public static Set<String> deletable(List<BlockInfo> blocks, long retentionMs, long maxBytes, long walAndHeadBytes) {
        Set<String> out = beyondTime(blocks, retentionMs);
        out.addAll(beyondSize(blocks, maxBytes, walAndHeadBytes));
        return out;
    }

    private static List<BlockInfo> newestFirst(List<BlockInfo> blocks) {
        List<BlockInfo> bs = new ArrayList<>(blocks);
        bs.sort(Comparator.comparingLong((BlockInfo b) -> b.meta().minTimeMs()).reversed());
        return bs;
    }
}
