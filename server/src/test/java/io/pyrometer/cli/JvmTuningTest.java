package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code pyrometer server} started on a plain {@code java} command line runs with the tuned
 * collector and heap settings, in the same process; a user's own choice of collector or heap, or
 * {@code PYROMETER_JVM_TUNING=off}, leaves the JVM as started.
 */
class JvmTuningTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "-Xmx512m, true",
            "-Xms64m, true",
            "-Xmn8m, true",
            "-XX:+UseG1GC, true",
            "-XX:+UseZGC, true",
            "-XX:MaxRAMPercentage=50, true",
            "-XX:MaxHeapSize=1g, true",
            "-XX:NewSize=4m, true",
            "-Dpyrometer.jvm.tuned=true, true",
            "-Dfoo=bar, false",
            "-XX:+HeapDumpOnOutOfMemoryError, false",
            "-XX:-UseCompressedOops, false",
    })
    void theUsersOwnMemorySettingsWin(String arg, boolean userChose) {
        assertThat(JvmTuning.userChoseMemorySettings(List.of("-Dx=y", arg))).isEqualTo(userChose);
    }

    @Test
    void flagsGoBetweenTheLauncherAndTheOriginalArguments() {
        List<String> cmd = JvmTuning.command(List.of("java", "-Dkeep=1", "-jar", "p.jar", "server", "--web.listen-address=:1"));
        assertThat(cmd.getFirst()).isEqualTo("java");
        assertThat(cmd.subList(1, 1 + JvmTuning.FLAGS.size())).isEqualTo(JvmTuning.FLAGS);
        assertThat(cmd.get(1 + JvmTuning.FLAGS.size())).isEqualTo("-D" + JvmTuning.MARKER + "=true");
        assertThat(cmd.subList(cmd.size() - 5, cmd.size())).containsExactly("-Dkeep=1", "-jar", "p.jar", "server", "--web.listen-address=:1");
    }

    @Test
    void plainJavaCommandLineRunsTheSameProcessWithTheSerialCollector() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/cmdline")), "needs Linux /proc");
        Run r = start(List.of(), null);
        try {
            assertThat(r.cmdline()).contains("-XX:+UseSerialGC", "-D" + JvmTuning.MARKER + "=true", "server");
            assertThat(metrics(r.port)).contains("gc=\"Copy\"").doesNotContain("G1 Young Generation");
            assertThat(r.environ()).contains("MALLOC_ARENA_MAX=2");
        } finally {
            r.stopAndExpectExit();
        }
    }

    @Test
    void userCollectorChoiceIsKept() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/cmdline")), "needs Linux /proc");
        Run r = start(List.of("-XX:+UseG1GC"), null);
        try {
            assertThat(r.cmdline()).doesNotContain("-XX:+UseSerialGC").doesNotContain(JvmTuning.MARKER);
            assertThat(metrics(r.port)).contains("G1 Young Generation");
        } finally {
            r.stopAndExpectExit();
        }
    }

    @Test
    void usersMallocArenaSettingIsKept() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/cmdline")), "needs Linux /proc");
        Run r = start(List.of(), null, Map.of("MALLOC_ARENA_MAX", "7"));
        try {
            assertThat(r.cmdline()).contains("-XX:+UseSerialGC");
            assertThat(r.environ()).contains("MALLOC_ARENA_MAX=7").doesNotContain("MALLOC_ARENA_MAX=2");
        } finally {
            r.stopAndExpectExit();
        }
    }

    @Test
    void environmentSwitchTurnsTuningOff() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/cmdline")), "needs Linux /proc");
        Run r = start(List.of(), "off");
        try {
            assertThat(r.cmdline()).doesNotContain(JvmTuning.MARKER);
        } finally {
            r.stopAndExpectExit();
        }
    }

    private record Run(Process p, int port) {
        String cmdline() throws IOException {
            return new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        }

        /** The process environment as {@code NAME=value} lines, as the re-executed image sees it. */
        List<String> environ() throws IOException {
            return List.of(new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/environ")), StandardCharsets.UTF_8).split("\0"));
        }

        /** SIGTERM reaches the re-executed JVM (same PID) and it shuts down cleanly. */
        void stopAndExpectExit() throws InterruptedException {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("server exits on SIGTERM").isTrue();
        }
    }

    private Run start(List<String> jvmArgs, String envSwitch) throws Exception {
        return start(jvmArgs, envSwitch, Map.of());
    }

    private Run start(List<String> jvmArgs, String envSwitch, Map<String, String> env) throws Exception {
        int port = ServerIntegrationTest.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.pyrometer.cli.Main", "server",
                "--storage.tsdb.path=" + dir.resolve("data-" + port), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
        pb.environment().remove(JvmTuning.ENV_SWITCH);
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("MALLOC_ARENA_MAX");
        pb.environment().putAll(env);
        if (envSwitch != null) pb.environment().put(JvmTuning.ENV_SWITCH, envSwitch);
        Process p = pb.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!ready(port)) {
            if (!p.isAlive()) throw new AssertionError("server exited: " + Files.readString(dir.resolve("server.log")));
            if (System.currentTimeMillis() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("server not ready: " + Files.readString(dir.resolve("server.log")));
            }
            Thread.sleep(100);
        }
        return new Run(p, port);
    }

    private boolean ready(int port) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private String metrics(int port) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
