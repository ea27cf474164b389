package io.pyrometer.tsdb.block;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.ArraySeries;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a 2h block through its querier: 1,000 series of 480 samples (15 s scrapes), selected by
 * {@code job="api"} and fully iterated. Reported per sample, allocation included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class BlockQuerierBench {
    static final int SERIES = 1_000;
    static final int SAMPLES = 480;

    Path dir;
    Block block;
    SampleIterator reuse;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("block-bench");
        Random r = new Random(42);
        List<ArraySeries> series = new ArrayList<>();
        long t0 = 1_700_000_000_000L;
        for (int s = 0; s < SERIES; s++) {
            long[] ts = new long[SAMPLES];
            double[] vs = new double[SAMPLES];
            double v = 0;
            for (int i = 0; i < SAMPLES; i++) {
                ts[i] = t0 + i * 15_000L + r.nextInt(-5, 5);
                v += r.nextInt(0, 50);
                vs[i] = v;
            }
            series.add(new ArraySeries(Labels.of("__name__", "http_requests_total", "job", "api", "pod", "pod-" + s), ts, vs));
        }
        BlockMeta m = new BlockWriter(dir).write(series, t0 - 10, t0 + 7_200_000);
        block = Block.open(dir.resolve(m.ulid()));
    }

    @TearDown
    public void tearDown() throws IOException {
        block.close();
        FsUtil.deleteRecursively(dir);
    }

    @Benchmark
    @OperationsPerInvocation(SERIES * SAMPLES)
    public double selectAndIterate() {
        double sum = 0;
        try (BlockQuerier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet ss = q.select(true, null, List.of(LabelMatcher.eq("job", "api")));
            while (ss.next()) {
                reuse = ss.at().iterator(reuse);
                while (reuse.next() == ValueType.FLOAT) sum += reuse.atV();
            }
        }
        return sum;
    }
}
