package io.pyrometer.tsdb.head;

import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appending one scrape's worth of samples (one per series for 10k series, refs cached as the
 * scrape loop does) and committing, WAL included. Reports samples/s per thread; run with
 * {@code -prof gc} for bytes allocated per sample ({@code gc.alloc.rate.norm} / 10000).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
public class HeadAppendBench {
    static final int SERIES = 10_000;

    @Param({"10000"})
    int series;

    Path dir;
    Head head;
    Labels[] labels;
    long[] refs;
    long t;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("head-append-bench");
        head = Head.open(dir, HeadOptions.defaults(), Long.MIN_VALUE, null);
        labels = new Labels[series];
        refs = new long[series];
        for (int i = 0; i < series; i++) {
            labels[i] = Labels.of("__name__", "bench_metric_" + (i % 100), "instance", "host-" + (i / 100) + ":9100", "job", "node");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        head.close();
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public void appendScrapeAndCommit() {
        t += 15_000;
        Appender app = head.appender();
        for (int i = 0; i < series; i++) refs[i] = app.append(refs[i], labels[i], t, t * 0.5 + i);
        app.commit();
    }
}
