package io.pyrometer.scrape;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appender;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
 * The scrape hot path with a warm cache: parse a 2,000-series body, look every line up in the
 * scrape cache and append to a storage that does nothing. Per-sample allocation should be ~0.
 *
 * <pre>./mvnw -q -pl server -Pjmh test-compile exec:exec -Djmh.args="ScrapeLoopBench -prof gc"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScrapeLoopBench {
    static final int SERIES = 2000;

    private ScrapeLoop loop;
    private final Appender noop = new Appender() {
        public long append(long ref, Labels labels, long t, double v) { return ref == 0 ? 1 : ref; }
        public void commit() { }
        public void rollback() { }
    };
    private long ts;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Random r = new Random(42);
        StringBuilder sb = new StringBuilder();
        for (int f = 0; f < SERIES / 20; f++) {
            sb.append("# HELP app_metric_").append(f).append("_total Some help text for the family.\n");
            sb.append("# TYPE app_metric_").append(f).append("_total counter\n");
            for (int s = 0; s < 20; s++) {
                sb.append("app_metric_").append(f).append("_total{method=\"GET\",path=\"/api/v1/resource/").append(s)
                        .append("\",status=\"200\"} ").append(r.nextInt(1_000_000)).append('\n');
            }
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        ScrapeOptions o = new ScrapeOptions(15_000, 10_000, false, true, false, 0, 0, 0, 0, 0, true, "*/*", List.of(), 2);
        Labels tl = Labels.of("job", "bench", "instance", "127.0.0.1:1", "__address__", "127.0.0.1:1");
        Target t = new Target("bench", tl, tl, Map.of(), 15_000, 10_000);
        loop = new ScrapeLoop(t, o, new HttpScraper(HttpClient.newBuilder(), io.pyrometer.config.HttpClientConfig.DEFAULT), () -> noop,
                new ScrapeMetrics(new PrometheusRegistry()), 0);
        ScrapeBuffer buf = loop.buffer();
        buf.buf = body;
        buf.length = body.length;
        parseOnce(); // warm the cache
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public long parseOnce() throws Exception {
        loop.cache().beginIteration();
        ScrapeLoop.Counts c = new ScrapeLoop.Counts();
        loop.appendAll(noop, "text/plain; version=0.0.4", ts += 15_000, c);
        return c.postRelabel;
    }
}
