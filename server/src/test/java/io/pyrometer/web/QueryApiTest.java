package io.pyrometer.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.Labels;
import io.pyrometer.promql.engine.Engine;
import io.pyrometer.promql.engine.EngineOptions;
import io.pyrometer.promql.parser.ParseException;
import io.pyrometer.promql.parser.Parser;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.MemStorage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The query API over HTTP with known data: JSON shapes and errors as Prometheus's, and the real
 * {@code promtool query} (Debian prometheus) as a client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_700_000_000_000L; // data starts here, one sample per 15s for 1h
    private final HttpClient client = HttpClient.newHttpClient();
    private WebServer web;
    private WebServer tight;

    @BeforeAll
    void start() throws Exception {
        MemStorage storage = new MemStorage();
        Appender app = storage.appender();
        for (int i = 0; i <= 240; i++) {
            long t = T0 + i * 15_000L;
            app.append(0, Labels.of("__name__", "http_requests_total", "job", "api", "code", "200"), t, i * 10);
            app.append(0, Labels.of("__name__", "http_requests_total", "job", "api", "code", "500"), t, i);
            app.append(0, Labels.of("__name__", "temperature", "job", "sensor"), t, 20.5);
        }
        app.commit();
        java.util.function.Function<String, List<io.pyrometer.model.LabelMatcher>> sel = s -> {
            try {
                return Parser.parseMetricSelector(s);
            } catch (ParseException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        };
        web = new WebServer(new WebServer.Options("127.0.0.1:0", false, false, 1 << 20, 64), new PrometheusRegistry());
        new QueryApi(new Engine(EngineOptions.defaults()), storage, 4).register(web);
        new SeriesApi(storage, sel).register(web);
        web.start();
        tight = new WebServer(new WebServer.Options("127.0.0.1:0", false, false, 1 << 20, 64), new PrometheusRegistry());
        new QueryApi(new Engine(EngineOptions.defaults().withMaxSamples(100)), storage, 4).register(tight);
        tight.start();
    }

    @AfterAll
    void stop() {
        web.close();
        tight.close();
    }

    private HttpResponse<String> get(WebServer w, String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + w.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static String sec(long ms) { return Floats.timestamp(ms); }

    @Test
    void instantVectorHasPrometheusShape() throws Exception {
        long t = T0 + 3_600_000;
        HttpResponse<String> r = get(web, "/api/v1/query?query=" + enc("sum by (code) (rate(http_requests_total[5m]))") + "&time=" + sec(t));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.path("status").asText()).isEqualTo("success");
        assertThat(j.path("data").path("resultType").asText()).isEqualTo("vector");
        JsonNode res = j.path("data").path("result");
        assertThat(res.size()).isEqualTo(2);
        JsonNode first = res.get(0);
        assertThat(first.path("metric").path("code").asText()).isIn("200", "500");
        assertThat(first.path("value").get(0).asDouble()).isEqualTo(t / 1000.0);
        // 10 per 15s for code 200 = 0.6666..., 1 per 15s for 500 = 0.0666...
        double v = Double.parseDouble(first.path("value").get(1).asText());
        assertThat(v).isCloseTo(first.path("metric").path("code").asText().equals("200") ? 10 / 15.0 : 1 / 15.0,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void scalarAndStringResults() throws Exception {
        JsonNode j = JSON.readTree(get(web, "/api/v1/query?query=" + enc("1+1") + "&time=1.5").body());
        assertThat(j.path("data").path("resultType").asText()).isEqualTo("scalar");
        assertThat(j.path("data").path("result").toString()).isEqualTo("[1.5,\"2\"]");
        j = JSON.readTree(get(web, "/api/v1/query?query=" + enc("\"hi\"") + "&time=2").body());
        assertThat(j.path("data").path("result").toString()).isEqualTo("[2,\"hi\"]");
    }

    @Test
    void rangeQueryReturnsAMatrixAndPostFormWorks() throws Exception {
        String form = "query=" + enc("temperature") + "&start=" + sec(T0) + "&end=" + sec(T0 + 60_000) + "&step=15s";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/api/v1/query_range"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.path("data").path("resultType").asText()).isEqualTo("matrix");
        JsonNode values = j.path("data").path("result").get(0).path("values");
        assertThat(values.size()).isEqualTo(5);
        assertThat(values.get(0).toString()).isEqualTo("[" + sec(T0) + ",\"20.5\"]");
        assertThat(j.path("data").path("result").get(0).path("metric").path("__name__").asText()).isEqualTo("temperature");
    }

    @Test
    void parseErrorsAreBadDataWithPosition() throws Exception {
        HttpResponse<String> r = get(web, "/api/v1/query?query=" + enc("sum(rate(x[5m])"));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.path("status").asText()).isEqualTo("error");
        assertThat(j.path("errorType").asText()).isEqualTo("bad_data");
        assertThat(j.path("error").asText()).startsWith("invalid parameter \"query\": 1:");
    }

    @Test
    void rangeParameterErrorsUsePrometheusWording() throws Exception {
        JsonNode j = JSON.readTree(get(web, "/api/v1/query_range?query=up&start=100&end=50&step=1").body());
        assertThat(j.path("error").asText()).isEqualTo("invalid parameter \"end\": end timestamp must not be before start time");
        j = JSON.readTree(get(web, "/api/v1/query_range?query=up&start=0&end=50&step=0").body());
        assertThat(j.path("error").asText()).isEqualTo("invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer");
        j = JSON.readTree(get(web, "/api/v1/query_range?query=up&start=0&end=100000&step=1").body());
        assertThat(j.path("error").asText()).startsWith("exceeded maximum resolution of 11,000 points per timeseries");
        j = JSON.readTree(get(web, "/api/v1/query?query=up&time=yesterday").body());
        assertThat(j.path("error").asText()).isEqualTo("invalid parameter \"time\": invalid time value for 'time': cannot parse \"yesterday\" to a valid timestamp");
    }

    @Test
    void maxSamplesLimitIsAnExecutionError() throws Exception {
        HttpResponse<String> r = get(tight, "/api/v1/query?query=" + enc("count_over_time(http_requests_total[1h])") + "&time=" + sec(T0 + 3_600_000));
        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.path("errorType").asText()).isEqualTo("execution");
        assertThat(j.path("error").asText()).isEqualTo("query processing would load too many samples into memory in query execution");
    }

    @Test
    void statsAllReportsSamples() throws Exception {
        JsonNode j = JSON.readTree(get(web, "/api/v1/query?stats=all&query=" + enc("temperature") + "&time=" + sec(T0 + 60_000)).body());
        assertThat(j.path("data").path("stats").path("samples").path("totalQueryableSamples").asLong()).isPositive();
        assertThat(j.path("data").path("stats").path("timings").has("evalTotalTime")).isTrue();
    }

    @Test
    void formatQueryPrintsCanonically() throws Exception {
        JsonNode j = JSON.readTree(get(web, "/api/v1/format_query?query=" + enc("sum(rate(foo{job=\"a\"}[5m]))by(job)")).body());
        assertThat(j.path("data").asText()).isEqualTo("sum by (job) (rate(foo{job=\"a\"}[5m]))");
    }

    @Test
    void parseQueryReturnsTheSyntaxTree() throws Exception {
        JsonNode j = JSON.readTree(get(web, "/api/v1/parse_query?query=" + enc("sum(up)")).body());
        assertThat(j.path("status").asText()).isEqualTo("success");
        assertThat(j.path("data").path("type").asText()).isEqualTo("aggregation");
        assertThat(j.path("data").path("op").asText()).isEqualTo("sum");
        assertThat(j.path("data").path("expr").path("type").asText()).isEqualTo("vectorSelector");
        assertThat(j.path("data").path("expr").path("name").asText()).isEqualTo("up");
    }

    private static String promtool(String... args) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool), "promtool interop skipped: /usr/bin/promtool not installed (apt-get install prometheus)");
        List<String> cmd = new ArrayList<>();
        cmd.add(promtool.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void promtoolQueriesOurServer() throws Exception {
        String url = "http://127.0.0.1:" + web.port();
        String out = promtool("query", "instant", "--time=" + sec(T0 + 60_000), url, "temperature");
        assertThat(out.trim()).isEqualTo("temperature{job=\"sensor\"} => 20.5 @[" + sec(T0 + 60_000) + "]");
        out = promtool("query", "range", "--start=" + sec(T0), "--end=" + sec(T0 + 30_000), "--step=15s", url, "temperature");
        assertThat(out).contains("temperature{job=\"sensor\"} =>").contains("20.5 @[" + sec(T0 + 30_000) + "]");
        // promtool's default window is now±9999h: our data is older, so give it
        out = promtool("query", "series", "--match=http_requests_total", "--start=" + sec(T0), "--end=" + sec(T0 + 60_000), url);
        assertThat(out).contains("{__name__=\"http_requests_total\", code=\"200\", job=\"api\"}")
                .contains("{__name__=\"http_requests_total\", code=\"500\", job=\"api\"}");
        out = promtool("query", "labels", "--start=" + sec(T0), "--end=" + sec(T0 + 60_000), url, "job");
        assertThat(out.lines().toList()).containsExactly("api", "sensor");
    }
}
