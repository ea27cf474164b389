package io.pyrometer.model.textparse;

import static io.pyrometer.model.textparse.ParsedEntry.help;
import static io.pyrometer.model.textparse.ParsedEntry.series;
import static io.pyrometer.model.textparse.ParsedEntry.type;
import static io.pyrometer.model.textparse.ParsedEntry.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.model.textparse.ExpositionParser.Entry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cases follow Prometheus's openmetricsparse_test.go (TestOpenMetricsParse, TestOpenMetricsParseErrors, CT cases). */
class OpenMetricsParserTest {

    static OpenMetricsParser parser(String s) {
        return new OpenMetricsParser(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesAllTypesUnitsExemplarsAndCreatedTimestamps() throws Exception {
        String input = """
                # HELP go_gc_duration_seconds A summary of the GC invocation durations.
                # TYPE go_gc_duration_seconds summary
                # UNIT go_gc_duration_seconds seconds
                go_gc_duration_seconds{quantile="0"} 4.9351e-05
                go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
                # HELP nohelp1\s
                # HELP help2 escape \\ \\n \\\\ \\" \\x chars
                # UNIT nounit\s
                go_gc_duration_seconds_count 99
                # TYPE go_goroutines gauge
                go_goroutines 33 123.123
                # TYPE hh histogram
                hh_bucket{le="+Inf"} 1
                # TYPE gh gaugehistogram
                gh_bucket{le="+Inf"} 1
                # TYPE hhh histogram
                hhh_bucket{le="+Inf"} 1 # {id="histogram-bucket-test"} 4
                hhh_count 1 # {id="histogram-count-test"} 4
                # TYPE ggh gaugehistogram
                ggh_bucket{le="+Inf"} 1 # {id="gaugehistogram-bucket-test",xx="yy"} 4 123.123
                # TYPE smr_seconds summary
                smr_seconds_sum 42.0 # {id="summary-sum-test"} 1 123.321
                # TYPE ii info
                ii{foo="bar"} 1
                # TYPE ss stateset
                ss{ss="foo"} 1
                ss{A="a"} 0
                # TYPE un unknown
                testmetric{label="\\"bar\\""} 1
                # HELP foo Counter with and without labels to certify CT is parsed for both cases
                # TYPE foo counter
                foo_total 17.0 1520879607.789 # {id="counter-test"} 5
                foo_created 1520872607.123
                foo_total{a="b"} 17.0 1520879607.789 # {id="counter-test"} 5
                foo_created{a="b"} 1520872607.123
                foo_total{le="c"} 21.0
                foo_created{le="c"} 1520872621.123
                foo_total{le="1"} 10.0
                # HELP bar Summary with CT at the end, making sure we find CT even if it's multiple lines a far
                # TYPE bar summary
                bar_count 17.0
                bar{quantile="0.95"} 123.7
                bar_created 1520872608.124
                # TYPE baz histogram
                baz_bucket{le="0.0"} 0
                baz_bucket{le="+Inf"} 17
                baz_created 1520872609.125
                # HELP fizz_created Gauge which shouldn't be parsed as CT
                # TYPE fizz_created gauge
                fizz_created 17.0
                # TYPE something histogram
                something_count 18
                something_created 1520430001
                something_bucket{le="1"} 2
                # EOF
                """;
        List<ParsedEntry> expected = List.of(
                help("go_gc_duration_seconds", "A summary of the GC invocation durations."),
                type("go_gc_duration_seconds", MetricType.SUMMARY),
                unit("go_gc_duration_seconds", "seconds"),
                series("go_gc_duration_seconds{quantile=\"0\"}", 4.9351e-05, "__name__", "go_gc_duration_seconds", "quantile", "0.0"),
                series("go_gc_duration_seconds{quantile=\"0.5\",a=\"b\"}", 8.3835e-05,
                        "__name__", "go_gc_duration_seconds", "quantile", "0.5", "a", "b"),
                help("nohelp1", ""),
                help("help2", "escape \\ \n \\ \" \\x chars"),
                unit("nounit", ""),
                series("go_gc_duration_seconds_count", 99, "__name__", "go_gc_duration_seconds_count"),
                type("go_goroutines", MetricType.GAUGE),
                series("go_goroutines", 33, "__name__", "go_goroutines").at(123123),
                type("hh", MetricType.HISTOGRAM),
                series("hh_bucket{le=\"+Inf\"}", 1, "__name__", "hh_bucket", "le", "+Inf"),
                type("gh", MetricType.GAUGE_HISTOGRAM),
                series("gh_bucket{le=\"+Inf\"}", 1, "__name__", "gh_bucket", "le", "+Inf"),
                type("hhh", MetricType.HISTOGRAM),
                series("hhh_bucket{le=\"+Inf\"}", 1, "__name__", "hhh_bucket", "le", "+Inf")
                        .exemplar(4, null, "id", "histogram-bucket-test"),
                series("hhh_count", 1, "__name__", "hhh_count").exemplar(4, null, "id", "histogram-count-test"),
                type("ggh", MetricType.GAUGE_HISTOGRAM),
                series("ggh_bucket{le=\"+Inf\"}", 1, "__name__", "ggh_bucket", "le", "+Inf")
                        .exemplar(4, 123123L, "id", "gaugehistogram-bucket-test", "xx", "yy"),
                type("smr_seconds", MetricType.SUMMARY),
                series("smr_seconds_sum", 42, "__name__", "smr_seconds_sum").exemplar(1, 123321L, "id", "summary-sum-test"),
                type("ii", MetricType.INFO),
                series("ii{foo=\"bar\"}", 1, "__name__", "ii", "foo", "bar"),
                type("ss", MetricType.STATESET),
                series("ss{ss=\"foo\"}", 1, "__name__", "ss", "ss", "foo"),
                series("ss{A=\"a\"}", 0, "__name__", "ss", "A", "a"),
                type("un", MetricType.UNKNOWN),
                series("testmetric{label=\"\\\"bar\\\"\"}", 1, "__name__", "testmetric", "label", "\"bar\""),
                help("foo", "Counter with and without labels to certify CT is parsed for both cases"),
                type("foo", MetricType.COUNTER),
                series("foo_total", 17, "__name__", "foo_total").at(1520879607789L)
                        .exemplar(5, null, "id", "counter-test").created(1520872607123L),
                series("foo_total{a=\"b\"}", 17, "__name__", "foo_total", "a", "b").at(1520879607789L)
                        .exemplar(5, null, "id", "counter-test").created(1520872607123L),
                series("foo_total{le=\"c\"}", 21, "__name__", "foo_total", "le", "c").created(1520872621123L),
                series("foo_total{le=\"1\"}", 10, "__name__", "foo_total", "le", "1"),
                help("bar", "Summary with CT at the end, making sure we find CT even if it's multiple lines a far"),
                type("bar", MetricType.SUMMARY),
                series("bar_count", 17, "__name__", "bar_count").created(1520872608124L),
                series("bar{quantile=\"0.95\"}", 123.7, "__name__", "bar", "quantile", "0.95").created(1520872608124L),
                type("baz", MetricType.HISTOGRAM),
                series("baz_bucket{le=\"0.0\"}", 0, "__name__", "baz_bucket", "le", "0.0").created(1520872609125L),
                series("baz_bucket{le=\"+Inf\"}", 17, "__name__", "baz_bucket", "le", "+Inf").created(1520872609125L),
                help("fizz_created", "Gauge which shouldn't be parsed as CT"),
                type("fizz_created", MetricType.GAUGE),
                series("fizz_created", 17, "__name__", "fizz_created"),
                type("something", MetricType.HISTOGRAM),
                // The _created line may sit anywhere in its family: the whole family is searched.
                series("something_count", 18, "__name__", "something_count").created(1520430001000L),
                series("something_bucket{le=\"1\"}", 2, "__name__", "something_bucket", "le", "1.0").created(1520430001000L));
        assertThat(ParsedEntry.readAll(new OpenMetricsParser(input.getBytes(StandardCharsets.UTF_8), input.length(), true)))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void createdSeriesAreOrdinarySeriesByDefaultAndNotCreatedTimestampsWithoutMetadata() throws Exception {
        String input = """
                foo_total 17.0
                foo_created 1520872607.123
                # TYPE c counter
                c_total 1
                c_created 1520872607.5
                # EOF
                """;
        List<ParsedEntry> got = ParsedEntry.readAll(parser(input));
        assertThat(got).extracting(ParsedEntry::m).containsExactly("foo_total", "foo_created", "c", "c_total", "c_created");
        assertThat(got.get(0).ct()).isNull();
        assertThat(got.get(3).ct()).isEqualTo(1520872607500L);
        assertThat(got.get(4).ct()).as("a _created series has no created timestamp of its own").isNull();
    }

    @Test
    void metricFamilyStripsTheSuffixesTheTypeAllows() throws Exception {
        String input = """
                # TYPE h histogram
                h_bucket{le="1"} 1
                h_count 1
                h_sum 1
                h_total 1
                # TYPE i info
                i_info{a="b"} 1
                # TYPE c counter
                c_total 1
                other 1
                # EOF
                """;
        OpenMetricsParser p = parser(input);
        StringBuilder families = new StringBuilder();
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) families.append(p.metricFamily()).append(' ');
        assertThat(families.toString().trim()).isEqualTo("h h h h h_total i i c c other");
    }

    @Test
    void quotedNamesAndUtf8() throws Exception {
        String input = """
                # TYPE "my.counter" counter
                # HELP "my.counter" dots and "quotes\\"
                {"my.counter_total","label.name"="v",b="\\\\"} 1
                # EOF
                """;
        List<ParsedEntry> got = ParsedEntry.readAll(parser(input));
        assertThat(got).containsExactly(
                type("my.counter", MetricType.COUNTER),
                help("my.counter", "dots and \"quotes\""),
                series("{\"my.counter_total\",\"label.name\"=\"v\",b=\"\\\\\"}", 1,
                        "__name__", "my.counter_total", "label.name", "v", "b", "\\"));
    }

    @Test
    void exemplarIsReturnedOncePerSample() throws Exception {
        OpenMetricsParser p = parser("a_total 1 # {t=\"x\"} 2.5 1.5\n# EOF\n");
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        Exemplar ex = new Exemplar();
        assertThat(p.exemplar(ex)).isTrue();
        assertThat(ex.labels().get("t")).isEqualTo("x");
        assertThat(ex.value()).isEqualTo(2.5);
        assertThat(ex.timestampMs()).isEqualTo(1500);
        assertThat(p.exemplar(ex)).isFalse();
        assertThat(p.next()).isEqualTo(Entry.EOF);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("", "data does not end with # EOF", 1, 1),
                Arguments.of("\n", "expected a valid start token, got \"\\n\" (\"INVALID\") while parsing: \"\\n\"", 1, 1),
                Arguments.of("metric", "expected value after metric, got \"\" (\"EOF\") while parsing: \"metric\"", 1, 7),
                Arguments.of("metric 1", "data does not end with # EOF", 1, 9),
                Arguments.of("metric 1\n", "data does not end with # EOF", 2, 1),
                Arguments.of("metric_total 1 # {aa=\"bb\"} 4", "data does not end with # EOF", 1, 29),
                Arguments.of("a\n#EOF\n", "expected value after metric, got \"\\n\" (\"INVALID\") while parsing: \"a\\n\"", 1, 2),
                Arguments.of("\n\n#EOF\n", "expected a valid start token, got \"\\n\" (\"INVALID\") while parsing: \"\\n\"", 1, 1),
                Arguments.of(" a 1\n#EOF\n", "expected a valid start token, got \" \" (\"INVALID\") while parsing: \" \"", 1, 1),
                Arguments.of("9\n#EOF\n", "expected a valid start token, got \"9\" (\"INVALID\") while parsing: \"9\"", 1, 1),
                Arguments.of("# TYPE u untyped\n#EOF\n", "invalid metric type \"untyped\"", 1, 10),
                Arguments.of("# TYPE c counter \n#EOF\n", "invalid metric type \"counter \"", 1, 10),
                Arguments.of("#  TYPE c counter\n#EOF\n", "expected a valid start token, got \"#\" (\"INVALID\") while parsing: \"#\"", 1, 1),
                Arguments.of("# TYPE \n#EOF\n", "expected metric name after TYPE, got \"\\n\" (\"INVALID\") while parsing: \"# TYPE \\n\"", 1, 8),
                Arguments.of("# TYPE m\n#EOF\n", "expected text in TYPE", 1, 9),
                Arguments.of("# UNIT metric suffix\n#EOF\n", "unit \"suffix\" not a suffix of metric \"metric\"", 1, 15),
                Arguments.of("# UNIT metricsuffix suffix\n#EOF\n", "unit \"suffix\" not a suffix of metric \"metricsuffix\"", 1, 21),
                Arguments.of("# UNIT m suffix\n#EOF\n", "unit \"suffix\" not a suffix of metric \"m\"", 1, 10),
                Arguments.of("# UNIT \n#EOF\n", "expected metric name after UNIT, got \"\\n\" (\"INVALID\") while parsing: \"# UNIT \\n\"", 1, 8),
                Arguments.of("# UNIT m\n#EOF\n", "expected text in UNIT", 1, 9),
                Arguments.of("# HELP \n#EOF\n", "expected metric name after HELP, got \"\\n\" (\"INVALID\") while parsing: \"# HELP \\n\"", 1, 8),
                Arguments.of("# HELP m\n#EOF\n", "expected text in HELP", 1, 9),
                Arguments.of("a\t1\n#EOF\n", "expected value after metric, got \"\\t\" (\"INVALID\") while parsing: \"a\\t\"", 1, 2),
                Arguments.of("a 1\t2\n#EOF\n", "strconv.ParseFloat: parsing \"1\\t2\": invalid syntax while parsing: \"a 1\\t2\"", 1, 3),
                Arguments.of("a 1 2 \n#EOF\n", "expected next entry after timestamp, got \" \" (\"INVALID\") while parsing: \"a 1 2 \"", 1, 6),
                Arguments.of("a 1 2 #\n#EOF\n", "expected next entry after timestamp, got \" \" (\"INVALID\") while parsing: \"a 1 2 \"", 1, 6),
                Arguments.of("a 1 1z\n#EOF\n", "strconv.ParseFloat: parsing \"1z\": invalid syntax while parsing: \"a 1 1z\"", 1, 5),
                Arguments.of(" # EOF\n", "expected a valid start token, got \" \" (\"INVALID\") while parsing: \" \"", 1, 1),
                Arguments.of("# EOF\na 1", "unexpected data after # EOF", 1, 6),
                Arguments.of("# EOF\n\n", "unexpected data after # EOF", 1, 6),
                Arguments.of("# EOFa 1", "unexpected data after # EOF", 1, 6),
                Arguments.of("#\tTYPE c counter\n", "expected a valid start token, got \"#\" (\"INVALID\") while parsing: \"#\"", 1, 1),
                Arguments.of("# TYPE c  counter\n", "invalid metric type \" counter\"", 1, 10),
                Arguments.of("a 1 1 1\n# EOF\n", "expected next entry after timestamp, got \" \" (\"INVALID\") while parsing: \"a 1 1 \"", 1, 6),
                Arguments.of("a{b='c'} 1\n# EOF\n", "expected label value, got \"'\" (\"INVALID\") while parsing: \"a{b='\"", 1, 5),
                Arguments.of("a{,b=\"c\"} 1\n# EOF\n", "expected label name, got \",\" (\"COMMA\") while parsing: \"a{,\"", 1, 3),
                Arguments.of("a{b=\"c\"d=\"e\"} 1\n# EOF\n",
                        "expected comma or brace close, got \"d\" (\"LNAME\") while parsing: \"a{b=\\\"c\\\"d\"", 1, 8),
                Arguments.of("a{b=\"c\",,d=\"e\"} 1\n# EOF\n",
                        "expected label name, got \",\" (\"COMMA\") while parsing: \"a{b=\\\"c\\\",,\"", 1, 9),
                Arguments.of("a{b=\n# EOF\n", "expected label value, got \"\\n\" (\"INVALID\") while parsing: \"a{b=\\n\"", 1, 5),
                Arguments.of("{\"a\",\"b = \"c\"}\n# EOF\n",
                        "expected equal, got \"c\" (\"LNAME\") while parsing: \"{\\\"a\\\",\\\"b = \\\"c\"", 1, 12),
                Arguments.of("{\"a\",b\\nc=\"d\"} 1\n# EOF\n",
                        "expected equal, got \"\\\\\" (\"INVALID\") while parsing: \"{\\\"a\\\",b\\\\\"", 1, 7),
                Arguments.of("a true\n", "strconv.ParseFloat: parsing \"true\": invalid syntax while parsing: \"a true\"", 1, 3),
                Arguments.of("something_weird{problem=\"\n# EOF\n",
                        "expected label value, got \"\\\"\" (\"INVALID\") while parsing: \"something_weird{problem=\\\"\"", 1, 25),
                Arguments.of("empty_label_name{=\"\"} 0\n# EOF\n",
                        "expected label name, got \"=\" (\"EQUAL\") while parsing: \"empty_label_name{=\"", 1, 18),
                Arguments.of("foo 1_2\n\n# EOF\n", "unsupported character in float while parsing: \"foo 1_2\"", 1, 5),
                Arguments.of("foo 0x1p-3\n\n# EOF\n", "unsupported character in float while parsing: \"foo 0x1p-3\"", 1, 5),
                Arguments.of("foo 0 1_2\n\n# EOF\n", "unsupported character in float while parsing: \"foo 0 1_2\"", 1, 7),
                Arguments.of("custom_metric_total 1 # {aa=bb}\n# EOF\n",
                        "expected label value, got \"bb\" (\"LNAME\") while parsing: \"custom_metric_total 1 # {aa=bb\"", 1, 29),
                Arguments.of("custom_metric_total 1 # {aa=\"bb\"}\n# EOF\n",
                        "expected value after exemplar labels, got \"\\n\" (\"INVALID\") while parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\"}\\n\"", 1, 34),
                Arguments.of("custom_metric_total 1 # {aa=\"bb\"}",
                        "expected value after exemplar labels, got \"\" (\"EOF\") while parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\"}\"", 1, 34),
                Arguments.of("custom_metric_total 1 # {bb}",
                        "expected label name, got \"}\" (\"BCLOSE\") while parsing: \"custom_metric_total 1 # {bb}\"", 1, 28),
                Arguments.of("custom_metric_total 1 # {bb, a=\"dd\"}",
                        "expected label name, got \",\" (\"COMMA\") while parsing: \"custom_metric_total 1 # {bb,\"", 1, 28),
                Arguments.of("custom_metric_total 1 # {aa=\"bb\",,cc=\"dd\"} 1",
                        "expected label name, got \",\" (\"COMMA\") while parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\",,\"", 1, 34),
                Arguments.of("custom_metric_total 1 # {aa=\"bb\"} 1_2",
                        "unsupported character in float while parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\"} 1_2\"", 1, 35),
                Arguments.of("custom_metric_total 1 # {aa=\"bb\"} true",
                        "strconv.ParseFloat: parsing \"true\": invalid syntax while parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\"} true\"", 1, 35),
                Arguments.of("custom_metric_total 1 # {aa=\"bb\",cc=}",
                        "expected label value, got \"}\" (\"BCLOSE\") while parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\",cc=}\"", 1, 37),
                Arguments.of("{b=\"c\",} 1", "metric name not set while parsing: \"{b=\\\"c\\\",} 1\"", 1, 1),
                Arguments.of("a 1 NaN", "invalid timestamp NaN", 1, 5),
                Arguments.of("a 1 -Inf", "invalid timestamp -Inf", 1, 5),
                Arguments.of("a 1 Inf", "invalid timestamp +Inf", 1, 5),
                Arguments.of("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 NaN", "invalid exemplar timestamp NaN", 2, 39),
                Arguments.of("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 -Inf", "invalid exemplar timestamp -Inf", 2, 39),
                Arguments.of("#", "expected a valid start token, got \"#\" (\"INVALID\") while parsing: \"#\"", 1, 1),
                Arguments.of("# H", "expected a valid start token, got \"#\" (\"INVALID\") while parsing: \"#\"", 1, 1),
                Arguments.of("a{b=\"c\",b=\"d\"} 1\n# EOF\n", "label name \"b\" is not unique while parsing: \"a{b=\\\"c\\\",\"", 1, 9),
                Arguments.of("a_total 1 # {t=\"1\",t=\"2\"} 1\n# EOF\n",
                        "label name \"t\" is not unique in exemplar while parsing: \"a_total 1 # {t=\\\"1\\\",t\"", 1, 20),
                Arguments.of("a{b=\"c\" } 1\n# EOF\n", "expected comma or brace close, got \" \" (\"INVALID\") while parsing: \"a{b=\\\"c\\\" \"", 1, 8),
                Arguments.of("ok 1\nok 2\nbad{x=\"a\nb\"} 3\n# EOF\n",
                        "expected label value, got \"\\\"a\" (\"INVALID\") while parsing: \"bad{x=\\\"a\"", 3, 7),
                Arguments.of("custom_metric_total 1 # {b=\u0000\"ssss\"} 1\n",
                        "expected label value, got \"\\x00\" (\"INVALID\") while parsing: \"custom_metric_total 1 # {b=\\x00\"", 1, 28));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("errors")
    void rejectsMalformedInputWithPrometheusWordingAndPosition(String input, String message, int line, int column) {
        assertThatThrownBy(() -> PromTextParserTest.drain(parser(input)))
                .isInstanceOfSatisfying(TextParseException.class, e -> {
                    assertThat(e.detail()).isEqualTo(message);
                    assertThat(e.line()).as("line").isEqualTo(line);
                    assertThat(e.column()).as("column").isEqualTo(column);
                });
    }

    @Test
    void eofMayOmitItsNewlineAndNullBytesAreFineInLabelValues() throws Exception {
        for (String in : List.of("# EOF", "# EOF\n", "null_byte_metric{a=\"abc\u0000\"} 1\n# EOF\n", "a{b=\"\u0000\"} 1\n# EOF")) {
            OpenMetricsParser p = parser(in);
            PromTextParserTest.drain(p);
            assertThat(p.next()).isEqualTo(Entry.EOF);
        }
    }

    @Test
    void timestampsAreSecondsConvertedToMillisecondsExactly() throws Exception {
        OpenMetricsParser p = parser("a 1 1520879607.789\nb 1 -1.5\nc 1 1e3\nd 1 0.0019\ne 1 17\n# EOF\n");
        long[] expected = {1520879607789L, -1500L, 1_000_000L, 1L, 17_000L};
        for (long ms : expected) {
            assertThat(p.next()).isEqualTo(Entry.SERIES);
            assertThat(p.timestampMs()).isEqualTo(ms);
        }
    }
}
