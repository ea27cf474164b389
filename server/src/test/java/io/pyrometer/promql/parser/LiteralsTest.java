package io.pyrometer.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Numbers follow Go's ParseInt(s, 0, 64)-then-ParseFloat, durations Prometheus's model.ParseDuration. */
class LiteralsTest {

    static List<Arguments> numbers() {
        return Table.rows("""
                0 ⇒ 0.0
                42 ⇒ 42.0
                0x1F ⇒ 31.0
                0X_1f ⇒ 31.0
                0755 ⇒ 493.0
                08 ⇒ 8.0
                09.5 ⇒ 9.5
                1_000_000 ⇒ 1000000.0
                1e3 ⇒ 1000.0
                1E-3 ⇒ 0.001
                .5 ⇒ 0.5
                5. ⇒ 5.0
                Inf ⇒ Infinity
                iNf ⇒ Infinity
                NaN ⇒ NaN
                9223372036854775807 ⇒ 9.223372036854776E18
                99999999999999999999 ⇒ 1.0E20
                """);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("numbers")
    void parsesNumbersAsGoDoes(String literal, String expected) {
        assertThat(Double.valueOf(Literals.parseNumber(literal))).isEqualTo(Double.valueOf(expected)); // NaN equals NaN here
    }

    @Test
    void rejectsOutOfRangeFloatsWithGoMessage() {
        assertThatThrownBy(() -> Literals.parseNumber("1e400"))
                .hasMessage("strconv.ParseFloat: parsing \"1e400\": value out of range");
    }

    static List<Arguments> durations() {
        return Table.rows("""
                0 ⇒ 0
                1ms ⇒ 1
                5s ⇒ 5000
                1m30s ⇒ 90000
                1h30m ⇒ 5400000
                2d ⇒ 172800000
                1w ⇒ 604800000
                1y ⇒ 31536000000
                1y2w3d4h5m6s7ms ⇒ 33019506007
                """);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("durations")
    void parsesDurationsAsPrometheusDoes(String literal, long ms) {
        assertThat(Literals.parseDurationMs(literal)).isEqualTo(ms);
    }

    @Test
    void rejectsBadDurationsWithPrometheusMessages() {
        assertThatThrownBy(() -> Literals.parseDurationMs("5m1h")).hasMessage("not a valid duration string: \"5m1h\"");
        assertThatThrownBy(() -> Literals.parseDurationMs("5y1hs")).hasMessage("unknown unit \"hs\" in duration \"5y1hs\"");
        assertThatThrownBy(() -> Literals.parseDurationMs("300000000y")).hasMessage("duration out of range");
        assertThatThrownBy(() -> Literals.parseDurationMs("")).hasMessage("empty duration string");
    }
}
