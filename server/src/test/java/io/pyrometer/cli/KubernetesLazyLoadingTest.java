package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fabric8 client is loaded only when the configuration has a {@code kubernetes_sd_configs} entry:
 * a server process without one (checked after it has discovered and scraped its targets) has loaded
 * no {@code io.fabric8} class, one with it has (the positive control). Class loading is read from the
 * JVM's own {@code -Xlog:class+load} output.
 */
class KubernetesLazyLoadingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void fabric8IsLoadedOnlyWithAKubernetesSdConfig() throws Exception {
        String without = loadedClasses("static", "");
        assertThat(without).contains("io.pyrometer.discovery.DiscoveryManager");
        assertThat(without).doesNotContain("io.fabric8.").doesNotContain("io.pyrometer.discovery.kubernetes.");

        String with = loadedClasses("kubernetes", """
                  - job_name: k8s
                    kubernetes_sd_configs:
                      - role: pod
                        api_server: http://127.0.0.1:1
                """);
        assertThat(with).contains("io.pyrometer.discovery.kubernetes.KubernetesDiscoverer").contains("io.fabric8.kubernetes.client.");
    }

    /** Runs a server until its self-scrape is stored, then returns the names of the classes its JVM loaded. */
    private String loadedClasses(String name, String extraJobs) throws Exception {
        int port = ServerIntegrationTest.freePort();
        Path config = dir.resolve(name + ".yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                scrape_configs:
                  - job_name: self
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(port) + extraJobs);
        Path classLog = dir.resolve(name + "-classes.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xlog:class+load=info:file=" + classLog, "-cp", System.getProperty("java.class.path"),
                "io.pyrometer.cli.Main", "server", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve(name + "-data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("PYROMETER_JVM_TUNING", "off");
        Process p = pb.start();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!selfUp(port)) {
                assertThat(p.isAlive()).as("server %s exited; log: %s", name, dir.resolve(name + ".log")).isTrue();
                assertThat(System.currentTimeMillis()).as("server %s scraped itself within 60s", name).isLessThan(deadline);
                Thread.sleep(200);
            }
        } finally {
            p.destroy();
            p.waitFor();
        }
        return Files.readString(classLog);
    }

    private boolean selfUp(int port) {
        try {
            String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode("up{job=\"self\"}", StandardCharsets.UTF_8);
            JsonNode r = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
            JsonNode result = r.path("data").path("result");
            return result.size() == 1 && result.get(0).path("value").get(1).asText().equals("1");
        } catch (Exception e) {
            return false;
        }
    }

}
