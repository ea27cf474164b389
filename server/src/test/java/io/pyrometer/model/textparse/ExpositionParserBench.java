package io.pyrometer.model.textparse;

import io.pyrometer.model.textparse.ExpositionParser.Entry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scrape-loop hot path: one node_exporter-like body of {@value ExpositionPayloads#SERIES} samples
 * (fixed seed, built in setup) parsed with next() + value() + timestamp + series bytes per line.
 * One operation is one sample, so the score is samples per second and gc.alloc.rate.norm is
 * bytes per sample.
 *
 * <p>{@code ./mvnw -q -o -pl server -Pjmh test-compile exec:exec -Djmh.args="ExpositionParserBench -f 1 -wi 2 -i 3 -prof gc"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ExpositionParserBench {

    @Param({"text", "openmetrics"})
    public String format;

    /** Whether a predictor replays the series texts of the previous parse, as the scrape cache does. */
    @Param({"false", "true"})
    public boolean predicted;

    private byte[] body;
    private PromTextParser text;
    private OpenMetricsParser openMetrics;

    @Setup
    public void setup() {
        boolean om = format.equals("openmetrics");
        body = ExpositionPayloads.nodeExporter(20260101L, om);
        text = new PromTextParser(body, body.length);
        openMetrics = new OpenMetricsParser(body, body.length);
        if (predicted) {
            replay = new Replay(body, om);
            text.predictSeries(replay);
            openMetrics.predictSeries(replay);
        }
    }

    private Replay replay;

    /** The series texts of one parse in order (offsets into the body), offered back line by line. */
    private static final class Replay implements ExpositionParser.SeriesPredictor {
        private final byte[] body;
        private final int[] start = new int[ExpositionPayloads.SERIES + 16];
        private final int[] len = new int[ExpositionPayloads.SERIES + 16];
        private int n;
        int next;

        Replay(byte[] body, boolean om) {
            this.body = body;
            try {
                ExpositionParser p = om ? new OpenMetricsParser(body) : new PromTextParser(body);
                for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
                    if (e != Entry.SERIES) continue;
                    start[n] = p.seriesStart();
                    len[n++] = p.seriesEnd() - p.seriesStart();
                }
            } catch (TextParseException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int predictedLength(byte[] buf, int from, int end) {
            if (next >= n) return -1;
            int l = len[next];
            int s = start[next++]; // one prediction per series line
            return l <= end - from && java.util.Arrays.equals(body, s, s + l, buf, from, from + l) ? l : -1;
        }
    }

    @Benchmark
    @OperationsPerInvocation(ExpositionPayloads.SERIES)
    public double parse() throws TextParseException {
        ExpositionParser p;
        if (format.equals("openmetrics")) {
            openMetrics.reset(body, body.length);
            p = openMetrics;
        } else {
            text.reset(body, body.length);
            p = text;
        }
        if (replay != null) replay.next = 0;
        double sum = 0;
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e == Entry.SERIES) {
                sum += p.value() + p.seriesEnd() - p.seriesStart();
                if (p.hasTimestamp()) sum += p.timestampMs();
            }
        }
        return sum;
    }

    /**
     * The same loop timed by thread CPU time instead of wall time, for shared machines where other
     * processes steal the core: prints samples per CPU-second for each format.
     * {@code java -cp <test classpath> io.pyrometer.model.textparse.ExpositionParserBench 10}
     */
    public static void main(String[] args) throws TextParseException {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (String f : new String[] {"text", "openmetrics"}) {
            ExpositionParserBench b = new ExpositionParserBench();
            b.format = f;
            b.predicted = args.length > 1 && args[1].equals("predicted");
            b.setup();
            double sink = 0;
            long warmEnd = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < warmEnd) sink += b.parse();
            long cpu0 = mx.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            long rounds = 0;
            while (System.nanoTime() - wall0 < seconds * 1_000_000_000L) {
                sink += b.parse();
                rounds++;
            }
            double cpuSec = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
            double wallSec = (System.nanoTime() - wall0) / 1e9;
            long samples = rounds * ExpositionPayloads.SERIES;
            System.out.printf(java.util.Locale.ROOT, "%-12s %,.0f samples/CPU-s  %,.0f samples/wall-s  (%d bytes/body, sink %s)%n",
                    f, samples / cpuSec, samples / wallSec, b.body.length, sink > 0 ? "ok" : "zero");
        }
    }
}
