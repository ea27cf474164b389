package io.pyrometer.promql.engine;

import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.MemStorage;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Range queries over 10,000 series and 1,000 steps (15s scrape interval and step, about 10M
 * samples per selector), data built once with a fixed seed:
 * {@code ./mvnw -q -o -pl server -Pjmh test-compile exec:exec -Djmh.args="RangeQueryBench -f 1 -wi 2 -i 3 -prof gc"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx8g"})
public class RangeQueryBench {
    static final long SEED = 42;
    static final int SERIES = 10_000;
    static final int STEPS = 1_000;
    static final long STEP_MS = 15_000;
    static final long RANGE_MS = 5 * 60_000;
    static final int BUCKETS = 10;

    MemStorage storage;
    Engine engine;
    long startMs;
    long endMs;

    @Setup(Level.Trial)
    public void setup() {
        Random rnd = new Random(SEED);
        storage = new MemStorage();
        engine = new Engine(EngineOptions.defaults());
        startMs = RANGE_MS;
        endMs = startMs + (STEPS - 1) * STEP_MS;
        int samples = (int) (endMs / STEP_MS) + 1;
        Labels[] xs = new Labels[SERIES];
        double[] x = new double[SERIES];
        for (int i = 0; i < SERIES; i++) {
            xs[i] = Labels.of("__name__", "x", "job", "job" + (i % 10), "instance", "i" + i);
        }
        String[] les = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
        int histograms = SERIES / BUCKETS;
        Labels[] hs = new Labels[SERIES];
        double[] h = new double[SERIES];
        for (int i = 0; i < histograms; i++) {
            for (int b = 0; b < BUCKETS; b++) {
                hs[i * BUCKETS + b] = Labels.of("__name__", "h_bucket", "job", "job" + (i % 10), "instance", "i" + i, "le", les[b]);
            }
        }
        for (int s = 0; s < samples; s++) {
            Appender app = storage.appender();
            long t = s * STEP_MS;
            for (int i = 0; i < SERIES; i++) {
                x[i] += rnd.nextInt(100);
                app.append(0, xs[i], t, x[i]);
            }
            for (int i = 0; i < histograms; i++) {
                double cumulative = 0;
                for (int b = 0; b < BUCKETS; b++) {
                    cumulative += rnd.nextInt(10);
                    int k = i * BUCKETS + b;
                    h[k] = Math.max(h[k], cumulative + h[k]);
                    app.append(0, hs[k], t, h[k]);
                }
            }
            app.commit();
        }
    }

    @Benchmark
    public QueryResult rate() {
        return engine.rangeQuery(storage, "rate(x[5m])", startMs, endMs, STEP_MS);
    }

    @Benchmark
    public QueryResult sumByJobRate() {
        return engine.rangeQuery(storage, "sum by (job) (rate(x[5m]))", startMs, endMs, STEP_MS);
    }

    @Benchmark
    public QueryResult histogramQuantile() {
        return engine.rangeQuery(storage, "histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))", startMs, endMs, STEP_MS);
    }
}
