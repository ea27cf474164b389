package io.pyrometer.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockMetaTest {
    /** As Prometheus 2.42 (promtool create-blocks-from) wrote it. */
    static final String PROMETHEUS_META = """
            {
            \t"ulid": "01M80H12VYG73AN2TR2E120TBX",
            \t"minTime": 1700000000000,
            \t"maxTime": 1700000015501,
            \t"stats": {
            \t\t"numSamples": 3,
            \t\t"numSeries": 2,
            \t\t"numChunks": 2
            \t},
            \t"compaction": {
            \t\t"level": 1,
            \t\t"sources": [
            \t\t\t"01M80H12VYG73AN2TR2E120TBX"
            \t\t]
            \t},
            \t"version": 1
            }""";

    @Test
    void readsAndWritesPrometheusLayoutIdentically() throws IOException {
        BlockMeta m = BlockMeta.parse(PROMETHEUS_META, "meta.json");
        assertThat(m.ulid()).isEqualTo("01M80H12VYG73AN2TR2E120TBX");
        assertThat(m.maxTimeMs()).isEqualTo(1_700_000_015_501L);
        assertThat(m.stats()).isEqualTo(new BlockMeta.Stats(3, 2, 2, 0));
        assertThat(m.toJson()).isEqualTo(PROMETHEUS_META);
    }

    @Test
    void roundTripsParentsAndFlags() throws IOException {
        BlockMeta m = new BlockMeta(Ulid.generate(), -5, 100, new BlockMeta.Stats(1, 1, 1, 3),
                new BlockMeta.Compaction(3, List.of("A", "B"), List.of(new BlockMeta.BlockDesc("A", -5, 50), new BlockMeta.BlockDesc("B", 50, 100)), true, true), 1);
        assertThat(BlockMeta.parse(m.toJson(), "x")).isEqualTo(m);
    }

    @Test
    void errorsNameTheFile() {
        assertThatThrownBy(() -> BlockMeta.parse("{", "/data/01X/meta.json")).hasMessageContaining("invalid JSON in /data/01X/meta.json");
        assertThatThrownBy(() -> BlockMeta.parse(PROMETHEUS_META.replace("01M80H12VYG73AN2TR2E120TBX", "nope"), "m.json"))
                .hasMessageContaining("invalid ulid \"nope\" in m.json");
    }

    @Test
    void ulidsEncodeTimeFirstInCrockfordBase32() {
        assertThat(Ulid.encode(0, 0)).isEqualTo("00000000000000000000000000");
        assertThat(Ulid.encode(-1, -1)).isEqualTo("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
        String u = Ulid.generate(1_700_000_000_000L, new Random(1));
        assertThat(u).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(Ulid.timestampMs(u)).isEqualTo(1_700_000_000_000L);
        assertThat(Ulid.timestampMs("01M80H12VYG73AN2TR2E120TBX")).isBetween(1_700_000_000_000L, 1_900_000_000_000L);
        assertThat(Ulid.generate(1, new Random(2))).isLessThan(Ulid.generate(2, new Random(1)));
        assertThat(Ulid.isValid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ")).isFalse(); // overflows 128 bits
        assertThat(Ulid.isValid("01M80H12VYG73AN2TR2E120TBU")).isFalse(); // U is not in the alphabet
    }

    @Test
    void intervalsMergeOverlappingAndAdjacentRanges() {
        Intervals i = Intervals.of(10, 20).add(30, 40).add(21, 25).add(35, 50);
        assertThat(i.toString()).isEqualTo("[[10,25] [30,50]]");
        assertThat(i.contains(25)).isTrue();
        assertThat(i.contains(26)).isFalse();
        assertThat(i.covers(31, 50)).isTrue();
        assertThat(i.covers(20, 31)).isFalse();
        assertThat(i.overlaps(26, 29)).isFalse();
        assertThat(i.overlaps(26, 30)).isTrue();
        assertThat(Intervals.of(Long.MIN_VALUE, Long.MAX_VALUE).add(5, 6).size()).isEqualTo(1);
    }
}
