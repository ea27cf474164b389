package io.pyrometer.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.promql.engine.Engine;
import io.pyrometer.promql.engine.EngineOptions;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.MemStorage;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.Queryable;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.SeriesSet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --query.max-concurrency} and the {@code timeout} parameter over HTTP. Deterministic:
 * a query holds the only slot for as long as the test says (its storage select blocks on a
 * latch), and a "slow" query's select sleeps past its deadline; nothing asserts elapsed times.
 */
class QueryApiLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_700_000_000_000L;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<WebServer> servers = new ArrayList<>();

    /** MemStorage whose selects of {@code held} block until {@link #release}, and of {@code slow} sleep {@code slowMs}. */
    static final class ControlledStorage implements Queryable {
        final MemStorage data = new MemStorage();
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger selects = new AtomicInteger();
        final long slowMs;

        ControlledStorage(long slowMs) {
            this.slowMs = slowMs;
            Appender app = data.appender();
            for (String name : List.of("held", "slow", "free")) {
                for (int i = 0; i <= 20; i++) app.append(0, Labels.of("__name__", name, "job", "a"), T0 + i * 15_000L, i);
            }
            app.commit();
        }

        @Override
        public Querier querier(long minTimeMs, long maxTimeMs) {
            Querier q = data.querier(minTimeMs, maxTimeMs);
            return new Querier() {
                @Override
                public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
                    selects.incrementAndGet();
                    String name = "";
                    for (LabelMatcher m : matchers) if (m.name().equals("__name__")) name = m.value();
                    try {
                        if (name.equals("held")) {
                            held.countDown();
                            assertThat(release.await(20, TimeUnit.SECONDS)).as("test released the held query").isTrue();
                        } else if (name.equals("slow")) {
                            Thread.sleep(slowMs);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return q.select(sortSeries, hints, matchers);
                }

                @Override
                public List<String> labelValues(String n, List<LabelMatcher> ms) { return q.labelValues(n, ms); }

                @Override
                public List<String> labelNames(List<LabelMatcher> ms) { return q.labelNames(ms); }

                @Override
                public void close() { q.close(); }
            };
        }
    }

    record Served(WebServer web, QueryApi api) {}

    Served serve(Queryable storage, EngineOptions eo, int maxConcurrency) throws Exception {
        WebServer web = new WebServer(new WebServer.Options("127.0.0.1:0", false, false, 1 << 20, 64), new PrometheusRegistry());
        QueryApi api = new QueryApi(new Engine(eo), storage, maxConcurrency);
        api.register(web);
        web.start();
        servers.add(web);
        return new Served(web, api);
    }

    @AfterEach
    void stop() {
        for (WebServer w : servers) w.close();
    }

    CompletableFuture<HttpResponse<String>> query(Served s, String expr, String extra) {
        String uri = "http://127.0.0.1:" + s.web().port() + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + "&time=" + Floats.timestamp(T0 + 300_000) + extra;
        return client.sendAsync(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void awaitQueued(QueryApi api, int n) throws InterruptedException {
        for (int i = 0; i < 2000 && api.queuedQueries() < n; i++) Thread.sleep(5);
        assertThat(api.queuedQueries()).as("queries waiting for a slot").isEqualTo(n);
    }

    static void assertTimeout(HttpResponse<String> r, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.path("status").asText()).isEqualTo("error");
        assertThat(j.path("errorType").asText()).isEqualTo("timeout");
        assertThat(j.path("error").asText()).isEqualTo(message);
    }

    @Test
    void withOneSlotASecondQueryWaitsUntilTheFirstIsDone() throws Exception {
        ControlledStorage storage = new ControlledStorage(0);
        Served s = serve(storage, EngineOptions.defaults(), 1);
        CompletableFuture<HttpResponse<String>> first = query(s, "held", "");
        assertThat(storage.held.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<HttpResponse<String>> second = query(s, "free", "");
        awaitQueued(s.api(), 1);
        assertThat(second).isNotDone();
        assertThat(storage.selects.get()).as("the second query has not reached the storage").isEqualTo(1);

        storage.release.countDown();
        HttpResponse<String> r1 = first.get(10, TimeUnit.SECONDS), r2 = second.get(10, TimeUnit.SECONDS);
        assertThat(r1.statusCode()).as(r1.body()).isEqualTo(200);
        assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
        assertThat(JSON.readTree(r2.body()).path("data").path("result").get(0).path("value").get(1).asText()).isEqualTo("20");
        assertThat(storage.selects.get()).isEqualTo(2);
    }

    @Test
    void aQueryWhoseTimeoutRunsOutInTheQueueFailsWithPrometheusTimeoutError() throws Exception {
        ControlledStorage storage = new ControlledStorage(0);
        Served s = serve(storage, EngineOptions.defaults(), 1);
        CompletableFuture<HttpResponse<String>> first = query(s, "held", "");
        assertThat(storage.held.await(10, TimeUnit.SECONDS)).isTrue();
        // the slot stays taken until after this query answered: its whole budget goes to waiting
        assertTimeout(query(s, "free", "&timeout=0.2").get(10, TimeUnit.SECONDS), "query timed out in query queue");
        assertThat(storage.selects.get()).isEqualTo(1);
        storage.release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    /**
     * The wait is taken from the evaluation's budget: the query waits at least 700 ms of its 1 s,
     * then its select sleeps 400 ms. Granting a fresh timeout after the wait would let it finish;
     * a slow machine can only move the failure into the queue, never make the query succeed.
     */
    @Test
    void timeSpentWaitingCountsAgainstTheQueryTimeout() throws Exception {
        ControlledStorage storage = new ControlledStorage(400);
        Served s = serve(storage, EngineOptions.defaults(), 1);
        CompletableFuture<HttpResponse<String>> first = query(s, "held", "");
        assertThat(storage.held.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<HttpResponse<String>> second = query(s, "slow", "&timeout=1");
        awaitQueued(s.api(), 1);
        Thread.sleep(700);
        storage.release.countDown();
        HttpResponse<String> r = second.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).path("errorType").asText()).isEqualTo("timeout");
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aTimeoutParameterSmallerThanTheEvaluationFailsTheQuery() throws Exception {
        Served s = serve(new ControlledStorage(300), EngineOptions.defaults(), 4);
        assertTimeout(query(s, "sum(slow)", "&timeout=50ms").get(10, TimeUnit.SECONDS), "query timed out in expression evaluation");
        assertTimeout(query(s, "slow", "&timeout=0.05").get(10, TimeUnit.SECONDS), "query timed out in expression evaluation");
        HttpResponse<String> ok = query(s, "slow", "&timeout=30s").get(10, TimeUnit.SECONDS);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    @Test
    void aZeroOrNegativeTimeoutTimesOutAtOnceAsInPrometheus() throws Exception {
        Served s = serve(new ControlledStorage(0), EngineOptions.defaults(), 4);
        for (String t : List.of("0", "-300")) {
            HttpResponse<String> r = query(s, "free", "&timeout=" + t).get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as("timeout=%s: %s", t, r.body()).isEqualTo(503);
            assertThat(JSON.readTree(r.body()).path("errorType").asText()).isEqualTo("timeout");
        }
        // Prometheus durations have no sign; float seconds beyond int64 nanoseconds overflow
        Map<String, String> bad = Map.of(
                "-5m", "invalid parameter \"timeout\": cannot parse \"-5m\" to a valid duration",
                "-1e300", "invalid parameter \"timeout\": cannot parse \"-1e300\" to a valid duration. It overflows int64");
        for (var e : bad.entrySet()) {
            HttpResponse<String> r = query(s, "free", "&timeout=" + e.getKey()).get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo(e.getValue());
        }
    }

    @Test
    void aTimeoutParameterCannotExtendQueryTimeout() throws Exception {
        Served s = serve(new ControlledStorage(300), EngineOptions.defaults().withTimeoutMs(50), 4);
        assertTimeout(query(s, "slow", "&timeout=1h").get(10, TimeUnit.SECONDS), "query timed out in expression evaluation");
    }

    @Test
    void anUnparsableTimeoutIsBadData() throws Exception {
        Served s = serve(new ControlledStorage(0), EngineOptions.defaults(), 4);
        for (String bad : List.of("soon", "5x", "1.5.3")) {
            HttpResponse<String> r = query(s, "free", "&timeout=" + bad).get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode j = JSON.readTree(r.body());
            assertThat(j.path("errorType").asText()).isEqualTo("bad_data");
            assertThat(j.path("error").asText()).isEqualTo("invalid parameter \"timeout\": cannot parse \"" + bad + "\" to a valid duration");
        }
    }

    /** Duration parameters are Prometheus durations, not Java float literals: {@code 1d} is a day, not a second. */
    @Test
    void aDurationWithADaySuffixIsADay() throws Exception {
        Served s = serve(new ControlledStorage(0), EngineOptions.defaults(), 4);
        String uri = "http://127.0.0.1:" + s.web().port() + "/api/v1/query_range?query=vector(1)&start=0&end=172800&step=1d&timeout=1d";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode values = JSON.readTree(r.body()).path("data").path("result").get(0).path("values");
        assertThat(values.toString()).isEqualTo("[[0,\"1\"],[86400,\"1\"],[172800,\"1\"]]");
    }
}
