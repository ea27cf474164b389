package io.pyrometer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values follow prometheus/common model.ParseDuration / Duration.String. */
class DurationsTest {

    @ParameterizedTest(name = "{0} -> {1} ms")
    @CsvSource({
            "0, 0",
            "0s, 0",
            "500ms, 500",
            "15s, 15000",
            "1m, 60000",
            "1h30m, 5400000",
            "1d, 86400000",
            "1w, 604800000",
            "1y, 31536000000",
            "1y2w3d4h5m6s7ms, 33019506007",
            "90d, 7776000000",
            "1h0m, 3600000",
            "106751d, 9223286400000",
    })
    void parsesPrometheusDurations(String text, long ms) {
        assertThat(Durations.parseMs(text)).isEqualTo(ms);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''        | empty duration string",
            "1.5h      | unknown unit \".\" in duration \"1.5h\"",
            "30        | not a valid duration string: \"30\"",
            "-1s       | not a valid duration string: \"-1s\"",
            "1m1h      | not a valid duration string: \"1m1h\"",
            "1s1s      | not a valid duration string: \"1s1s\"",
            "h         | not a valid duration string: \"h\"",
            "' 1s'     | not a valid duration string: \" 1s\"",
            "1x        | unknown unit \"x\" in duration \"1x\"",
            "1S        | unknown unit \"S\" in duration \"1S\"",
            "1 s       | unknown unit \" s\" in duration \"1 s\"",
            "300y      | duration out of range",
            "106752d   | duration out of range",
            "99999999999999999999s | not a valid duration string: \"99999999999999999999s\"",
    })
    void rejectsWithPrometheusWording(String text, String message) {
        assertThatThrownBy(() -> Durations.parseMs(text))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
            "0, 0s",
            "1, 1ms",
            "15000, 15s",
            "60000, 1m",
            "5400000, 1h30m",
            "86400000, 1d",
            "604800000, 1w",
            "1209600000, 2w",
            "7776000000, 90d",
            "31536000000, 1y",
            "90061001, 1d1h1m1s1ms",
            "-15000, -15s",
    })
    void formatsLikePrometheus(long ms, String text) {
        assertThat(Durations.format(ms)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "999", "5400000", "7776000000", "33019506007"})
    void formatRoundTrips(long ms) {
        assertThat(Durations.parseMs(Durations.format(ms))).isEqualTo(ms);
    }
}
