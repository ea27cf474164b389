package io.pyrometer.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected strings are what Go's strconv and Prometheus's jsonutil print for these values. */
class FloatsTest {
    @ParameterizedTest
    @CsvSource({
        "1, 1", "-2, -2", "0.1, 0.1", "1.5, 1.5", "100000, 100000", "1e15, 1000000000000000",
        "1e20, 100000000000000000000", "1e21, 1e+21", "1.5e300, 1.5e+300", "0.000001, 0.000001",
        "1e-7, 1e-07", "-2.5e-10, -2.5e-10", "3.14159, 3.14159", "0.30000000000000004, 0.30000000000000004",
        "123456789.125, 123456789.125", "NaN, NaN", "Infinity, +Inf", "-Infinity, -Inf"})
    void formatsLikeGo(double v, String expected) {
        assertThat(Floats.format(v)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"1435781451781, 1435781451.781", "1435781451000, 1435781451", "1435781451050, 1435781451.050",
        "1435781451005, 1435781451.005", "-1500, -1.500", "0, 0"})
    void timestampsLikePrometheus(long ms, String expected) {
        assertThat(Floats.timestamp(ms)).isEqualTo(expected);
    }
}
