package io.pyrometer.alerting.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our loader and the real {@code amtool check-config} (Alertmanager 0.25) agree on every fixture
 * in {@code src/test/resources/alertmanager/{valid,invalid}}; our errors name line and column.
 */
class AmtoolCheckConfigInteropTest {
    private static final Path AMTOOL = Path.of("/usr/bin/amtool");
    private static final Path DIR = Path.of("src/test/resources/alertmanager");

    static Stream<Path> valid() throws IOException { return list("valid"); }

    static Stream<Path> invalid() throws IOException { return list("invalid"); }

    private static Stream<Path> list(String sub) throws IOException {
        try (Stream<Path> s = Files.list(DIR.resolve(sub))) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validConfigsLoadAndAmtoolAgrees(Path file) throws Exception {
        AlertmanagerConfigLoader.load(file);
        assertThat(amtool(file)).as("amtool check-config %s", file).isZero();
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidConfigsFailWithPositionAndAmtoolAgrees(Path file) throws Exception {
        assertThatThrownBy(() -> AlertmanagerConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).line()).as(e.getMessage()).isPositive());
        assertThat(amtool(file)).as("amtool check-config %s", file).isEqualTo(1);
    }

    private static int amtool(Path file) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(AMTOOL), "amtool not installed (apt-get install prometheus-alertmanager)");
        Process p = new ProcessBuilder(List.of(AMTOOL.toString(), "check-config", file.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
