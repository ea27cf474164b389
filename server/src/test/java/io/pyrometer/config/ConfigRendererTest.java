package io.pyrometer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The effective config as {@code /api/v1/status/config} shows it. */
class ConfigRendererTest {

    static Stream<ConfigFixtures> valid() { return ConfigFixtures.list("valid", true); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void renderedConfigLoadsBackToTheSameConfig(ConfigFixtures fx) throws Exception {
        String once = ConfigRenderer.toYaml(ConfigLoader.load(fx.file()));
        String twice = ConfigRenderer.toYaml(ConfigLoader.parse(once, fx.file()));
        assertThat(twice).isEqualTo(once);
    }

    @Test
    void defaultsAreFilledInAsPrometheusShowsThem() throws Exception {
        String yaml = ConfigRenderer.toYaml(ConfigLoader.parse("""
                scrape_configs:
                  - job_name: node
                    static_configs:
                      - targets: ["localhost:9100"]
                """, Path.of("p.yml")));
        assertThat(yaml).startsWith("""
                global:
                  scrape_interval: 1m
                  scrape_timeout: 10s
                  evaluation_interval: 1m
                """);
        assertThat(yaml).contains("""
                scrape_configs:
                - job_name: node
                  honor_timestamps: true
                  track_timestamps_staleness: false
                  scrape_interval: 1m
                  scrape_timeout: 10s
                """);
        assertThat(yaml).contains("  metrics_path: /metrics\n  scheme: http\n  enable_compression: true\n");
        // a zero tls_config is left out (omitempty), the two HTTP flags never are
        assertThat(yaml).contains("  follow_redirects: true\n  enable_http2: true\n").doesNotContain("tls_config");
    }

    @Test
    void secretsAreHidden() throws Exception {
        String yaml = ConfigRenderer.toYaml(ConfigLoader.parse("""
                scrape_configs:
                  - job_name: a
                    basic_auth: {username: u, password: hunter2}
                  - job_name: b
                    bearer_token: tok3n
                  - job_name: c
                    oauth2: {client_id: id, client_secret: s3cret, token_url: "https://auth/token"}
                    tls_config: {cert: CERTPEM, key: KEYPEM}
                remote_write:
                  - url: http://w/push
                    authorization: {credentials: cr3d}
                remote_read:
                  - url: https://reader:pa55@r.example.org/api/v1/read
                """, Path.of("p.yml")));
        assertThat(yaml).doesNotContain("hunter2", "tok3n", "s3cret", "KEYPEM", "cr3d", "pa55");
        assertThat(yaml).contains("url: https://reader:xxxxx@r.example.org/api/v1/read");
        assertThat(yaml).contains("password: <secret>", "credentials: <secret>", "client_secret: <secret>", "key: <secret>");
        assertThat(yaml).contains("username: u", "cert: CERTPEM");
    }

    @Test
    void secretsDoNotLeakThroughToString() throws Exception {
        PrometheusConfig c = ConfigLoader.parse("""
                scrape_configs:
                  - job_name: a
                    basic_auth: {username: u, password: hunter2}
                    tls_config: {cert: C, key: KEYPEM}
                    http_headers: {X-Token: {secrets: [tok3n]}}
                  - job_name: b
                    oauth2: {client_id: id, client_secret: s3cret, token_url: "https://auth/token"}
                    proxy_url: http://proxy:3128
                    proxy_connect_header: {Proxy-Auth: [pr0xy]}
                  - job_name: c
                    authorization: {credentials: cr3d}
                """, Path.of("p.yml"));
        assertThat(c.toString()).doesNotContain("hunter2", "KEYPEM", "tok3n", "s3cret", "pr0xy", "cr3d").contains("<secret>");
    }

    @Test
    void durationsAndSizesPrintInPrometheusUnits() throws Exception {
        String yaml = ConfigRenderer.toYaml(ConfigLoader.parse("""
                global: {scrape_interval: 90s, evaluation_interval: 168h}
                scrape_configs:
                  - job_name: a
                    body_size_limit: 10MB
                """, Path.of("p.yml")));
        assertThat(yaml).contains("scrape_interval: 1m30s", "evaluation_interval: 1w", "body_size_limit: 10MiB");
    }
}
