package io.pyrometer.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.model.Values;
import io.pyrometer.model.relabel.RelabelConfig;
import io.pyrometer.storage.MemStorage;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scrape loop against a real HTTP server on loopback and a real (in-memory) storage. */
class ScrapeLoopTest {
    private HttpServer http;
    private final AtomicReference<String> body = new AtomicReference<>("");
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> contentType = new AtomicReference<>("text/plain; version=0.0.4");
    private volatile boolean gzip;
    private volatile long delayMs;
    private final MemStorage storage = new MemStorage();

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/metrics", ex -> {
            try {
                if (delayMs > 0) Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            if (gzip) {
                ByteArrayOutputStream bo = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
                    gz.write(b);
                }
                b = bo.toByteArray();
                ex.getResponseHeaders().set("Content-Encoding", "gzip");
            }
            ex.getResponseHeaders().set("Content-Type", contentType.get());
            ex.sendResponseHeaders(status.get(), b.length == 0 ? -1 : b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        http.createContext("/moved", ex -> {
            ex.getResponseHeaders().set("Location", "/metrics");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private ScrapeOptions opts(long sampleLimit, long labelLimit, long bodyLimit, boolean honorLabels, List<RelabelConfig> mrc) {
        return new ScrapeOptions(15_000, 1_000, honorLabels, true, false, sampleLimit, labelLimit, 0, 0, bodyLimit, true,
                ScrapePool.acceptHeader(io.pyrometer.config.ScrapeConfig.DEFAULT_SCRAPE_PROTOCOLS), mrc, 2);
    }

    private ScrapeLoop loop(ScrapeOptions o) {
        Labels tl = Labels.of("job", "node", "instance", "127.0.0.1:" + http.getAddress().getPort(),
                "__address__", "127.0.0.1:" + http.getAddress().getPort(), "__scheme__", "http", "__metrics_path__", "/metrics");
        Target t = new Target("node", tl, tl, Map.of(), o.intervalMs(), o.timeoutMs());
        HttpScraper s = new HttpScraper(HttpClient.newBuilder(), io.pyrometer.config.HttpClientConfig.DEFAULT);
        return new ScrapeLoop(t, o, s, storage, new ScrapeMetrics(new PrometheusRegistry()), 0);
    }

    private ScrapeLoop defaultLoop() { return loop(opts(0, 0, 0, false, List.of())); }

    /** (timestamp, value) pairs of the one series matching {@code name} plus extra matchers. */
    private List<double[]> samples(String name, String... extra) {
        List<LabelMatcher> ms = new ArrayList<>();
        ms.add(LabelMatcher.eq("__name__", name));
        for (int i = 0; i < extra.length; i += 2) ms.add(LabelMatcher.eq(extra[i], extra[i + 1]));
        List<double[]> out = new ArrayList<>();
        try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet ss = q.select(true, null, ms);
            while (ss.next()) {
                SampleIterator it = ss.at().iterator(null);
                while (it.next() == ValueType.FLOAT) out.add(new double[] {it.atT(), it.atV()});
            }
        }
        return out;
    }

    private List<Labels> series(String name) {
        List<Labels> out = new ArrayList<>();
        try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet ss = q.select(true, null, List.of(LabelMatcher.eq("__name__", name)));
            while (ss.next()) out.add(ss.at().labels());
        }
        return out;
    }

    @Test
    void storesSamplesWithTargetLabelsAndReportSeries() {
        body.set("# TYPE a counter\na_total{x=\"1\"} 3\nb 4.5\n");
        ScrapeLoop l = defaultLoop();
        l.scrapeOnce(1000, 1000);
        assertThat(samples("a_total", "x", "1", "job", "node")).containsExactly(new double[] {1000, 3});
        assertThat(samples("b")).containsExactly(new double[] {1000, 4.5});
        assertThat(samples("up")).containsExactly(new double[] {1000, 1});
        assertThat(samples("scrape_samples_scraped")).containsExactly(new double[] {1000, 2});
        assertThat(samples("scrape_samples_post_metric_relabeling")).containsExactly(new double[] {1000, 2});
        assertThat(samples("scrape_series_added")).containsExactly(new double[] {1000, 2});
        assertThat(l.target().health()).isEqualTo(Target.Health.UP);
        assertThat(l.target().metadata().get("a").type()).isEqualTo("counter");

        l.scrapeOnce(2000, 2000);
        assertThat(samples("scrape_series_added")).containsExactly(new double[] {1000, 2}, new double[] {2000, 0});
    }

    @Test
    void redirectsAreFollowedAsFollowRedirectsSays() {
        body.set("a 1\n");
        String addr = "127.0.0.1:" + http.getAddress().getPort();
        Labels tl = Labels.of("job", "node", "instance", addr, "__address__", addr, "__scheme__", "http", "__metrics_path__", "/moved");
        ScrapeOptions o = opts(0, 0, 0, false, List.of());
        Target t = new Target("node", tl, tl, Map.of(), o.intervalMs(), o.timeoutMs());
        HttpClient.Builder client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL);
        HttpScraper s = new HttpScraper(client, io.pyrometer.config.HttpClientConfig.DEFAULT); // follow_redirects: true
        ScrapeLoop l = new ScrapeLoop(t, o, s, storage, new ScrapeMetrics(new PrometheusRegistry()), 0);
        l.scrapeOnce(1000, 1000);
        assertThat(l.target().lastError()).isEmpty();
        assertThat(samples("a")).containsExactly(new double[] {1000, 1});
    }

