package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a user runs it, in its own process under {@code nohup}: SIGHUP reloads the config,
 * a failed reload is logged as valid logfmt, every log line is key=value pairs, SIGTERM is logged
 * and leaves no {@code lock} file behind.
 */
class ServerProcessTest {
    private static final Path NOHUP = Path.of("/usr/bin/nohup");
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void sighupUnderNohupReloadsAndShutdownIsLoggedAndClean() throws Exception {
        assumeTrue(Files.isExecutable(NOHUP), "/usr/bin/nohup (coreutils) is not installed");
        assumeTrue(Files.isReadable(Path.of("/proc/self/cmdline")), "needs Linux (signals, /proc)");
        int port = ServerIntegrationTest.freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
        Path data = dir.resolve("data");
        Path log = dir.resolve("server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(NOHUP.toString(), java, "-cp", System.getProperty("java.class.path"), "io.pyrometer.cli.Main",
                "server", "--config.file=" + config, "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port,
                "--config.auto-reload-interval=0s"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove(JvmTuning.ENV_SWITCH);
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        try {
            awaitLog(log, p, l -> l.contains("server is ready"));
            assertThat(Files.exists(data.resolve("lock"))).isTrue();

            // a new config, then SIGHUP: the server reloads although nohup made SIGHUP ignored
            Files.writeString(config, "global:\n  scrape_interval: 30s\nscrape_configs: []\n");
            signal(p, "HUP");
            awaitLog(log, p, l -> l.contains("trigger=SIGHUP totalDuration="));
            assertThat(get(port, "/api/v1/status/config")).contains("scrape_interval: 30s");

            // a bad one: the error, quotes and all, stays one valid logfmt value
            Files.writeString(config, "global:\n  scrape_intervall: 30s\n");
            signal(p, "HUP");
            String failed = awaitLog(log, p, l -> l.contains("error reloading config"));
            assertThat(failed).contains("err=\"error loading config from \\\"" + config);
            assertThat(get(port, "/metrics")).contains("prometheus_config_last_reload_successful 0");

            p.destroy(); // SIGTERM to the (re-executed, same PID) JVM
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
        } finally {
            if (p.isAlive()) p.destroyForcibly().waitFor();
        }
        String all = Files.readString(log);
        assertThat(all).contains("received a termination signal, exiting gracefully").contains("see you next time!");
        assertThat(data.resolve("lock")).as("lock file after a clean shutdown").doesNotExist();
        for (String line : all.split("\n")) {
            if (!line.startsWith("time=")) continue; // the JVM's own warnings, if any
            List<String[]> pairs = LoggingTest.pairs(line);
            assertThat(pairs.size()).as(line).isGreaterThanOrEqualTo(4);
        }
        assertThat(all).containsPattern("msg=\"WAL replay completed\" series=0 samples=0");
    }

    private static void signal(Process p, String sig) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + sig, String.valueOf(p.pid())).inheritIO().start();
        assertThat(k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0).as("kill -%s", sig).isTrue();
    }

    private String get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Polls the log until a line matches (returns it); fails at the deadline or when the process died. */
    private static String awaitLog(Path log, Process p, Predicate<String> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (Files.exists(log)) {
                for (String l : Files.readAllLines(log)) if (match.test(l)) return l;
            }
            if (!p.isAlive()) throw new AssertionError("server exited: " + Files.readString(log));
            if (System.nanoTime() > deadline) throw new AssertionError("log line not found; log:\n" + Files.readString(log));
            Thread.sleep(50);
        }
    }
}
