package io.pyrometer.tsdb.index;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Intersection of two large postings lists laid out as in an index file (off-heap, big-endian
 * uint32), e.g. {@code job="api"} (1M series) and {@code code="200"} (dense or sparse).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PostingsBench {
    @Param({"dense", "sparse"})
    public String shape;

    Arena arena;
    MemorySegment seg;
    long offA, offB;
    int nA, nB;

    @Setup(Level.Trial)
    public void setup() {
        Random r = new Random(7);
        int universe = 4_000_000;
        long[] a = pick(r, universe, 4); // 1M
        long[] b = shape.equals("dense") ? pick(r, universe, 2) : pick(r, universe, 400); // 2M or 10k
        arena = Arena.ofShared();
        seg = arena.allocate(4L * (a.length + b.length));
        offA = 0;
        offB = 4L * a.length;
        nA = a.length;
        nB = b.length;
        for (int i = 0; i < a.length; i++) seg.set(Decbuf.BE_INT, offA + 4L * i, (int) a[i]);
        for (int i = 0; i < b.length; i++) seg.set(Decbuf.BE_INT, offB + 4L * i, (int) b[i]);
    }

    static long[] pick(Random r, int universe, int oneIn) {
        long[] out = new long[universe / oneIn + 1];
        int n = 0;
        for (int i = 0; i < universe && n < out.length; i++) if (r.nextInt(oneIn) == 0) out[n++] = i;
        return java.util.Arrays.copyOf(out, n);
    }

    @TearDown
    public void close() {
        arena.close();
    }

    @Benchmark
    public long intersect() {
        Postings p = Postings.intersect(List.of(new PostingsOps.ListPostings(seg, offA, nA), new PostingsOps.ListPostings(seg, offB, nB)));
        long sum = 0;
        while (p.next()) sum += p.at();
        return sum;
    }
}
