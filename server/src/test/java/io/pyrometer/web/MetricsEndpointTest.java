package io.pyrometer.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_29_3.Metrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.Labels;
import io.pyrometer.model.textparse.ExpositionParser;
import io.pyrometer.model.textparse.ExpositionParsers;
import io.pyrometer.model.textparse.MetricType;
import io.pyrometer.model.textparse.TextParseException;
import io.pyrometer.storage.Appender;
import io.pyrometer.tsdb.DB;
import io.pyrometer.tsdb.DbOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a WebServer wired like the server: the registry's families plus the TSDB's
 * counters client_java cannot register ({@code prometheus_tsdb_head_series_created_total}), in
 * every format /metrics negotiates, read back with our own exposition parsers.
 */
class MetricsEndpointTest {
    static final String CREATED = "prometheus_tsdb_head_series_created_total";
    static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";
    static final String PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

    @TempDir
    Path tmp;
    private final HttpClient client = HttpClient.newHttpClient();
    private DB db;
    private WebServer web;

    @BeforeEach
    void start() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        db = DB.open(tmp.resolve("data"), DbOptions.defaults().withRegistry(registry).withMaintenanceIntervalMs(3600_000));
        web = new WebServer(new WebServer.Options("127.0.0.1:0", false, false, 1 << 20, 64), registry);
        web.addSelfMetrics(db.unregistrableMetrics());
        web.addStandardRoutes(() -> true, () -> {}, () -> {});
        web.start();
    }

    @AfterEach
    void stop() {
        web.close();
        db.close();
    }

    void createSeries(int from, int to) {
        Appender app = db.appender();
        for (int i = from; i < to; i++) app.append(0, Labels.of("__name__", "m", "i", Integer.toString(i)), 1000, i);
        app.commit();
    }

    HttpResponse<byte[]> scrape(String accept, boolean gzip) throws Exception {
        return scrape(accept, gzip, HttpClient.Version.HTTP_1_1);
    }

    /** Prometheus scrapes over HTTP/1.1 with {@code Accept-Encoding: gzip}; Java's client tries h2c upgrade by default. */
    HttpResponse<byte[]> scrape(String accept, boolean gzip, HttpClient.Version version) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/metrics")).version(version);
        if (accept != null) b.header("Accept", accept);
        if (gzip) b.header("Accept-Encoding", "gzip");
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    /** What our scrape parser makes of one family: its TYPE, HELP and the sample value. */
    record Family(MetricType type, String help, double value) {}

    /** Parses a whole exposition; fails on any syntax error or a family announced twice. */
    static Map<String, Family> parse(String contentType, byte[] body) throws TextParseException {
        ExpositionParser p = ExpositionParsers.forContentType(contentType, body, body.length);
        Map<String, MetricType> types = new HashMap<>();
        Map<String, String> helps = new HashMap<>();
        Map<String, Family> out = new HashMap<>();
        for (ExpositionParser.Entry e = p.next(); e != ExpositionParser.Entry.EOF; e = p.next()) {
            switch (e) {
                case TYPE -> assertThat(types.put(p.metricFamily(), p.type())).as("TYPE of %s once", p.metricFamily()).isNull();
                case HELP -> helps.put(p.metricFamily(), p.help());
                case SERIES -> {
                    String f = p.metricFamily();
                    if (p.labels().size() == 1) out.put(p.labels().get("__name__"), new Family(types.get(f), helps.get(f), p.value()));
                }
                default -> { }
            }
        }
        return out;
    }

    @Test
    void seriesCreatedTotalIsATextFormatCounterThatGrows() throws Exception {
        HttpResponse<byte[]> r = scrape(null, false);
        String ct = r.headers().firstValue("Content-Type").orElseThrow();
        assertThat(ct).startsWith("text/plain");
        Map<String, Family> before = parse(ct, r.body());
        assertThat(before.get(CREATED)).isEqualTo(new Family(MetricType.COUNTER, "Total number of series created in the head", 0));
        assertThat(before).containsKey("prometheus_tsdb_head_series"); // the registry's families are still there

        createSeries(0, 3);
        assertThat(parse(ct, scrape(null, false).body()).get(CREATED).value()).isEqualTo(3);
        createSeries(2, 5); // i=2 exists: two new series
        Map<String, Family> after = parse(ct, scrape(null, false).body());
        assertThat(after.get(CREATED).value()).isEqualTo(5);
        assertThat(after.get("prometheus_tsdb_head_series").value()).isEqualTo(5);
        assertThat(after.get("prometheus_tsdb_head_chunks_created_total").value()).isEqualTo(5);
        assertThat(after.get("prometheus_tsdb_head_chunks_created_total").type()).isEqualTo(MetricType.COUNTER);
    }

    @Test
    void openMetricsPutsTheCounterBeforeEof() throws Exception {
        createSeries(0, 4);
        HttpResponse<byte[]> r = scrape(OPENMETRICS, false);
        String ct = r.headers().firstValue("Content-Type").orElseThrow();
        assertThat(ct).startsWith("application/openmetrics-text");
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(text).endsWith("# EOF\n");
        assertThat(text.indexOf("# EOF")).isEqualTo(text.length() - "# EOF\n".length());
        assertThat(text).contains("# TYPE prometheus_tsdb_head_series_created counter\n");
        Map<String, Family> got = parse(ct, r.body());
        assertThat(got.get(CREATED)).isEqualTo(new Family(MetricType.COUNTER, "Total number of series created in the head", 4));
        assertThat(got).containsKey("prometheus_tsdb_head_series");
    }

    @Test
    void gzipAndProtobufCarryTheCounterToo() throws Exception {
        createSeries(0, 2);
        for (HttpClient.Version v : HttpClient.Version.values()) {
            HttpResponse<byte[]> gz = scrape(null, true, v);
            assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
            byte[] plain;
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
                plain = in.readAllBytes(); // gzipped once: what Prometheus's scraper undoes
            }
            assertThat(parse(gz.headers().firstValue("Content-Type").orElseThrow(), plain).get(CREATED).value()).as("%s", v).isEqualTo(2);
        }

        HttpResponse<byte[]> pb = scrape(PROTOBUF, false);
        assertThat(pb.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/vnd.google.protobuf");
        List<Metrics.MetricFamily> families = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(pb.body())) {
            for (Metrics.MetricFamily f = Metrics.MetricFamily.parseDelimitedFrom(in); f != null; f = Metrics.MetricFamily.parseDelimitedFrom(in)) {
                families.add(f);
            }
        }
        Metrics.MetricFamily created = families.stream().filter(f -> f.getName().equals(CREATED)).findFirst().orElseThrow();
        assertThat(created.getType()).isEqualTo(Metrics.MetricType.COUNTER);
        assertThat(created.getHelp()).isEqualTo("Total number of series created in the head");
        assertThat(created.getMetricList()).hasSize(1);
        assertThat(created.getMetric(0).getCounter().getValue()).isEqualTo(2);
        assertThat(families).anyMatch(f -> f.getName().equals("prometheus_tsdb_head_series"));
    }
}
