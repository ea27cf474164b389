package io.pyrometer.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.model.Values;
import io.pyrometer.model.relabel.RelabelConfig;
import io.pyrometer.storage.AppendStatus;
import io.pyrometer.storage.Appendable;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.MemStorage;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scrape cache keeps series refs, not labels: a repeated line is appended by ref alone, and
 * when the storage no longer knows a ref (the head dropped the series, e.g. after truncation) the
 * loop re-derives the labels from the line's bytes, with target labels, {@code exported_}
 * renaming, metric relabeling and {@code le} normalisation exactly as on first sight.
 */
class ScrapeLoopForgottenRefTest {
    private static final String TEXT = """
            # TYPE req histogram
            req_bucket{le="1",job="app"} 1
            req_bucket{le="+Inf",job="app"} 2
            req_sum 3
            req_count 2
            temp{room="a b}c\\"d"} 20
            """;
    private static final String OPEN_METRICS = """
            # TYPE req histogram
            req_bucket{le="1",job="app"} 1
            req_bucket{le="+Inf",job="app"} 2
            req_sum 3
            req_count 2
            temp{room="a b}c\\"d"} 20
            # EOF
            """;

    private HttpServer http;
    private final AtomicReference<String> body = new AtomicReference<>("");
    private final AtomicReference<String> contentType = new AtomicReference<>("");
    private final ForgetfulStorage storage = new ForgetfulStorage();

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/metrics", ex -> {
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType.get());
            ex.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    /** A storage whose refs can all be forgotten at once, as when the head drops and recreates series. */
    static final class ForgetfulStorage implements Appendable {
        private static final long GENERATION = 1L << 48;
        final MemStorage mem = new MemStorage();
        long generation = 1;
        int callsWithoutLabels;
        int callsWithLabels;

        void forgetAllRefs() { generation++; }

        @Override
        public Appender appender() {
            Appender inner = mem.appender();
            return new Appender() {
                @Override
                public long append(long ref, Labels labels, long t, double v) {
                    if (labels == null) callsWithoutLabels++;
                    else callsWithLabels++;
                    boolean known = ref / GENERATION == generation;
                    if (!known && labels == null) return AppendStatus.INVALID_LABELS;
                    long r = inner.append(known ? ref % GENERATION : 0, labels, t, v);
                    return r < 0 ? r : generation * GENERATION + r;
                }

                @Override
                public void commit() { inner.commit(); }

                @Override
                public void rollback() { inner.rollback(); }
            };
        }
    }

    private ScrapeLoop loop() {
        String addr = "127.0.0.1:" + http.getAddress().getPort();
        Labels tl = Labels.of("job", "node", "instance", addr, "__address__", addr, "__scheme__", "http", "__metrics_path__", "/metrics");
        // metric_relabel_configs: copy room into location (only series with a room label change)
        RelabelConfig copy = RelabelConfig.of(List.of("room"), null, "(.+)", null, "location", "$1", RelabelConfig.Action.REPLACE);
        ScrapeOptions o = new ScrapeOptions(15_000, 1_000, false, true, false, 0, 0, 0, 0, 0, true,
                ScrapePool.acceptHeader(io.pyrometer.config.ScrapeConfig.DEFAULT_SCRAPE_PROTOCOLS), List.of(copy), 2);
        Target t = new Target("node", tl, tl, Map.of(), o.intervalMs(), o.timeoutMs());
        HttpScraper s = new HttpScraper(HttpClient.newBuilder(), io.pyrometer.config.HttpClientConfig.DEFAULT);
        return new ScrapeLoop(t, o, s, storage, new ScrapeMetrics(new PrometheusRegistry()), 0);
    }

    private List<double[]> samples(LabelMatcher... ms) {
        List<double[]> out = new ArrayList<>();
        try (Querier q = storage.mem.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet ss = q.select(true, null, List.of(ms));
            int n = 0;
            while (ss.next()) {
                n++;
                SampleIterator it = ss.at().iterator(null);
                while (it.next() == ValueType.FLOAT) out.add(new double[] {it.atT(), it.atV()});
            }
            assertThat(n).as("series matching %s", List.of(ms)).isLessThanOrEqualTo(1);
        }
        return out;
    }

    private static LabelMatcher eq(String n, String v) { return LabelMatcher.eq(n, v); }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain; version=0.0.4", "application/openmetrics-text; version=1.0.0"})
    void samplesAndStalenessMarkersKeepTheirLabelsWhenTheStorageForgetsRefs(String type) {
        contentType.set(type);
        String full = type.startsWith("text") ? TEXT : OPEN_METRICS;
        body.set(full);
        ScrapeLoop l = loop();
        l.scrapeOnce(1000, 1000);
        l.scrapeOnce(2000, 2000);
        assertThat(storage.callsWithoutLabels).as("a repeated line is appended by ref alone").isGreaterThanOrEqualTo(5);

        storage.forgetAllRefs();
        l.scrapeOnce(3000, 3000);
        storage.forgetAllRefs();
        body.set(full.replace("temp{room=\"a b}c\\\"d\"} 20\n", "").replace("req_sum 3\n", ""));
        l.scrapeOnce(4000, 4000); // temp and req_sum vanish while their refs are unknown: stale by labels
        l.scrapeOnce(5000, 5000);

        // le="1" of a histogram is stored as "1.0" (Prometheus 3); the exposed job becomes exported_job
        assertThat(samples(eq("__name__", "req_bucket"), eq("le", "1.0"), eq("job", "node"), eq("exported_job", "app")))
                .extracting(s -> s[0]).containsExactly(1000.0, 2000.0, 3000.0, 4000.0, 5000.0);
        assertThat(samples(eq("__name__", "req_count"), eq("job", "node")))
                .extracting(s -> s[1]).containsExactly(2.0, 2.0, 2.0, 2.0, 2.0);
        List<double[]> temp = samples(eq("__name__", "temp"), eq("room", "a b}c\"d"), eq("location", "a b}c\"d"), eq("job", "node"));
        assertThat(temp).extracting(s -> s[0]).containsExactly(1000.0, 2000.0, 3000.0, 4000.0);
        assertThat(Values.isStaleNaN(temp.get(3)[1])).as("staleness marker at 4000").isTrue();
        List<double[]> sum = samples(eq("__name__", "req_sum"), eq("job", "node"));
        assertThat(sum).hasSize(4);
        assertThat(Values.isStaleNaN(sum.get(3)[1])).isTrue();
        // no series was created under other labels (e.g. without target labels or relabeling)
        assertThat(storage.mem.numSeries()).isEqualTo(5 + 5); // 5 exposed series + 5 report series
    }

    @org.junit.jupiter.api.Test
    void refsHandedOutBeforeCommitNeverNameAnotherSeriesLater() {
        contentType.set("text/plain; version=0.0.4");
        body.set("a 1\n");
        ScrapeLoop l = loop();
        l.scrapeOnce(1000, 1000);
        body.set("b 2\na 3\n"); // b is new and comes first; a is appended by the ref it got before its commit
        l.scrapeOnce(2000, 2000);
        l.scrapeOnce(3000, 3000);
        assertThat(samples(eq("__name__", "a"))).extracting(s -> s[1]).containsExactly(1.0, 3.0, 3.0);
        assertThat(samples(eq("__name__", "b"))).extracting(s -> s[1]).containsExactly(2.0, 2.0);
    }
}
