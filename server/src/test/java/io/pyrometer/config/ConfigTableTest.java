package io.pyrometer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture of the config table loads (valid/) or fails at the expected place with the expected words (invalid/). */
class ConfigTableTest {

    static Stream<ConfigFixtures> valid() { return ConfigFixtures.list("valid", true); }

    static Stream<ConfigFixtures> invalid() { return ConfigFixtures.list("invalid", false); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validConfigLoads(ConfigFixtures fx) {
        assertThatCode(() -> ConfigLoader.load(fx.file())).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidConfigFailsAtItsLineAndColumn(ConfigFixtures fx) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(fx.file()));
        assertThat(e).as("%s must be refused", fx).isNotNull();
        assertThat(e.getMessage())
                .as("message of %s", fx)
                .startsWith(fx.file() + ":" + fx.line() + ":" + fx.column() + ": ")
                .contains(fx.fragment());
        assertThat(e.line()).isEqualTo(fx.line());
        assertThat(e.column()).isEqualTo(fx.column());
    }
}
