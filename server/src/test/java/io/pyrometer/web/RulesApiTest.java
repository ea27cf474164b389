package io.pyrometer.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.Labels;
import io.pyrometer.promql.engine.Engine;
import io.pyrometer.promql.engine.EngineOptions;
import io.pyrometer.promql.parser.ParseException;
import io.pyrometer.promql.parser.Parser;
import io.pyrometer.promql.parser.ParserOptions;
import io.pyrometer.rules.EngineQueries;
import io.pyrometer.rules.RuleGroup;
import io.pyrometer.rules.RuleManager;
import io.pyrometer.rules.RuleMetrics;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/rules} and {@code /api/v1/alerts}: Prometheus's JSON (web/api/v1/api.go) and filters. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RulesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
    private final HttpClient client = HttpClient.newHttpClient();
    private WebServer web;
    private RuleManager manager;
    private String file1;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        MemStorage storage = new MemStorage();
        Appender app = storage.appender();
        app.append(0, Labels.of("__name__", "up", "job", "a", "instance", "h1"), T0, 0);
        app.append(0, Labels.of("__name__", "up", "job", "a", "instance", "h2"), T0, 1);
        app.commit();
        AtomicLong clock = new AtomicLong(T0);
        manager = new RuleManager(new RuleManager.Options(EngineQueries.of(new Engine(EngineOptions.defaults()), storage), storage,
                storage, alerts -> {}, clock::get, new RuleMetrics(new PrometheusRegistry()), 60_000, 3_600_000, 600_000,
                "http://example", ParserOptions.DEFAULT));
        Path f1 = dir.resolve("1.yml");
        file1 = f1.toString();
        Files.writeString(f1, """
                groups:
                - name: alerts
                  interval: 30s
                  limit: 5
                  rules:
                  - alert: Down
                    expr: up==0
                    for: 1m
                    keep_firing_for: 30s
                    labels: {severity: page}
                    annotations: {summary: an instance is down}
                  - record: job:up:sum
                    expr: sum by(job)(up)
                    labels: {team: x}
                """);
        Files.writeString(dir.resolve("2.yml"), "groups:\n- name: other\n  rules:\n  - record: bad\n    expr: '\"s\"'\n");
        manager.update(60_000, 0, Labels.EMPTY, List.of(dir.resolve("*.yml").toString()));
        for (RuleGroup g : manager.groups()) g.eval(T0);
        web = new WebServer(new WebServer.Options("127.0.0.1:0", false, false, 1 << 20, 64), new PrometheusRegistry());
        new RulesApi(manager, s -> {
            try {
                return Parser.parseMetricSelector(s);
            } catch (ParseException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }).register(web);
        web.start();
    }

    @AfterAll
    void stop() {
        web.close();
        manager.close();
    }

    private JsonNode get(String pathAndQuery, int status) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    /** Drops the measured durations, which no expected value can know. */
    private static JsonNode withoutDurations(JsonNode n) {
        if (n.isObject()) {
            ((ObjectNode) n).remove("evaluationTime");
            n.forEach(RulesApiTest::withoutDurations);
        } else if (n.isArray()) {
            n.forEach(RulesApiTest::withoutDurations);
        }
        return n;
    }

    @Test
    void rulesJsonHasPrometheusShape() throws Exception {
        JsonNode body = withoutDurations(get("/api/v1/rules?file[]=" + URLEncoder.encode(file1, StandardCharsets.UTF_8), 200));
        // written from web/api/v1/api.go's RuleGroup, AlertingRule, RecordingRule and Alert structs
        String expected = """
                {"status":"success","data":{"groups":[{"name":"alerts","file":"%s","rules":[
                  {"state":"pending","name":"Down","query":"up == 0","duration":60,"keepFiringFor":30,
                   "labels":{"severity":"page"},"annotations":{"summary":"an instance is down"},
                   "alerts":[{"labels":{"alertname":"Down","instance":"h1","job":"a","severity":"page"},
                              "annotations":{"summary":"an instance is down"},"state":"pending",
                              "activeAt":"2023-11-14T22:13:20Z","value":"0e+00"}],
                   "health":"ok","lastEvaluation":"2023-11-14T22:13:20Z","type":"alerting"},
                  {"name":"job:up:sum","query":"sum by (job) (up)","labels":{"team":"x"},"health":"ok",
                   "lastEvaluation":"2023-11-14T22:13:20Z","type":"recording"}],
                 "interval":30,"limit":5,"lastEvaluation":"0001-01-01T00:00:00Z"}]}}
                """.formatted(file1);
        assertThat(body).isEqualTo(JSON.readTree(expected));
    }

    @Test
    void failedRuleShowsErrHealthAndLastError() throws Exception {
        JsonNode rule = get("/api/v1/rules?rule_group[]=other", 200).at("/data/groups/0/rules/0");
        assertThat(rule.get("health").asText()).isEqualTo("err");
        assertThat(rule.get("lastError").asText()).isEqualTo("rule result is not a vector or scalar");
    }

    @Test
    void filters() throws Exception {
        assertThat(get("/api/v1/rules?type=record", 200).at("/data/groups").size()).isEqualTo(2);
        assertThat(get("/api/v1/rules?type=alert", 200).at("/data/groups").size()).isEqualTo(1);
        assertThat(get("/api/v1/rules?type=alert", 200).at("/data/groups/0/rules").size()).isEqualTo(1);
        assertThat(get("/api/v1/rules?rule_name[]=bad", 200).at("/data/groups/0/name").asText()).isEqualTo("other");
        assertThat(get("/api/v1/rules?match[]=" + URLEncoder.encode("{team=\"x\"}", StandardCharsets.UTF_8), 200)
                .at("/data/groups/0/rules/0/name").asText()).isEqualTo("job:up:sum");
        assertThat(get("/api/v1/rules?exclude_alerts=true&type=alert", 200).at("/data/groups/0/rules/0/alerts").isNull()).isTrue();
        assertThat(get("/api/v1/rules?type=foo", 400).get("error").asText()).isEqualTo("invalid parameter \"type\": not supported value \"foo\"");
        assertThat(get("/api/v1/rules?exclude_alerts=maybe", 400).get("errorType").asText()).isEqualTo("bad_data");
    }

    @Test
    void pagination() throws Exception {
        JsonNode first = get("/api/v1/rules?group_limit=1", 200).get("data");
        assertThat(first.get("groups").size()).isEqualTo(1);
        String token = first.get("groupNextToken").asText();
        JsonNode second = get("/api/v1/rules?group_limit=1&group_next_token=" + token, 200).get("data");
        assertThat(second.at("/groups/0/name").asText()).isEqualTo("other");
        assertThat(second.has("groupNextToken")).isFalse();
        assertThat(get("/api/v1/rules?group_limit=0", 400).get("error").asText()).isEqualTo("invalid parameter \"group_limit\": group_limit needs to be greater than 0");
        assertThat(get("/api/v1/rules?group_next_token=abc", 400).get("errorType").asText()).isEqualTo("bad_data");
        assertThat(get("/api/v1/rules?group_limit=1&group_next_token=abc", 400).get("error").asText())
                .isEqualTo("invalid parameter \"group_next_token\": invalid group_next_token 'abc'. were rule groups changed?");
    }

    @Test
    void alertsEndpointListsUnresolvedAlerts() throws Exception {
        JsonNode alerts = get("/api/v1/alerts", 200).at("/data/alerts");
        assertThat(alerts).isEqualTo(JSON.readTree("""
                [{"labels":{"alertname":"Down","instance":"h1","job":"a","severity":"page"},
                  "annotations":{"summary":"an instance is down"},"state":"pending",
                  "activeAt":"2023-11-14T22:13:20Z","value":"0e+00"}]"""));
    }

    @Test
    void goFormatting() {
        assertThat(RulesApi.goExponent(42)).isEqualTo("4.2e+01");
        assertThat(RulesApi.goExponent(1)).isEqualTo("1e+00");
        assertThat(RulesApi.goExponent(-0.000123)).isEqualTo("-1.23e-04");
        assertThat(RulesApi.goExponent(1e100)).isEqualTo("1e+100");
        assertThat(RulesApi.goExponent(Double.NaN)).isEqualTo("NaN");
        assertThat(RulesApi.goExponent(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(RulesApi.goTime(T0 + 120)).isEqualTo("2023-11-14T22:13:20.12Z");
        assertThat(RulesApi.goTime(0)).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(RulesApi.goJsonFloat(60)).isEqualTo("60");
        assertThat(RulesApi.goJsonFloat(0.00097067)).isEqualTo("0.00097067");
        assertThat(RulesApi.goJsonFloat(1e-7)).isEqualTo("1e-7");
        assertThat(RulesApi.goJsonFloat(0)).isEqualTo("0");
    }
}
