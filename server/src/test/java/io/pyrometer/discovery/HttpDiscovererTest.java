package io.pyrometer.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.HttpSdConfig;
import io.pyrometer.model.Labels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real HTTP server on loopback. */
class HttpDiscovererTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** What the server answers next: status, content type, body. */
    private record Reply(int status, String contentType, String body) {}

    private HttpServer server;
    private volatile Reply reply = new Reply(200, "application/json", "[]");
    private final BlockingQueue<Map<String, List<String>>> requests = new LinkedBlockingQueue<>();
    private final DiscoveryMetrics metrics = new DiscoveryMetrics(new PrometheusRegistry());
    private UpdateCollector collector;
    private String url;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/sd", this::handle);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/sd";
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.add(Map.copyOf(ex.getRequestHeaders()));
        Reply r = reply;
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        ex.sendResponseHeaders(r.status(), body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (collector != null) collector.stop();
        server.stop(0);
    }

    private UpdateCollector run(long refreshMs, HttpClientConfig http) {
        collector = new UpdateCollector().start(new HttpDiscoverer(new HttpSdConfig(url, refreshMs, http), metrics));
        return collector;
    }

    @Test
    void readsGroupsWithUrlSourcesAndMetaUrlAndSendsPrometheusHeaders() throws Exception {
        reply = new Reply(200, "application/json; charset=utf-8",
                "[{\"targets\": [\"a:1\", \"b:1\"], \"labels\": {\"dc\": \"x\"}}, {\"targets\": [\"c:1\"]}]");
        Map<String, TargetGroup> gs = run(60_000, HttpClientConfig.DEFAULT).await(m -> m.size() == 2, WAIT);

        assertThat(gs).containsOnlyKeys(url + ":0", url + ":1");
        assertThat(gs.get(url + ":0").targets()).containsExactly(Labels.of("__address__", "a:1"), Labels.of("__address__", "b:1"));
        assertThat(gs.get(url + ":0").labels()).isEqualTo(Labels.of("dc", "x", "__meta_url", url));
        Map<String, List<String>> h = requests.take();
        assertThat(h.get("Accept")).containsExactly("application/json");
        assertThat(h.get("X-prometheus-refresh-interval-seconds")).containsExactly("60");
    }

    @Test
    void failuresAreCountedAndKeepTheLastGoodGroups() throws Exception {
        reply = new Reply(200, "application/json", "[{\"targets\": [\"a:1\"]}]");
        run(100, HttpClientConfig.DEFAULT).await(m -> m.size() == 1, WAIT);
        int updates = collector.updates();

        reply = new Reply(503, "application/json", "[]");
        waitForFailures(1);
        reply = new Reply(200, "text/html", "<html>");
        waitForFailures(2);
        reply = new Reply(200, "application/json", "[{\"targets\": [");
        waitForFailures(3);
        assertThat(collector.updates()).as("a failed refresh sends nothing").isEqualTo(updates);
        assertThat(collector.groups().get(url + ":0").targets()).containsExactly(Labels.of("__address__", "a:1"));

        reply = new Reply(200, "application/json", "[]");
        collector.await(Map::isEmpty, WAIT);
    }

    @Test
    void fewerGroupsThanLastTimeSendsEmptyGroupsForTheMissingSources() throws Exception {
        reply = new Reply(200, "application/json", "[{\"targets\": [\"a:1\"]}, {\"targets\": [\"b:1\"]}]");
        run(100, HttpClientConfig.DEFAULT).await(m -> m.size() == 2, WAIT);
        reply = new Reply(200, "application/json", "[{\"targets\": [\"b:1\"]}]");
        Map<String, TargetGroup> gs = collector.await(m -> m.size() == 1, WAIT);
        assertThat(gs.get(url + ":0").targets()).containsExactly(Labels.of("__address__", "b:1"));
    }

    @Test
    void usesBasicAuthWithPasswordFileAndCustomHeaders(@TempDir Path tmp) throws Exception {
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "s3cret\n");
        HttpClientConfig http = new HttpClientConfig(new HttpClientConfig.BasicAuth("prom", "", "", pw.toString()), null, null,
                HttpClientConfig.TlsConfig.EMPTY, HttpClientConfig.ProxyConfig.EMPTY, true, true,
                Map.of("X-Tenant", new HttpClientConfig.HttpHeader(List.of("t1"), List.of(), List.of())));
        run(60_000, http);
        Map<String, List<String>> h = requests.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(h).isNotNull();
        assertThat(h.get("Authorization")).containsExactly("Basic cHJvbTpzM2NyZXQ="); // base64("prom:s3cret")
        assertThat(h.get("X-tenant")).containsExactly("t1");
    }

    @Test
    void bearerAuthorization() throws Exception {
        HttpClientConfig http = new HttpClientConfig(null, new HttpClientConfig.Authorization("Bearer", "tok", ""), null,
                HttpClientConfig.TlsConfig.EMPTY, HttpClientConfig.ProxyConfig.EMPTY, true, true, Map.of());
        run(60_000, http);
        Map<String, List<String>> h = requests.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(h.get("Authorization")).containsExactly("Bearer tok");
    }

    @Test
    void oauth2IsRejectedWithAClearError() {
        HttpClientConfig http = new HttpClientConfig(null, null,
                new HttpClientConfig.OAuth2("id", "secret", "", List.of(), "http://token", Map.of(),
                        HttpClientConfig.TlsConfig.EMPTY, HttpClientConfig.ProxyConfig.EMPTY),
                HttpClientConfig.TlsConfig.EMPTY, HttpClientConfig.ProxyConfig.EMPTY, true, true, Map.of());
        assertThatThrownBy(() -> new HttpDiscoverer(new HttpSdConfig(url, 1000, http), metrics))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oauth2 is not supported");
    }

    @Test
    void stoppingReleasesTheHttpClientThread() throws Exception {
        java.util.Set<Thread> before = selectorThreads();
        run(60_000, HttpClientConfig.DEFAULT).awaitUpdates(1, WAIT);
        // other tests' clients may end their selector threads meanwhile: look for a new one, not a larger count
        assertThat(selectorThreads()).anyMatch(t -> !before.contains(t));
        collector.stop();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!before.containsAll(selectorThreads()) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(before).containsAll(selectorThreads());
    }

    private static java.util.Set<Thread> selectorThreads() {
        java.util.Set<Thread> out = new java.util.HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().contains("SelectorManager") && t.isAlive()) out.add(t);
        return out;
    }

    private void waitForFailures(double n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (metrics.httpFailures.get() < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("failures: " + metrics.httpFailures.get());
            Thread.sleep(20);
        }
    }
}
