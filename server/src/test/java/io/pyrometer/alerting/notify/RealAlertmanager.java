package io.pyrometer.alerting.notify;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code /usr/bin/prometheus-alertmanager} (Debian package, 0.25) on loopback with a temp data
 * dir, an ephemeral port and gossip off; tests skip by name when it is not installed.
 */
final class RealAlertmanager implements AutoCloseable {
    static final Path BINARY = Path.of(System.getenv().getOrDefault("ALERTMANAGER", "/usr/bin/prometheus-alertmanager"));

    private final Process process;
    private final Path log;
    final int port;

    RealAlertmanager(Path dir, String configYaml, String externalUrl) throws Exception {
        assumeTrue(Files.isExecutable(BINARY), "prometheus-alertmanager not installed at " + BINARY
                + " (Debian package 'prometheus-alertmanager'); set ALERTMANAGER to override");
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, configYaml);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        log = dir.resolve("alertmanager.log");
        process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config, "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=", "--web.external-url=" + externalUrl, "--web.route-prefix=/")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        waitReady();
    }

    private void waitReady() throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("alertmanager exited: " + Files.readString(log));
            try {
                HttpResponse<Void> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("alertmanager not ready within 20 s: " + Files.readString(log));
    }

    /** POSTs alerts (API v2 JSON array). */
    void postAlerts(String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("POST /api/v2/alerts: " + r.statusCode() + " " + r.body());
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
