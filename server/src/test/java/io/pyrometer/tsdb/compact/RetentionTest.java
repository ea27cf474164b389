package io.pyrometer.tsdb.compact;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.tsdb.block.BlockMeta;
import io.pyrometer.tsdb.compact.Retention.BlockInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {
    static final long H = 3_600_000L;

    static BlockInfo b(String id, long mint, long maxt, long size) {
        return new BlockInfo(new BlockMeta(id, mint, maxt, BlockMeta.Stats.EMPTY, BlockMeta.Compaction.level1(id), 1), size);
    }

    final List<BlockInfo> blocks = List.of(
            b("old", 0, 2 * H, 100), b("mid", 2 * H, 4 * H, 100), b("new", 4 * H, 6 * H, 100), b("newest", 6 * H, 8 * H, 100));

    @Test
    void timeRetentionMeasuresFromTheNewestBlocksMaxTime() {
        // newest max = 8h; "mid" ends at 4h: exactly 4h behind -> deleted with everything older
        assertThat(Retention.beyondTime(blocks, 4 * H)).containsExactly("mid", "old");
        assertThat(Retention.beyondTime(blocks, 4 * H + 1)).containsExactly("old");
        assertThat(Retention.beyondTime(blocks, 0)).isEmpty();
        // the newest block is never deleted by time, however old
        assertThat(Retention.beyondTime(List.of(blocks.getFirst()), 1)).isEmpty();
    }

    @Test
    void sizeRetentionCountsWalAndHeadFirstThenNewestBlocks() {
        assertThat(Retention.beyondSize(blocks, 400, 0)).isEmpty();
        assertThat(Retention.beyondSize(blocks, 400, 1)).containsExactly("old");
        assertThat(Retention.beyondSize(blocks, 250, 50)).containsExactly("mid", "old");
        assertThat(Retention.beyondSize(blocks, 50, 60)).containsExactly("newest", "new", "mid", "old");
        assertThat(Retention.beyondSize(blocks, 0, 1_000)).isEmpty();
    }

    @Test
    void deletableIsTheUnion() {
        assertThat(Retention.deletable(blocks, 6 * H, 300, 0)).containsExactlyInAnyOrder("old");
        assertThat(Retention.deletable(blocks, 6 * H, 250, 0)).containsExactlyInAnyOrder("old", "mid");
    }
}
