package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same rule file (test resources {@code rules-interop/node.yml}: our own node_exporter rules)
 * run by the real Prometheus ({@code /usr/bin/prometheus}) and by Pyrometer, both scraping the same
 * real node_exporter: same {@code /api/v1/rules} structure, same {@code ALERTS} series, and every
 * rule healthy against real node_exporter data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RulesInteropTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Process nodeExporter;
    private Process prometheus;
    private Server server;
    private int ourPort;
    private int theirPort;

    @BeforeAll
    void startAll(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), "rules interop skipped: /usr/bin/prometheus not installed (.ci/run installs it)");
        assumeTrue(Files.isExecutable(NODE_EXPORTER), "rules interop skipped: /usr/bin/prometheus-node-exporter not installed");
        int nodePort = ServerIntegrationTest.freePort();
        nodeExporter = new ProcessBuilder(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + nodePort,
                "--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.loadavg")
                .redirectErrorStream(true).redirectOutput(dir.resolve("node_exporter.log").toFile()).start();
        Files.createDirectories(dir.resolve("rules"));
        try (InputStream in = RulesInteropTest.class.getResourceAsStream("/rules-interop/node.yml")) {
            Files.write(dir.resolve("rules/node.yml"), in.readAllBytes());
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                  evaluation_interval: 1s
                rule_files: ["rules/*.yml"]
                scrape_configs:
                  - job_name: node
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(nodePort));
        theirPort = ServerIntegrationTest.freePort();
        prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("prom-data"),
                "--web.listen-address=127.0.0.1:" + theirPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        ourPort = ServerIntegrationTest.freePort();
        server = Server.start(ServerFlags.declare().parse(List.of("--config.file=" + config, "--web.listen-address=127.0.0.1:" + ourPort,
                "--storage.tsdb.path=" + dir.resolve("data"))), () -> { });
    }

    @AfterAll
    void stopAll() throws Exception {
        if (server != null) server.close();
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
        if (nodeExporter != null) nodeExporter.destroy();
    }

    private JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private JsonNode await(int port, String path, Predicate<JsonNode> ok) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                last = get(port, path);
                if (ok.test(last)) return last;
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("condition not met on port " + port + " for " + path + "; last response: " + last);
    }

    /** Every rule evaluated at least twice over scraped data: all rules have a result. */
    private static boolean settled(JsonNode rules) {
        int n = 0;
        for (JsonNode g : rules.at("/data/groups")) {
            for (JsonNode r : g.get("rules")) {
                if (r.get("lastEvaluation").asText().startsWith("0001")) return false;
                n++;
            }
        }
        return n == 8;
    }

    /** What both servers must agree on: per group and rule everything but timings and values. */
    private static List<String> structure(JsonNode rules) {
        List<String> out = new ArrayList<>();
        for (JsonNode g : rules.at("/data/groups")) {
            out.add("group " + g.get("name").asText() + " file=" + g.get("file").asText() + " interval=" + g.get("interval").asDouble()
                    + " limit=" + g.path("limit").asInt());
            for (JsonNode r : g.get("rules")) {
                JsonNode labels = r.path("labels").isMissingNode() ? JSON.createObjectNode() : r.get("labels");
                StringBuilder sb = new StringBuilder("  " + r.get("type").asText() + " " + r.get("name").asText() + " query=" + r.get("query").asText()
                        + " labels=" + labels + " health=" + r.get("health").asText());
                if (r.get("type").asText().equals("alerting")) {
                    sb.append(" duration=").append(r.get("duration").asDouble()).append(" annotations=").append(r.get("annotations"))
                            .append(" state=").append(r.get("state").asText());
                    TreeSet<String> alerts = new TreeSet<>();
                    for (JsonNode a : r.get("alerts")) alerts.add(a.get("labels") + " " + a.get("annotations") + " " + a.get("state").asText());
                    sb.append(" alerts=").append(alerts);
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    private TreeSet<String> alertsSeries(int port) throws Exception {
        JsonNode r = get(port, "/api/v1/query?query=" + URLEncoder.encode("ALERTS", StandardCharsets.UTF_8));
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode s : r.at("/data/result")) out.add(s.get("metric").toString() + " " + s.at("/value/1").asText());
        return out;
    }

    @Test
    void sameRulesStructureAndAlertsAsPrometheus() throws Exception {
        JsonNode ours = await(ourPort, "/api/v1/rules", RulesInteropTest::settled);
        JsonNode theirs = await(theirPort, "/api/v1/rules", RulesInteropTest::settled);
        // ALERTS is written from the second evaluation on (after the `for` state is restored)
        String alerts = "/api/v1/query?query=" + URLEncoder.encode("count(ALERTS)", StandardCharsets.UTF_8);
        await(ourPort, alerts, r -> r.at("/data/result/0/value/1").asText().equals("2"));
        await(theirPort, alerts, r -> r.at("/data/result/0/value/1").asText().equals("2"));
        // both have evaluated; compare a fresh pair taken back to back
        ours = get(ourPort, "/api/v1/rules");
        theirs = get(theirPort, "/api/v1/rules");
        assertThat(structure(ours)).isEqualTo(structure(theirs));
        for (String line : structure(ours)) if (line.startsWith("  ")) assertThat(line).contains("health=ok");
        assertThat(alertsSeries(ourPort)).isEqualTo(alertsSeries(theirPort)).isNotEmpty();
        JsonNode mem = get(ourPort, "/api/v1/query?query=instance:node_memory_utilisation:ratio");
        assertThat(mem.at("/data/result/0/value/1").asDouble()).isBetween(0.0, 1.0);
    }
}
