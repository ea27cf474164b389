package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/pyrometer}: finds a JDK 25 like .ci/run, or says clearly that there is none. */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("../bin/pyrometer").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private record Result(int code, String out) {}

    private Result run(Map<String, String> env, String... args) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        List<String> cmd = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @Test
    void picksAJdk25WhenJavaOnThePathIsOlder() throws Exception {
        Path jar = Files.createFile(tmp.resolve("pyrometer.jar"));
        String thisJdk = System.getProperty("java.home"); // the tests run on a JDK 25
        Result r = run(Map.of("PYROMETER_JAR", jar.toString(), "PYROMETER_LAUNCHER_DRY_RUN", "1", "PYROMETER_JDK_ROOTS", thisJdk),
                "server", "--web.listen-address=:1");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out().strip()).isEqualTo(thisJdk + "/bin/java  -jar " + jar + " server --web.listen-address=:1");
    }

    @Test
    void failsClearlyWithoutAJdk25() throws Exception {
        Path jar = Files.createFile(tmp.resolve("pyrometer.jar"));
        Path old = Files.createDirectories(tmp.resolve("old-jdk/bin"));
        Path fakeJava = old.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\necho '    java.specification.version = 17' >&2\n");
        fakeJava.toFile().setExecutable(true);
        Result r = run(Map.of("PYROMETER_JAR", jar.toString(), "JAVA_HOME", tmp.resolve("old-jdk").toString(),
                "PYROMETER_JDK_ROOTS", tmp.resolve("nothing-here").toString(), "PATH", old + ":/usr/bin:/bin"), "server");
        if (r.out().contains("java.specification.version")) throw new AssertionError(r.out());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("no JDK 25 or newer found").contains("set JAVA_HOME");
    }

    @Test
    void saysHowToBuildAMissingJar() throws Exception {
        Result r = run(Map.of("PYROMETER_JAR", tmp.resolve("missing.jar").toString(), "PYROMETER_JDK_ROOTS", System.getProperty("java.home")), "server");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("missing.jar not found").contains("./mvnw -q package -DskipTests");
    }
}
