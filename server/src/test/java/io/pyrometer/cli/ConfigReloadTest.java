package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reload by file watching: a failure is logged once per file content and cleared by a revert. */
class ConfigReloadTest {
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void revertingTheFileClearsAFailedReloadAndAFailureIsLoggedOnce() throws Exception {
        Path config = dir.resolve("prometheus.yml");
        String good = "global:\n  scrape_interval: 1m\nscrape_configs: []\n";
        Files.writeString(config, good);
        int port = ServerIntegrationTest.freePort();
        List<String> errors = new CopyOnWriteArrayList<>();
        Logger serverLog = Logger.getLogger(Server.class.getName());
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage().startsWith("error reloading config")) errors.add(r.getMessage());
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        serverLog.addHandler(h);
        Flags flags = ServerFlags.declare().parse(List.of("--config.file=" + config, "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.path=" + dir.resolve("data"), "--config.auto-reload-interval=50ms"));
        try (Server server = Server.start(flags, () -> { })) {
            Files.writeString(config, good + "bad_key: 1\n");
            await(port, "prometheus_config_last_reload_successful 0");
            Thread.sleep(500); // ten more watch intervals over the same bad file
            assertThat(errors).as("failures logged for one bad file content").hasSize(1);

            Files.writeString(config, good); // the user reverts the edit: the running config again
            await(port, "prometheus_config_last_reload_successful 1");
            assertThat(server.lastReloadSuccessful()).isTrue();

            Files.writeString(config, good + "other_bad_key: 1\n"); // a new bad content is logged again, once
            await(port, "prometheus_config_last_reload_successful 0");
            Thread.sleep(300);
            assertThat(errors).hasSize(2);
        } finally {
            serverLog.removeHandler(h);
        }
    }

    private void await(int port, String metricLine) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (last.contains(metricLine)) return;
            Thread.sleep(50);
        }
        throw new AssertionError("metrics never showed " + metricLine + ":\n" + last);
    }
}