    @Test
    void seriesThatMoveBetweenScrapesKeepTheirIdentity() {
        body.set("a 1\nb 2\nc 3\n");
        ScrapeLoop l = defaultLoop();
        l.scrapeOnce(1000, 1000);
        body.set("c 30\na 10\nd 40\n"); // reordered, b gone, d new
        l.scrapeOnce(2000, 2000);
        body.set("c 300\na 100\nd 400\n"); // same order as before: the fast path
        l.scrapeOnce(3000, 3000);
        assertThat(samples("a")).containsExactly(new double[] {1000, 1}, new double[] {2000, 10}, new double[] {3000, 100});
        assertThat(samples("c")).containsExactly(new double[] {1000, 3}, new double[] {2000, 30}, new double[] {3000, 300});
        assertThat(samples("d")).containsExactly(new double[] {2000, 40}, new double[] {3000, 400});
        assertThat(samples("b")).hasSize(2).last().satisfies(s -> assertThat(Values.isStaleNaN(s[1])).isTrue());
        assertThat(samples("scrape_series_added")).containsExactly(new double[] {1000, 3}, new double[] {2000, 1}, new double[] {3000, 0});
    }

    @Test
    void disappearedSeriesGetAStalenessMarker() {
        body.set("a 1\nb 2\n");
        ScrapeLoop l = defaultLoop();
        l.scrapeOnce(1000, 1000);
        body.set("a 1\n");
        l.scrapeOnce(2000, 2000);
        List<double[]> b = samples("b");
        assertThat(b).hasSize(2);
        assertThat(b.get(1)[0]).isEqualTo(2000);
        assertThat(Values.isStaleNaN(b.get(1)[1])).isTrue();
        assertThat(samples("a")).hasSize(2).allMatch(s -> s[1] == 1);
    }

    @Test
    void failedScrapeIsDownWithPrometheusWordingAndMarksSeriesStale() {
        body.set("a 1\n");
        ScrapeLoop l = defaultLoop();
        l.scrapeOnce(1000, 1000);
        status.set(500);
        l.scrapeOnce(2000, 2000);
        assertThat(l.target().health()).isEqualTo(Target.Health.DOWN);
        assertThat(l.target().lastError()).isEqualTo("server returned HTTP status 500 Internal Server Error");
        assertThat(samples("up")).containsExactly(new double[] {1000, 1}, new double[] {2000, 0});
        assertThat(Values.isStaleNaN(samples("a").get(1)[1])).isTrue();
    }

    @Test
    void malformedBodyFailsTheScrapeNamingTheLine() {
        body.set("a 1\nb{x=\"1\" 2\n");
        ScrapeLoop l = defaultLoop();
        l.scrapeOnce(1000, 1000);
        assertThat(l.target().health()).isEqualTo(Target.Health.DOWN);
        assertThat(l.target().lastError()).contains("2:");
        assertThat(samples("a")).isEmpty(); // nothing of a failed scrape is kept
        assertThat(samples("up")).containsExactly(new double[] {1000, 0});
    }

    @Test
    void sampleLimitFailsTheWholeScrape() {
        body.set("a 1\nb 2\nc 3\n");
        ScrapeLoop l = loop(opts(2, 0, 0, false, List.of()));
        l.scrapeOnce(1000, 1000);
        assertThat(l.target().lastError()).isEqualTo("sample limit exceeded");
        assertThat(samples("a")).isEmpty();
        assertThat(samples("up")).containsExactly(new double[] {1000, 0});
    }

