package io.pyrometer.tsdb.chunkenc;

import io.pyrometer.storage.ValueType;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode throughput of 120-sample XOR chunks (Prometheus's default chunk size), with a
 * realistic mix: 15 s scrapes with jitter, counters and gauges. Reported per sample.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class XorChunkBench {
    static final int SAMPLES = 120;

    long[] ts = new long[SAMPLES];
    double[] vs = new double[SAMPLES];
    XorChunk encoded;
    final XorIterator it = new XorIterator();
    final XorAppender app = new XorAppender();

    @Setup(Level.Trial)
    public void setup() {
        Random r = new Random(42);
        long t = 1_700_000_000_000L;
        double counter = 0;
        for (int i = 0; i < SAMPLES; i++) {
            t += 15_000 + r.nextInt(-20, 20);
            counter += r.nextInt(0, 100);
            ts[i] = t;
            vs[i] = (i & 1) == 0 ? counter : Math.round(r.nextGaussian() * 1000) / 10.0;
        }
        encoded = XorChunk.create();
        XorAppender a = encoded.appender();
        for (int i = 0; i < SAMPLES; i++) a.append(ts[i], vs[i]);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int encode() {
        XorChunk c = XorChunk.create(); // one chunk per 120 samples, as the head does
        app.reset(c);
        for (int i = 0; i < SAMPLES; i++) app.append(ts[i], vs[i]);
        return c.byteSize();
    }

    final XorChunk reused = XorChunk.create();

    /** The appender alone: a recycled chunk, so nothing is allocated per sample. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int encodeIntoRecycledChunk() {
        reused.clear();
        app.reset(reused);
        for (int i = 0; i < SAMPLES; i++) app.append(ts[i], vs[i]);
        return reused.byteSize();
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double decode() {
        encoded.iterator(it);
        double sum = 0;
        while (it.next() != ValueType.NONE) sum += it.atV() + it.atT();
        return sum;
    }
}
