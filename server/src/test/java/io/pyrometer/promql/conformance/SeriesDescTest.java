package io.pyrometer.promql.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.Labels;
import io.pyrometer.model.Values;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The series notation of promqltest scripts, with the examples of FORMAT.md §4. */
class SeriesDescTest {

    private static String expand(String line) {
        StringBuilder sb = new StringBuilder();
        for (SeriesDesc.Item it : SeriesDesc.parse(line).items()) {
            if (!sb.isEmpty()) sb.append(' ');
            if (it.omitted()) sb.append('_');
            else if (Values.isStaleNaN(it.value())) sb.append("stale");
            else sb.append(it.value() == Math.rint(it.value()) ? String.valueOf((long) it.value()) : String.valueOf(it.value()));
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "m -2+4x3       | -2 2 6 10",
        "m 1-2x4        | 1 -1 -3 -5 -7",
        "m 1x4          | 1 1 1 1 1",
        "m 1 _x3 stale  | 1 _ _ _ stale",
        "m _ 5 _x2 7    | _ 5 _ _ 7",
    })
    void expandsValueSequencesAsTheGoParser(String line, String expected) {
        assertThat(expand(line)).isEqualTo(expected);
    }

    @Test
    void repeatedAdditionAccumulatesRoundingLikeGo() {
        List<SeriesDesc.Item> items = SeriesDesc.parse("m 0+0.1x10").items();
        double v = 0;
        for (int i = 0; i < 10; i++) v += 0.1;
        assertThat(items.get(10).value()).isEqualTo(v).isNotEqualTo(1.0);
    }

    @Test
    void parsesLabelsQuotingAndSpecialNumbers() {
        SeriesDesc d = SeriesDesc.parse("{__name__=\"up\", job='a\\nb', path=`x\\y`} Inf -Inf NaN");
        assertThat(d.labels()).isEqualTo(Labels.of("__name__", "up", "job", "a\nb", "path", "x\\y"));
        assertThat(d.items()).extracting(SeriesDesc.Item::value)
                .containsExactly(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN);
    }

    @Test
    void histogramLiteralsAreCountedNotDecoded() {
        SeriesDesc d = SeriesDesc.parse("h {{schema:0 sum:1 count:1}}x2 {{count:1}}+{{count:2}}x1 5");
        assertThat(d.hasHistograms()).isTrue();
        assertThat(d.items()).hasSize(6);
        assertThat(d.items().get(5).value()).isEqualTo(5);
    }

    @Test
    void durationsFollowPrometheusParseDuration() {
        assertThat(TestScript.parseDuration("1h30m")).isEqualTo(5_400_000);
        assertThat(TestScript.parseDuration("10s53ms")).isEqualTo(10_053);
        assertThat(TestScript.parseDuration("0")).isZero();
    }
}
