package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server process, killed with SIGKILL while it ingests, three times in a row: every
 * restart comes up on the same data directory, and every sample a query saw before the kill is
 * still there after it.
 */
class CrashRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private Process startServer(int port, Path config, Path data) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.pyrometer.cli.Main", "server",
                "--config.file=" + config, "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
    }

    private JsonNode query(int port, String q) throws Exception {
        String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
        return JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private boolean ready(int port) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** Samples of {@code crash_counter} stored so far (0 when none). */
    private long storedSamples(int port) throws Exception {
        JsonNode r = query(port, "sum(count_over_time(crash_counter[1h]))").path("data").path("result");
        return r.isEmpty() ? 0 : (long) Double.parseDouble(r.get(0).path("value").get(1).asText());
    }

    private static void await(String what, long timeoutMs, java.util.function.BooleanSupplier ok) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    @Test
    void everyQueriedSampleSurvivesRepeatedKillDashNine() throws Exception {
        AtomicLong scrapes = new AtomicLong();
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", ex -> {
            StringBuilder sb = new StringBuilder("# TYPE crash_counter counter\n");
            long n = scrapes.incrementAndGet();
            for (int i = 0; i < 50; i++) sb.append("crash_counter{i=\"").append(i).append("\"} ").append(n).append('\n');
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        target.start();
        int port = ServerIntegrationTest.freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 200ms, scrape_timeout: 150ms}
                scrape_configs:
                  - job_name: crash
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(target.getAddress().getPort()));
        Path data = dir.resolve("data");
        long seenBeforeKill = 0;
        try {
            for (int round = 1; round <= 3; round++) {
                Process p = startServer(port, config, data);
                try {
                    await("server ready (round " + round + ")", 30_000, () -> ready(port));
                    long after = storedSamples(port);
                    assertThat(after).as("round %d: samples queried before the kill", round).isGreaterThanOrEqualTo(seenBeforeKill);
                    long target0 = after + 500; // ingest ~10 more scrapes of 50 series
                    await("ingestion (round " + round + ")", 30_000, () -> {
                        try {
                            return storedSamples(port) >= target0;
                        } catch (Exception e) {
                            return false;
                        }
                    });
                    seenBeforeKill = storedSamples(port);
                } finally {
                    p.destroyForcibly(); // SIGKILL
                    p.waitFor();
                }
            }
            Process last = startServer(port, config, data);
            try {
                await("server ready after the last kill", 30_000, () -> ready(port));
                assertThat(storedSamples(port)).isGreaterThanOrEqualTo(seenBeforeKill);
                assertThat(query(port, "up").path("status").asText()).isEqualTo("success");
            } finally {
                last.destroy();
                last.waitFor();
            }
        } finally {
            target.stop(0);
        }
        List<String> log = Files.readAllLines(dir.resolve("server.log"));
        assertThat(log).noneMatch(l -> l.contains("Exception in thread"));
    }
}
