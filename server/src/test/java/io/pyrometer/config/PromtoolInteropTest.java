package io.pyrometer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real {@code promtool check config} (Debian package {@code prometheus}) on every fixture of the
 * config table: valid ones must pass promtool and us, invalid ones must fail both, except fixtures that
 * declare a deliberate difference ({@code # promtool: accepts}) or a key newer than the installed
 * promtool ({@code # promtool: skip}), which are skipped or checked as declared.
 */
class PromtoolInteropTest {
    private static final Path PROMTOOL = Path.of(System.getenv().getOrDefault("PROMTOOL", "/usr/bin/promtool"));

    static Stream<ConfigFixtures> fixtures() { return ConfigFixtures.all(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void promtoolAndPyrometerAgree(ConfigFixtures fx) throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool not installed at " + PROMTOOL + " (Debian package 'prometheus'); set PROMTOOL to override");
        assumeFalse(fx.promtool().equals("skip"), "promtool cannot judge " + fx + ": " + fx.promtoolWhy());

        Result promtool = promtool(fx.file());
        ConfigException ours = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(fx.file()));
        if (fx.valid()) {
            assertThat(promtool.exit).as("promtool on %s:%n%s", fx, promtool.output).isZero();
            assertThat(ours).as("Pyrometer on %s", fx).isNull();
        } else if (fx.promtool().equals("accepts")) {
            assertThat(promtool.exit).as("%s is declared accepted by promtool (%s):%n%s", fx, fx.promtoolWhy(), promtool.output).isZero();
            assertThat(ours).as("Pyrometer on %s", fx).isNotNull();
        } else {
            assertThat(promtool.exit).as("promtool on %s must fail:%n%s", fx, promtool.output).isNotZero();
            assertThat(ours).as("Pyrometer on %s", fx).isNotNull();
        }
    }

    private record Result(int exit, String output) {}

    private static Result promtool(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "config", file.getFileName().toString())
                .directory(file.getParent().toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("promtool check config " + file + " did not finish in 15 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
