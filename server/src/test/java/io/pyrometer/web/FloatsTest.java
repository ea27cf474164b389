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

    /** Go's strconv.FormatFloat(f, 'f', -1, 64), as promql.Scalar.MarshalJSON writes scalar results. */
    @ParameterizedTest
    @CsvSource({
        "1e-10, 0.0000000001", "5e21, 5000000000000000000000", "1, 1", "-0.5, -0.5", "1e15, 1000000000000000",
        "1.5e-7, 0.00000015", "123456789.125, 123456789.125", "1e100, 10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "NaN, NaN", "Infinity, +Inf", "-Infinity, -Inf", "0.30000000000000004, 0.30000000000000004"})
    void plainLikeGoFormatFloatF(double v, String expected) {
        assertThat(Floats.plain(v)).isEqualTo(expected);
    }

    /** Go's encoding/json float64 encoding, as Prometheus's stats timings are written. */
    @ParameterizedTest
    @CsvSource({
        "2.09762E-4, 0.000209762", "0.000178855, 0.000178855", "0, 0", "1.5, 1.5", "1e-7, 1e-7", "1.5e-10, 1.5e-10",
        "1e21, 1e+21", "0.000001, 0.000001", "12, 12"})
    void goJsonLikeEncodingJson(double v, String expected) {
        assertThat(Floats.goJson(v)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"1435781451781, 1435781451.781", "1435781451000, 1435781451", "1435781451050, 1435781451.050",
        "1435781451005, 1435781451.005", "-1500, -1.500", "0, 0"})
    void timestampsLikePrometheus(long ms, String expected) {
        assertThat(Floats.timestamp(ms)).isEqualTo(expected);
    }
}
