package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's number, time and size formatting, which promtool's output is made of. */
class ToolFormatTest {

    /** Go: fmt.Sprintf("%g", v): shortest digits, exponent form when the exponent is below -4 or at least 6. */
    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "-2, -2", "123456, 123456", "1000000, 1e+06", "1234567.5, 1.2345675e+06", "0.0001, 0.0001",
            "0.00001234, 1.234e-05", "0.1, 0.1", "1e21, 1e+21", "1e100, 1e+100", "5e-324, 5e-324", "1.7976931348623157e308, 1.7976931348623157e+308",
            "NaN, NaN", "Infinity, +Inf", "-Infinity, -Inf", "-0.0, -0", "123456789012, 1.23456789012e+11"})
    void goG(String in, String want) {
        assertThat(ToolFormat.goG(Double.parseDouble(in))).isEqualTo(want);
    }

    /** Go: strconv.FormatFloat(v, 'f', -1, 64), what model.SampleValue prints. */
    @ParameterizedTest
    @CsvSource({"0, 0", "20.5, 20.5", "1e-7, 0.0000001", "1.5e22, 15000000000000000000000", "0.1, 0.1", "1e15, 1000000000000000",
            "-3.25, -3.25", "123456789.125, 123456789.125"})
    void goF(String in, String want) {
        assertThat(ToolFormat.goF(Double.parseDouble(in))).isEqualTo(want);
    }

    @Test
    void goGRoundTripsRandomDoubles() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int i = 0; i < 10_000; i++) {
            double v = Double.longBitsToDouble(r.nextLong());
            if (Double.isNaN(v)) continue;
            String s = ToolFormat.goG(v).replace("+Inf", "Infinity");
            assertThat(Double.parseDouble(s)).as("seed %d: %s", seed, s).isEqualTo(v);
        }
    }

    @ParameterizedTest
    @CsvSource({"1700000000000, 1700000000", "1565133713989, 1565133713.989", "1000, 1", "1500, 1.5", "1050, 1.05", "1005, 1.005",
            "0, 0", "-1500, -1.5"})
    void secondsAsGoModelTime(long ms, String want) {
        assertThat(ToolFormat.seconds(ms)).isEqualTo(want);
    }

    @ParameterizedTest
    @CsvSource({"0, 0B", "830, 830B", "1024, 1KiB", "1500, 1KiB476B", "1048576, 1MiB", "5505024, 5MiB256KiB"})
    void base2BytesAsAlecthomasUnits(long n, String want) {
        assertThat(ToolFormat.base2Bytes(n)).isEqualTo(want);
    }

    @Test
    void utcAsGoTimeString() {
        assertThat(ToolFormat.utc(1565133713989L)).isEqualTo("2019-08-06 23:21:53 +0000 UTC");
    }

    @Test
    void tableAsGoTabwriterWithMinWidth13AndPadding2() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ToolFormat.table(new PrintStream(b, true, StandardCharsets.UTF_8), 13, List.of(
                new String[] {"BLOCK ULID", "DURATION", "SIZE"}, new String[] {"01M80K2T9WD0SCBC60JC8NDGFT", "12ms", "830"}));
        assertThat(b.toString(StandardCharsets.UTF_8)).isEqualTo("""
                BLOCK ULID                  DURATION     SIZE
                01M80K2T9WD0SCBC60JC8NDGFT  12ms         830
                """);
    }
}
