package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server loads rule files at start and on reload; a bad rule file fails the reload and keeps the old rules. */
class RulesReloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    private String get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String await(int port, String path, Predicate<String> ok) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        String last = null;
        while (System.currentTimeMillis() < deadline) {
            last = get(port, path);
            if (ok.test(last)) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met for " + path + "; last: " + last);
    }

    private static List<String> groupNames(String rulesJson) throws Exception {
        JsonNode n = JSON.readTree(rulesJson);
        return n.at("/data/groups").findValuesAsText("name").stream().filter(s -> s.startsWith("g")).toList();
    }

    @Test
    void ruleFilesLoadAtStartAndReloadOnChangeKeepingOldRulesWhenBad(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, "groups:\n- name: g1\n  interval: 1s\n  rules:\n  - record: one\n    expr: vector(1)\n");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global: {evaluation_interval: 1s}\nrule_files: [rules.yml]\nscrape_configs: []\n");
        int port = ServerIntegrationTest.freePort();
        try (Server s = Server.start(ServerFlags.declare().parse(List.of("--config.file=" + config, "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.path=" + dir.resolve("data"), "--config.auto-reload-interval=200ms")), () -> { })) {
            assertThat(groupNames(get(port, "/api/v1/rules"))).containsExactly("g1");
            await(port, "/api/v1/query?query=one", b -> b.contains("\"one\""));

            Files.writeString(rules, "groups:\n- name: g1\n  rules:\n  - record: one\n    expr: vector(\n");
            await(port, "/metrics", b -> b.contains("prometheus_config_last_reload_successful 0"));
            assertThat(groupNames(get(port, "/api/v1/rules"))).containsExactly("g1");
            assertThat(s.reload("test")).contains("rules.yml: 5:11: group \"g1\", rule 1, \"one\": could not parse expression");

            Files.writeString(rules, "groups:\n- name: g2\n  rules:\n  - record: two\n    expr: vector(2)\n");
            await(port, "/metrics", b -> b.contains("prometheus_config_last_reload_successful 1"));
            assertThat(groupNames(get(port, "/api/v1/rules"))).containsExactly("g2");
        }
    }

    @Test
    void badRuleFileFailsStartup(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("rules.yml"), "groups:\n- name: g\n  rules:\n  - record: x\n    expr: sum(\n");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "rule_files: [rules.yml]\n");
        int port = ServerIntegrationTest.freePort();
        try (Server s = Server.start(ServerFlags.declare().parse(List.of("--config.file=" + config, "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.path=" + dir.resolve("data"))), () -> { })) {
            throw new AssertionError("started with a broken rule file: " + s);
        } catch (Server.StartupException e) {
            assertThat(e.getMessage()).contains("error loading rules").contains("rules.yml: 5:11: group \"g\", rule 1, \"x\": could not parse expression");
        }
    }
}
