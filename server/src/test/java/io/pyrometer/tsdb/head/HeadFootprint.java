package io.pyrometer.tsdb.head;

import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appender;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * Heap held by the head per series: creates {@code series} series (default 40k, four labels as a
 * node exporter target's), appends {@code samples} samples to each one scrape at a time (1 s
 * apart, counters and gauges like a real target's, one commit per 2000 series), then reports the
 * used heap after full GCs and the appending thread's CPU time per sample.
 * Not a test: run it by hand to compare builds, e.g.
 * <pre>{@code
 * java -cp server/target/classes:server/target/test-classes:$(cat cp.txt) \
 *     io.pyrometer.tsdb.head.HeadFootprint 40000 60
 * }</pre>
 */
public final class HeadFootprint {
    private static final int TARGET_SERIES = 2000;

    private HeadFootprint() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Labels[] labels = new Labels[series];
        for (int i = 0; i < series; i++) {
            labels[i] = Labels.of("__name__", "metric_" + (i % 400), "instance", "host-" + (i / 400) + ":9100",
                    "job", "node", "le", Integer.toString(i % 7));
        }
        long[] refs = new long[series];
        long before = usedAfterGc();
        Path dir = Files.createTempDirectory("head-footprint");
        try (Head head = Head.open(dir, HeadOptions.defaults(), Long.MIN_VALUE, null)) {
            long t0 = 1_700_000_000_000L;
            var threads = ManagementFactory.getThreadMXBean();
            long cpuStart = 0;
            for (int s = 0; s < samples; s++) {
                if (s == 1) cpuStart = threads.getCurrentThreadCpuTime(); // the first scrape creates the series
                long t = t0 + s * 1000L + (s % 3); // a little jitter, as real scrapes have
                Appender app = null;
                for (int i = 0; i < series; i++) {
                    if (i % TARGET_SERIES == 0) { // one appender and commit per target, as scrape loops do
                        if (app != null) app.commit();
                        app = head.appender();
                    }
                    double v = switch (i % 3) {
                        case 0 -> s * (i % 100);          // counter
                        case 1 -> 42;                     // constant gauge
                        default -> Math.sin(s + i) * 1e3; // changing gauge, full precision
                    };
                    refs[i] = app.append(refs[i], labels[i], t, v);
                }
                app.commit();
            }
            double cpuNsPerSample = (threads.getCurrentThreadCpuTime() - cpuStart) / ((double) series * (samples - 1));
            long after = usedAfterGc();
            long bytes = after - before;
            System.out.printf("series=%d samples/series=%d heap used by head=%d KiB (%.0f B/series; compare two series counts for the cost per series)%n",
                    series, samples, bytes / 1024, (double) bytes / series);
            System.out.printf("append+commit CPU after the first scrape: %.0f ns/sample (thread CPU time, WAL included)%n", cpuNsPerSample);
            System.out.printf("open chunk slots=%d KiB, arena slabs=%d KiB%n", head.openChunkBytes() / 1024, head.openChunkArenaBytes() / 1024);
            if (Boolean.getBoolean("footprint.pause")) Thread.sleep(60_000); // time for jmap -histo:live
            java.lang.ref.Reference.reachabilityFence(labels); // counted in "before"; keep them out of the difference
        } finally {
            try (var w = Files.walk(dir)) {
                for (Path p : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        var mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return mem.getHeapMemoryUsage().getUsed();
    }
}
