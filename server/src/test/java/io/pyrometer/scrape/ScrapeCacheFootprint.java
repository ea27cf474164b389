package io.pyrometer.scrape;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appender;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Heap held by the scrape side per scraped series: 20 targets x 2,000 series (the ingest
 * benchmark's shape) go through the real {@link ScrapeLoop} miss and hit paths against an
 * appender that stores nothing, then the bodies are dropped and the heap is measured after GC.
 *
 * <pre>java -cp server/target/classes:server/target/test-classes:$(cat cp.txt) io.pyrometer.scrape.ScrapeCacheFootprint</pre>
 */
public final class ScrapeCacheFootprint {
    private ScrapeCacheFootprint() {}

    public static void main(String[] args) throws Exception {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int series = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long[] nextRef = {0};
        Appender noop = new Appender() {
            public long append(long ref, Labels labels, long t, double v) { return ref > 0 ? ref : ++nextRef[0]; }
            public void commit() { }
            public void rollback() { }
        };
        ScrapeOptions o = new ScrapeOptions(1_000, 1_000, false, true, false, 0, 0, 0, 0, 0, true, "*/*", List.of(), 2);
        HttpScraper scraper = new HttpScraper(HttpClient.newBuilder(), io.pyrometer.config.HttpClientConfig.DEFAULT);
        ScrapeMetrics metrics = new ScrapeMetrics(new PrometheusRegistry());
        long before = usedAfterGc();
        List<ScrapeLoop> loops = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            String addr = "10.0.0." + t + ":9100";
            Labels tl = Labels.of("job", "bench", "instance", addr, "__address__", addr);
            ScrapeLoop loop = new ScrapeLoop(new Target("bench", tl, tl, Map.of(), 1_000, 1_000), o, scraper, () -> noop, metrics, 0);
            byte[] body = body(series, new Random(t));
            loop.buffer().buf = body;
            loop.buffer().length = body.length;
            for (int i = 0; i < 3; i++) { // a miss scrape, then hits
                loop.cache().beginIteration();
                loop.appendAll(noop, "text/plain; version=0.0.4", 1_000L * (i + 1), new ScrapeLoop.Counts());
                loop.cache().endIteration(e -> { });
            }
            loop.buffer().buf = new byte[0];
            loop.buffer().length = 0;
            loops.add(loop);
        }
        long after = usedAfterGc();
        long n = (long) targets * series;
        System.out.printf("targets=%d series=%d scrape-side heap=%.1f MB bytes/series=%.0f%n",
                targets, n, (after - before) / 1e6, (after - before) / (double) n);
        if (args.length > 2) Thread.sleep(Long.parseLong(args[2])); // time for jcmd GC.class_histogram
        if (loops.size() != targets) throw new AssertionError(); // keeps the loops reachable
    }

    static byte[] body(int series, Random r) {
        StringBuilder sb = new StringBuilder();
        for (int f = 0; f < series / 20; f++) {
            sb.append("# HELP app_metric_").append(f).append("_total Some help text for the family.\n");
            sb.append("# TYPE app_metric_").append(f).append("_total counter\n");
            for (int s = 0; s < 20; s++) {
                sb.append("app_metric_").append(f).append("_total{method=\"GET\",path=\"/api/v1/resource/").append(s)
                        .append("\",status=\"200\"} ").append(r.nextInt(1_000_000)).append('\n');
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
