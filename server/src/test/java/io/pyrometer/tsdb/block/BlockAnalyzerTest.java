package io.pyrometer.tsdb.block;

import static io.pyrometer.tsdb.block.BlockTestData.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlockAnalyzerTest {
    @TempDir
    Path data;

    @ParameterizedTest(name = "{0} ms = {1}")
    @CsvSource({"0,0s", "1,1ms", "999,999ms", "1000,1s", "15501,15.501s", "15500,15.5s", "90000,1m30s",
            "7200000,2h0m0s", "7261001,2h1m1.001s", "-1500,-1.5s"})
    void formatsDurationsLikeGo(long ms, String want) {
        assertThat(BlockAnalyzer.goDuration(ms)).isEqualTo(want);
    }

    @Test
    void reportsCardinalityChurnAndValueLengths() throws IOException {
        Labels a = Labels.of("__name__", "up", "job", "api", "pod", "p1");
        Labels b = Labels.of("__name__", "up", "job", "api", "pod", "p2");
        Labels c = Labels.of("__name__", "go_goroutines", "job", "api", "pod", "p2");
        // a and c cover the whole hour, b only its first half: b's labels churn 0.5 of the block → truncated to 0
        BlockMeta meta = new BlockWriter(data).write(List.of(
                series(a, T0, 60_000, 61, 0), series(b, T0, 60_000, 31, 0), series(c, T0, 60_000, 61, 0)), T0, T0 + 3_600_001);
        try (Block blk = Block.open(data.resolve(meta.ulid()))) {
            BlockAnalyzer.Analysis an = BlockAnalyzer.analyze(blk, 20);
            assertThat(an.series()).isEqualTo(3);
            assertThat(an.labelNames()).isEqualTo(3);
            assertThat(an.uniqueLabelPairs()).isEqualTo(5); // up, go_goroutines, job=api, p1, p2
            assertThat(an.labelPairEntries()).isEqualTo(9);
            assertThat(an.mostCommonLabelPairs()).startsWith(new BlockAnalyzer.Entry("job=api", 3), new BlockAnalyzer.Entry("__name__=up", 2),
                    new BlockAnalyzer.Entry("pod=p2", 2));
            assertThat(an.highestCumulativeValueLength()).containsExactly(new BlockAnalyzer.Entry("__name__", 15),
                    new BlockAnalyzer.Entry("pod", 4), new BlockAnalyzer.Entry("job", 3));
            assertThat(an.highestCardinalityLabels()).containsExactly(new BlockAnalyzer.Entry("__name__", 2),
                    new BlockAnalyzer.Entry("pod", 2), new BlockAnalyzer.Entry("job", 1));
            assertThat(an.highestCardinalityMetricNames()).containsExactly(new BlockAnalyzer.Entry("up", 2), new BlockAnalyzer.Entry("go_goroutines", 1));
            assertThat(an.format()).startsWith("Block ID: " + meta.ulid() + "\nDuration: 1h0m0.001s\nSeries: 3\n");
            assertThat(BlockAnalyzer.analyze(blk, 1).highestCardinalityLabels()).hasSize(1);
        }
    }
}
