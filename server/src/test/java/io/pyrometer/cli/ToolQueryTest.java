package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.promql.engine.Engine;
import io.pyrometer.promql.engine.EngineOptions;
import io.pyrometer.promql.parser.ParseException;
import io.pyrometer.promql.parser.Parser;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.MemStorage;
import io.pyrometer.web.QueryApi;
import io.pyrometer.web.SeriesApi;
import io.pyrometer.web.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code pyrometer tool query} against our API over known data: the output a user scripts against
 * ({@code name{labels} => value @[seconds]}), and byte-for-byte agreement with the real
 * {@code promtool query} run against the same server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToolQueryTest {
    private static final long T0 = 1_700_000_000_000L; // one sample per 15s for 1h from here
    private WebServer web;
    private String url;

    record Result(int exitCode, String out, String err) {}

    @BeforeAll
    void start() throws Exception {
        MemStorage storage = new MemStorage();
        Appender app = storage.appender();
        for (int i = 0; i <= 240; i++) {
            long t = T0 + i * 15_000L;
            app.append(0, Labels.of("__name__", "http_requests_total", "job", "api", "code", "200"), t, i * 10);
            app.append(0, Labels.of("__name__", "http_requests_total", "job", "api", "code", "500"), t, i);
            app.append(0, Labels.of("__name__", "temperature", "job", "sensor", "room", "a \"b\"\n<c>"), t, 20.5);
            app.append(0, Labels.of("__name__", "bytes", "job", "big"), t, 1.5e22);
            app.append(0, Labels.of("__name__", "tiny", "job", "small"), t, 1e-7);
        }
        app.commit();
        Function<String, List<LabelMatcher>> sel = s -> {
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
        url = "http://127.0.0.1:" + web.port();
    }

    @AfterAll
    void stop() {
        web.close();
    }

    private static String sec(long ms) { return ToolFormat.seconds(ms); }

    private Result ours(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        List<String> full = new ArrayList<>(List.of("tool"));
        full.addAll(args.stream().map(a -> a.replace("URL", url)).toList());
        int rc = Main.run(full, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result promtool(List<String> args) throws Exception {
        ToolTsdbTest.Result r = ToolTsdbTest.promtool(args.stream().map(a -> a.replace("URL", url)).toArray());
        return new Result(r.exitCode(), r.out(), r.err());
    }

    static Stream<List<String>> sameAsPromtool() {
        String t = sec(T0 + 60_000), start = sec(T0), end = sec(T0 + 45_000);
        return Stream.of(
                List.of("query", "instant", "--time=" + t, "URL", "temperature"),
                List.of("query", "instant", "--time=" + t, "URL", "http_requests_total"),
                List.of("query", "instant", "-o", "json", "--time=" + t, "URL", "http_requests_total"),
                List.of("query", "instant", "--time=" + t, "URL", "sum(http_requests_total)"),
                List.of("query", "instant", "--time=" + t, "URL", "bytes"),
                List.of("query", "instant", "--time=" + t, "URL", "tiny"),
                List.of("query", "instant", "--time=" + t, "URL", "rate(http_requests_total[1m]) / 3"),
                List.of("query", "instant", "--time=" + t, "URL", "nonexistent"),
                List.of("query", "instant", "--time=" + t, "URL", "1.5"),
                List.of("query", "instant", "--time=2023-11-14T22:14:20.5Z", "URL", "temperature"),
                List.of("query", "instant", "--format=json", "--time=" + t, "URL", "temperature"),
                List.of("query", "instant", "--format=json", "--time=" + t, "URL", "2"),
                List.of("query", "-o", "json", "instant", "--time=" + t, "URL", "temperature"),
                List.of("query", "range", "--start=" + start, "--end=" + end, "--step=15s", "URL", "http_requests_total"),
                List.of("query", "range", "--start=" + start, "--end=" + end, "--step=15s", "URL", "temperature or bytes"),
                List.of("query", "range", "-o", "json", "--start=" + start, "--end=" + end, "--step=15s", "URL", "http_requests_total"),
                List.of("query", "range", "--start=" + start, "--end=" + end, "URL", "tiny"),
                List.of("query", "series", "--match=http_requests_total", "--match=temperature", "--start=" + start, "--end=" + end, "URL"),
                List.of("query", "series", "-o", "json", "--match={job=\"sensor\"}", "--start=" + start, "--end=" + end, "URL"),
                List.of("query", "labels", "--start=" + start, "--end=" + end, "URL", "job"),
                List.of("query", "labels", "--match=http_requests_total", "--start=" + start, "--end=" + end, "URL", "code"),
                List.of("query", "labels", "-o", "json", "--start=" + start, "--end=" + end, "URL", "__name__"),
                // failures: exit 1 and the server's error on stderr
                List.of("query", "instant", "--time=" + t, "URL", "sum(("),
                List.of("query", "range", "--start=" + end, "--end=" + start, "URL", "up"));
    }

    @ParameterizedTest
    @MethodSource
    void sameAsPromtool(List<String> args) throws Exception {
        Result want = promtool(args);
        Result got = ours(args);
        assertThat(got.out()).as("stdout of %s", args).isEqualTo(want.out());
        assertThat(got.exitCode()).as("exit code of %s (stderr %s)", args, got.err()).isEqualTo(want.exitCode());
        if (want.exitCode() != 0) assertThat(got.err()).as("stderr of %s", args).isEqualTo(want.err());
    }

    @Test
    void instantVectorPrintsNameLabelsValueAndSeconds() {
        Result r = ours(List.of("query", "instant", "--time=" + sec(T0 + 60_000), "URL", "http_requests_total"));
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                http_requests_total{code="200", job="api"} => 40 @[1700000060]
                http_requests_total{code="500", job="api"} => 4 @[1700000060]
                """);
    }

    @Test
    void valuesUseGoDecimalFormNeverExponents() {
        Result r = ours(List.of("query", "instant", "--time=" + sec(T0 + 60_000), "URL", "tiny or bytes"));
        assertThat(r.out()).contains("bytes{job=\"big\"} => 15000000000000000000000 @[1700000060]")
                .contains("tiny{job=\"small\"} => 0.0000001 @[1700000060]");
    }

    @Test
    void rangeQueryPrintsOneBlockPerSeries() {
        Result r = ours(List.of("query", "range", "--start=" + sec(T0), "--end=" + sec(T0 + 30_000), "--step=15s", "URL",
                "http_requests_total{code=\"500\"}"));
        assertThat(r.out()).isEqualTo("""
                http_requests_total{code="500", job="api"} =>
                0 @[1700000000]
                1 @[1700000015]
                2 @[1700000030]
                """);
    }

    @Test
    void jsonOutputIsTheApiValueAsGoEncodesIt() {
        Result r = ours(List.of("query", "instant", "-o", "json", "--time=" + sec(T0), "URL", "temperature"));
        assertThat(r.out()).isEqualTo(
                "[{\"metric\":{\"__name__\":\"temperature\",\"job\":\"sensor\",\"room\":\"a \\\"b\\\"\\n\\u003cc\\u003e\"},\"value\":[1700000000,\"20.5\"]}]\n");
    }

    @Test
    void seriesNeedsMatch() {
        Result r = ours(List.of("query", "series", "URL"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("required flag --match not provided");
    }

    @Test
    void badQueryExitsOneWithTheServersError() {
        Result r = ours(List.of("query", "instant", "URL", "sum(("));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("query error: bad_data: ");
    }

    @Test
    void unreachableServerExitsOne() {
        Result r = ours(List.of("query", "instant", "http://127.0.0.1:1", "up"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("query error: Post \"http://127.0.0.1:1/api/v1/query\": dial tcp 127.0.0.1:1: connect: connection refused");
    }

    @Test
    void badTimeIsNamed() {
        Result r = ours(List.of("query", "instant", "--time=yesterday", "URL", "up"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error parsing evaluation time: cannot parse \"yesterday\" to a valid timestamp\n");
    }

    @Test
    void helpListsFlagsWithDefaults() {
        Result r = ours(List.of("query", "range", "--help"));
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--format=<value>").contains("(default: promql)").contains("--start=<value>").contains("--step=<value>")
                .contains("<expr>");
    }
}
