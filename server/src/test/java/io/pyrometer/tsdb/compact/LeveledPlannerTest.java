package io.pyrometer.tsdb.compact;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cases of Prometheus's {@code TestLeveledCompactor_plan} (ranges 20, 60, 180, 540, 1620). */
class LeveledPlannerTest {
    static final LeveledPlanner PLANNER = new LeveledPlanner(new long[] {20, 60, 180, 540, 1620});

    static BlockMeta m(String id, long mint, long maxt) {
        return m(id, mint, maxt, 0, 0);
    }

    static BlockMeta m(String id, long mint, long maxt, long series, long tombstones) {
        return new BlockMeta(id, mint, maxt, new BlockMeta.Stats(0, series, 0, tombstones), BlockMeta.Compaction.level1(id), 1);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("outside range", List.of(m("1", 0, 20)), List.of()),
                Arguments.of("wait for four blocks of size 20", List.of(m("1", 0, 20), m("2", 20, 40)), List.of()),
                Arguments.of("three, but the fresh one is ignored", List.of(m("1", 0, 20), m("2", 20, 40), m("3", 40, 60)), List.of()),
                Arguments.of("block filling the parent range appeared",
                        List.of(m("1", 0, 20), m("2", 20, 40), m("3", 40, 60), m("4", 60, 80)), List.of("1", "2", "3")),
                Arguments.of("next range appeared with a gap, fresh ignored",
                        List.of(m("1", 0, 20), m("2", 20, 40), m("3", 60, 80)), List.of()),
                Arguments.of("gap will never fill: compact the two",
                        List.of(m("1", 0, 20), m("2", 20, 40), m("3", 60, 80), m("4", 80, 100)), List.of("1", "2")),
                Arguments.of("20, 20, 20, 60, 60 with 5 fresh",
                        List.of(m("1", 0, 20), m("2", 20, 40), m("3", 40, 60), m("4", 60, 120), m("5", 120, 180)), List.of("1", "2", "3")),
                Arguments.of("20, 60, 20, 60, 240: compact 20 + 60 + 60",
                        List.of(m("2", 20, 40), m("4", 60, 120), m("5", 960, 980), m("6", 120, 180), m("7", 720, 960)), List.of("2", "4", "6")),
                Arguments.of("large block with tombstones, no fresh block", List.of(m("1", 0, 540, 10, 3)), List.of()),
                Arguments.of("large block with tombstones when fresh appears", List.of(m("1", 0, 540, 10, 3), m("2", 540, 560)), List.of("1")),
                Arguments.of("small blocks: tombstones not compacted", List.of(m("1", 0, 60, 10, 3), m("2", 60, 80)), List.of()),
                Arguments.of("zero series and tombstones: no loop", List.of(m("1", 0, 540, 0, 0), m("2", 540, 560)), List.of()),
                Arguments.of("fresh block is the one with max time, not newest ULID",
                        List.of(m("5", 0, 360), m("6", 540, 560), m("7", 360, 420), m("8", 420, 540)), List.of("7", "8")),
                Arguments.of("overlapping 1", List.of(m("1", 0, 20), m("2", 19, 40), m("3", 40, 60)), List.of("1", "2")),
                Arguments.of("overlapping 2", List.of(m("1", 0, 20), m("2", 20, 40), m("3", 30, 50)), List.of("2", "3")),
                Arguments.of("overlapping 3", List.of(m("1", 0, 20), m("2", 10, 40), m("3", 30, 50)), List.of("1", "2", "3")),
                Arguments.of("overlapping 4", List.of(m("5", 0, 360), m("6", 340, 560), m("7", 360, 420), m("8", 420, 540)),
                        List.of("5", "6", "7", "8")),
                Arguments.of("overlapping 5", List.of(m("1", 0, 10), m("2", 9, 20), m("3", 30, 40), m("4", 39, 50)), List.of("1", "2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plansLikePrometheus(String name, List<BlockMeta> metas, List<String> want) {
        List<String> got = new ArrayList<>();
        for (BlockMeta b : PLANNER.plan(metas)) got.add(b.ulid());
        assertThat(got).containsExactlyElementsOf(want);
    }

    @Test
    void rangeWithFailedCompactionIsNotSelected() {
        List<BlockMeta> metas = new ArrayList<>(List.of(m("1", 0, 20), m("2", 20, 40), m("3", 40, 60), m("4", 60, 80)));
        BlockMeta b = metas.get(1);
        metas.set(1, new BlockMeta(b.ulid(), b.minTimeMs(), b.maxTimeMs(), b.stats(),
                new BlockMeta.Compaction(1, List.of("2"), List.of(), false, true), 1));
        assertThat(new LeveledPlanner(new long[] {20, 60, 240, 720, 2160}).plan(metas)).isEmpty();
    }

    @Test
    void defaultRangesAreTwoHoursTimesThreeCappedAtTenPercentOfRetention() {
        long h = 3_600_000L;
        assertThat(LeveledPlanner.defaultRanges(15 * 24 * h)) // 15d retention: max block 36h
                .containsExactly(2 * h, 6 * h, 18 * h);
        assertThat(LeveledPlanner.defaultRanges(0)) // unlimited: capped at 31d
                .containsExactly(2 * h, 6 * h, 18 * h, 54 * h, 162 * h, 486 * h);
        assertThat(LeveledPlanner.defaultRanges(h)).containsExactly(2 * h);
    }
}
