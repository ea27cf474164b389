package io.pyrometer.model.textparse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Float spellings as Go's strconv.ParseFloat (behind Prometheus's parseFloat) accepts them. */
class FloatsTest {

    static double parse(Floats f, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return f.parse(b, 0, b.length);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("1", 1.0), Arguments.of("-1", -1.0), Arguments.of("+1", 1.0), Arguments.of("1.", 1.0),
                Arguments.of(".5", 0.5), Arguments.of("1e3", 1000.0), Arguments.of("1E-3", 0.001), Arguments.of("1.5e+2", 150.0),
                Arguments.of("-0", -0.0), Arguments.of("0.0", 0.0), Arguments.of("00012", 12.0), Arguments.of("1e0001", 10.0),
                Arguments.of("+Inf", Double.POSITIVE_INFINITY), Arguments.of("-Inf", Double.NEGATIVE_INFINITY),
                Arguments.of("Inf", Double.POSITIVE_INFINITY), Arguments.of("inf", Double.POSITIVE_INFINITY),
                Arguments.of("INF", Double.POSITIVE_INFINITY), Arguments.of("infinity", Double.POSITIVE_INFINITY),
                Arguments.of("-Infinity", Double.NEGATIVE_INFINITY), Arguments.of("+infinity", Double.POSITIVE_INFINITY),
                Arguments.of("NaN", Floats.NORMAL_NAN), Arguments.of("nan", Floats.NORMAL_NAN), Arguments.of("NAN", Floats.NORMAL_NAN),
                Arguments.of("4.9e-324", Double.MIN_VALUE), Arguments.of("1.7976931348623157e308", Double.MAX_VALUE),
                Arguments.of("1e-400", 0.0), Arguments.of("9007199254740993", 9007199254740992.0), Arguments.of("0.1", 0.1),
                Arguments.of("123456789012345678901234567890", 1.2345678901234568E29),
                Arguments.of("4.9351e-05", 4.9351e-05), Arguments.of("7.424100000000001e-05", 7.424100000000001e-05),
                Arguments.of("1.7180272640000001e+10", 1.7180272640000001e+10), Arguments.of("2.2250738585072011e-308", 2.225073858507201e-308));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("accepted")
    void acceptsWhatGoAccepts(String s, double expected) {
        Floats f = new Floats();
        double v = parse(f, s);
        assertThat(f.error).isEqualTo(Floats.OK);
        assertThat(Double.doubleToRawLongBits(v)).as(s).isEqualTo(Double.doubleToRawLongBits(expected));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("", Floats.SYNTAX), Arguments.of("+", Floats.SYNTAX), Arguments.of(".", Floats.SYNTAX),
                Arguments.of("e5", Floats.SYNTAX), Arguments.of("1e", Floats.SYNTAX), Arguments.of("1e+", Floats.SYNTAX),
                Arguments.of("1.2.3", Floats.SYNTAX), Arguments.of("+nan", Floats.SYNTAX), Arguments.of("-NaN", Floats.SYNTAX),
                Arguments.of("infinit", Floats.SYNTAX), Arguments.of("infx", Floats.SYNTAX), Arguments.of("0x10", Floats.SYNTAX),
                Arguments.of("1d", Floats.SYNTAX), Arguments.of("1f", Floats.SYNTAX), Arguments.of(" 1", Floats.SYNTAX),
                Arguments.of("1 ", Floats.SYNTAX), Arguments.of("++1", Floats.SYNTAX), Arguments.of("true", Floats.SYNTAX),
                Arguments.of("1_000", Floats.UNSUPPORTED), Arguments.of("0x1p3", Floats.UNSUPPORTED), Arguments.of("0x1P-3", Floats.UNSUPPORTED),
                Arguments.of("1e400", Floats.RANGE), Arguments.of("-1e309", Floats.RANGE));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rejected")
    void rejectsWhatGoRejects(String s, int error) {
        Floats f = new Floats();
        parse(f, s);
        assertThat(f.error).isEqualTo(error);
    }

    /** The fast path must round exactly like the JDK's correctly rounded parser. */
    @Test
    void randomDecimalsRoundExactlyLikeDoubleParseDouble() {
        // Up to 20 digits and exponents down to subnormals and up to overflow: exercises Clinger, Eisel-Lemire and the fallback.
        long seed = io.pyrometer.testing.Seeds.seed("FloatsTest.seed");
        System.out.println("FloatsTest seed=" + seed);
        Random r = new Random(seed);
        Floats f = new Floats();
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            if (r.nextInt(4) == 0) sb.append('-');
            int digits = 1 + r.nextInt(r.nextBoolean() ? 8 : 20);
            int dot = r.nextInt(digits + 2);
            for (int d = 0; d < digits; d++) {
                if (d == dot) sb.append('.');
                sb.append((char) ('0' + r.nextInt(10)));
            }
            if (r.nextInt(3) == 0) sb.append('e').append(r.nextInt(10) == 0 ? r.nextInt(700) - 360 : r.nextInt(70) - 35);
            String s = sb.toString();
            double got = parse(f, s);
            if (Double.isInfinite(Double.parseDouble(s))) {
                assertThat(f.error).as("seed=%d input=%s overflows", seed, s).isEqualTo(Floats.RANGE);
                continue;
            }
            assertThat(f.error).as("seed=%d input=%s", seed, s).isEqualTo(Floats.OK);
            assertThat(Double.doubleToRawLongBits(got)).as("seed=%d input=%s", seed, s)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
        }
    }

    static Stream<Arguments> openMetricsFormatting() {
        // Expected strings are what Go's strconv.FormatFloat(f, 'g', -1, 64) prints, plus ".0" when bare.
        return Stream.of(
                Arguments.of(1.0, "1.0"), Arguments.of(0.0, "0.0"), Arguments.of(-1.0, "-1.0"), Arguments.of(0.25, "0.25"),
                Arguments.of(1e6, "1e+06"), Arguments.of(100000.0, "100000.0"), Arguments.of(123456.0, "123456.0"),
                Arguments.of(1234567.0, "1.234567e+06"), Arguments.of(0.0001, "0.0001"), Arguments.of(0.00001, "1e-05"),
                Arguments.of(1.5e-7, "1.5e-07"), Arguments.of(2.5, "2.5"), Arguments.of(1e21, "1e+21"), Arguments.of(0.1, "0.1"),
                Arguments.of(5e-324, "5e-324"), Arguments.of(Double.MAX_VALUE, "1.7976931348623157e+308"),
                Arguments.of(Double.POSITIVE_INFINITY, "+Inf"), Arguments.of(Double.NEGATIVE_INFINITY, "-Inf"),
                Arguments.of(Double.NaN, "NaN"), Arguments.of(0.005, "0.005"), Arguments.of(10.0, "10.0"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("openMetricsFormatting")
    void formatsLikePrometheusFormatOpenMetricsFloat(double f, String expected) {
        assertThat(Floats.formatOpenMetrics(f)).isEqualTo(expected);
    }
}