    @Test
    void labelLimitFailsTheScrapeNamingTheMetric() {
        body.set("a{x=\"1\",y=\"2\"} 1\n");
        ScrapeLoop l = loop(opts(0, 3, 0, false, List.of()));
        l.scrapeOnce(1000, 1000);
        // __name__, x, y, job, instance = 5 labels
        assertThat(l.target().lastError()).isEqualTo("label_limit exceeded (metric: a, number of labels: 5, limit: 3)");
    }

    @Test
    void bodySizeLimitFailsTheScrape() {
        body.set("a 1\n".repeat(1000));
        ScrapeLoop l = loop(opts(0, 0, 100, false, List.of()));
        l.scrapeOnce(1000, 1000);
        assertThat(l.target().lastError()).isEqualTo("body size limit exceeded");
    }

    @Test
    void conflictingLabelsAreExportedUnlessHonored() {
        body.set("a{job=\"app\",instance=\"x\"} 1\n");
        ScrapeLoop l = defaultLoop();
        l.scrapeOnce(1000, 1000);
        assertThat(series("a")).singleElement().satisfies(s -> {
            assertThat(s.get("job")).isEqualTo("node");
            assertThat(s.get("exported_job")).isEqualTo("app");
            assertThat(s.get("exported_instance")).isEqualTo("x");
        });
        storage.close();
        MemStorage fresh = new MemStorage();
        ScrapeLoop honored = new ScrapeLoop(l.target(), opts(0, 0, 0, true, List.of()),
                new HttpScraper(HttpClient.newBuilder(), io.pyrometer.config.HttpClientConfig.DEFAULT), fresh, new ScrapeMetrics(new PrometheusRegistry()), 0);
        honored.scrapeOnce(1000, 1000);
        try (Querier q = fresh.querier(0, 2000)) {
            SeriesSet ss = q.select(true, null, List.of(LabelMatcher.eq("__name__", "a")));
            assertThat(ss.next()).isTrue();
            assertThat(ss.at().labels().get("job")).isEqualTo("app");
            assertThat(ss.at().labels().has("exported_job")).isFalse();
        }
    }

    @Test
    void metricRelabelingDropsSeriesAndCountsThem() {
        body.set("keep_me 1\ndrop_me 2\n");
        RelabelConfig drop = RelabelConfig.of(List.of("__name__"), null, "drop_.*", null, null, null, RelabelConfig.Action.DROP);
        ScrapeLoop l = loop(opts(0, 0, 0, false, List.of(drop)));
        l.scrapeOnce(1000, 1000);
        assertThat(samples("keep_me")).hasSize(1);
        assertThat(samples("drop_me")).isEmpty();
        assertThat(samples("scrape_samples_scraped")).containsExactly(new double[] {1000, 2});
        assertThat(samples("scrape_samples_post_metric_relabeling")).containsExactly(new double[] {1000, 1});
    }

    @Test
    void explicitTimestampsAreHonoredAndGzipIsDecoded() {
        gzip = true;
        body.set("a 1 500\n");
        ScrapeLoop l = defaultLoop();
        l.scrapeOnce(1000, 1000);
        assertThat(samples("a")).containsExactly(new double[] {500, 1});
    }

    @Test
    void openMetricsIsParsedWhenTheTargetSaysSo() {
        contentType.set("application/openmetrics-text; version=1.0.0; charset=utf-8");
        body.set("# TYPE c counter\n# HELP c Help.\nc_total 7\n# EOF\n");
        ScrapeLoop l = defaultLoop();
        l.scrapeOnce(1000, 1000);
        assertThat(samples("c_total")).containsExactly(new double[] {1000, 7});
        assertThat(l.target().metadata().get("c").help()).isEqualTo("Help.");
    }

    @Test
    void slowTargetTimesOut() {
        body.set("a 1\n");
        delayMs = 3_000;
        ScrapeLoop l = defaultLoop(); // timeout 1s
        l.scrapeOnce(1000, 1000);
        assertThat(l.target().lastError()).endsWith("context deadline exceeded");
    }

    @Test
    void initialDelayIsStablePerTargetAndWithinTheInterval() {
        long a = ScrapeLoop.initialDelayMs(12345, 0, 15_000, 1_000_000);
        long b = ScrapeLoop.initialDelayMs(12345, 0, 15_000, 1_000_000 + 15_000);
        assertThat(a).isEqualTo(b).isBetween(0L, 15_000L);
        // the slot (now + delay) mod interval depends only on the hash
        assertThat((1_000_000 + a) % 15_000).isEqualTo((1_003_000 + ScrapeLoop.initialDelayMs(12345, 0, 15_000, 1_003_000)) % 15_000);
    }
}
