package io.pyrometer.model.textparse;

import static io.pyrometer.model.textparse.ParsedEntry.comment;
import static io.pyrometer.model.textparse.ParsedEntry.help;
import static io.pyrometer.model.textparse.ParsedEntry.series;
import static io.pyrometer.model.textparse.ParsedEntry.type;
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

/** Cases follow Prometheus's promparse_test.go (TestPromParse, TestUTF8PromParse, TestPromParseErrors). */
class PromTextParserTest {

    static PromTextParser parser(String s) {
        return new PromTextParser(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesTheUpstreamExampleIncludingOddSpacingCommentsAndNullBytes() throws Exception {
        String input = """
                # HELP go_gc_duration_seconds A summary of the GC invocation durations.
                # \tTYPE go_gc_duration_seconds summary
                go_gc_duration_seconds{quantile="0"} 4.9351e-05
                go_gc_duration_seconds{quantile="0.25",} 7.424100000000001e-05
                go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
                go_gc_duration_seconds{quantile="0.8", a="b"} 8.3835e-05
                go_gc_duration_seconds{ quantile="0.9", a="b"} 8.3835e-05
                # Hrandom comment starting with prefix of HELP
                #
                wind_speed{A="2",c="3"} 12345
                # comment with escaped \\n newline
                # comment with escaped \\ escape character
                # HELP nohelp1
                # HELP nohelp2\s
                go_gc_duration_seconds{ quantile="1.0", a="b" } 8.3835e-05
                go_gc_duration_seconds { quantile="1.0", a="b" } 8.3835e-05
                go_gc_duration_seconds { quantile= "1.0", a= "b", } 8.3835e-05
                go_gc_duration_seconds { quantile = "1.0", a = "b" } 8.3835e-05
                go_gc_duration_seconds { quantile = "2.0" a = "b" } 8.3835e-05
                go_gc_duration_seconds_count 99
                some:aggregate:rate5m{a_b="c"}\t1
                # HELP go_goroutines Number of goroutines that currently exist.
                # TYPE go_goroutines gauge
                go_goroutines 33  \t123123
                _metric_starting_with_underscore 1
                testmetric{_label_starting_with_underscore="foo"} 1
                testmetric{label="\\"bar\\""} 1
                # HELP metric foo\u0000bar
                null_byte_metric{a="abc\u0000"} 1""";
        String g = "go_gc_duration_seconds";
        List<ParsedEntry> expected = List.of(
                help(g, "A summary of the GC invocation durations."),
                type(g, MetricType.SUMMARY),
                // Prometheus 3 normalises summary quantiles to the OpenMetrics float form.
                series(g + "{quantile=\"0\"}", 4.9351e-05, "__name__", g, "quantile", "0.0"),
                series(g + "{quantile=\"0.25\",}", 7.424100000000001e-05, "__name__", g, "quantile", "0.25"),
                series(g + "{quantile=\"0.5\",a=\"b\"}", 8.3835e-05, "__name__", g, "quantile", "0.5", "a", "b"),
                series(g + "{quantile=\"0.8\", a=\"b\"}", 8.3835e-05, "__name__", g, "quantile", "0.8", "a", "b"),
                series(g + "{ quantile=\"0.9\", a=\"b\"}", 8.3835e-05, "__name__", g, "quantile", "0.9", "a", "b"),
                comment("# Hrandom comment starting with prefix of HELP"),
                comment("#"),
                series("wind_speed{A=\"2\",c=\"3\"}", 12345, "A", "2", "__name__", "wind_speed", "c", "3"),
                comment("# comment with escaped \\n newline"),
                comment("# comment with escaped \\ escape character"),
                help("nohelp1", ""),
                help("nohelp2", ""),
                series(g + "{ quantile=\"1.0\", a=\"b\" }", 8.3835e-05, "__name__", g, "quantile", "1.0", "a", "b"),
                series(g + " { quantile=\"1.0\", a=\"b\" }", 8.3835e-05, "__name__", g, "quantile", "1.0", "a", "b"),
                series(g + " { quantile= \"1.0\", a= \"b\", }", 8.3835e-05, "__name__", g, "quantile", "1.0", "a", "b"),
                series(g + " { quantile = \"1.0\", a = \"b\" }", 8.3835e-05, "__name__", g, "quantile", "1.0", "a", "b"),
                series(g + " { quantile = \"2.0\" a = \"b\" }", 8.3835e-05, "__name__", g, "quantile", "2.0", "a", "b"),
                series(g + "_count", 99, "__name__", g + "_count"),
                series("some:aggregate:rate5m{a_b=\"c\"}", 1, "__name__", "some:aggregate:rate5m", "a_b", "c"),
                help("go_goroutines", "Number of goroutines that currently exist."),
                type("go_goroutines", MetricType.GAUGE),
                series("go_goroutines", 33, "__name__", "go_goroutines").at(123123),
                series("_metric_starting_with_underscore", 1, "__name__", "_metric_starting_with_underscore"),
                series("testmetric{_label_starting_with_underscore=\"foo\"}", 1,
                        "__name__", "testmetric", "_label_starting_with_underscore", "foo"),
                series("testmetric{label=\"\\\"bar\\\"\"}", 1, "__name__", "testmetric", "label", "\"bar\""),
                help("metric", "foo\u0000bar"),
                series("null_byte_metric{a=\"abc\u0000\"}", 1, "__name__", "null_byte_metric", "a", "abc\u0000"));
        assertThat(ParsedEntry.readAll(parser(input))).containsExactlyElementsOf(expected);
    }

    @Test
    void acceptsQuotedUtf8MetricAndLabelNames() throws Exception {
        String input = """
                # HELP "go.gc_duration_seconds" A summary of the GC invocation durations.
                # \tTYPE "go.gc_duration_seconds" summary
                {"go.gc_duration_seconds",quantile="0"} 4.9351e-05
                {"go.gc_duration_seconds",quantile="0.25",} 7.424100000000001e-05
                { "go.gc_duration_seconds", quantile = "1.0", a = "b" } 8.3835e-05
                {"go.gc_duration_seconds_count"} 99
                {"Heizölrückstoßabdämpfung 10€ metric with \\"interesting\\" {character\\nchoices}","strange©™\\n'quoted' \\"name\\""="6"} 10.0""";
        String g = "go.gc_duration_seconds";
        assertThat(ParsedEntry.readAll(parser(input))).containsExactly(
                help(g, "A summary of the GC invocation durations."),
                type(g, MetricType.SUMMARY),
                series("{\"" + g + "\",quantile=\"0\"}", 4.9351e-05, "__name__", g, "quantile", "0.0"),
                series("{\"" + g + "\",quantile=\"0.25\",}", 7.424100000000001e-05, "__name__", g, "quantile", "0.25"),
                series("{ \"" + g + "\", quantile = \"1.0\", a = \"b\" }", 8.3835e-05, "__name__", g, "quantile", "1.0", "a", "b"),
                series("{\"" + g + "_count\"}", 99, "__name__", g + "_count"),
                series("{\"Heizölrückstoßabdämpfung 10€ metric with \\\"interesting\\\" {character\\nchoices}\",\"strange©™\\n'quoted' \\\"name\\\"\"=\"6\"}",
                        10, "__name__", "Heizölrückstoßabdämpfung 10€ metric with \"interesting\" {character\nchoices}",
                        "strange©™\n'quoted' \"name\"", "6"));
    }

    /** Input, then Prometheus's message (without the position), then line and column of the error. */
    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("a", "expected value after metric, got \"\" (\"EOF\") while parsing: \"a\"", 1, 2),
                Arguments.of("a\n", "expected value after metric, got \"\\n\" (\"INVALID\") while parsing: \"a\\n\"", 1, 2),
                Arguments.of("a{b='c'} 1\n", "expected label value, got \"'\" (\"INVALID\") while parsing: \"a{b='\"", 1, 5),
                Arguments.of("a{b=\n", "expected label value, got \"\\n\" (\"INVALID\") while parsing: \"a{b=\\n\"", 1, 5),
                Arguments.of("{\"a\", \"b = \"c\"}", "expected equal, got \"c\" (\"LNAME\") while parsing: \"{\\\"a\\\", \\\"b = \\\"c\"", 1, 13),
                Arguments.of("{\"a\",b\\nc=\"d\"} 1", "expected equal, got \"\\\\\" (\"INVALID\") while parsing: \"{\\\"a\\\",b\\\\\"", 1, 7),
                Arguments.of("a true\n", "strconv.ParseFloat: parsing \"true\": invalid syntax while parsing: \"a true\"", 1, 3),
                Arguments.of("something_weird{problem=\"",
                        "expected label value, got \"\\\"\" (\"INVALID\") while parsing: \"something_weird{problem=\\\"\"", 1, 25),
                Arguments.of("empty_label_name{=\"\"} 0",
                        "expected label name, got \"=\" (\"EQUAL\") while parsing: \"empty_label_name{=\"", 1, 18),
                Arguments.of("foo 1_2\n", "unsupported character in float while parsing: \"foo 1_2\"", 1, 5),
                Arguments.of("foo 0x1p-3\n", "unsupported character in float while parsing: \"foo 0x1p-3\"", 1, 5),
                Arguments.of("foo 0x1P-3\n", "unsupported character in float while parsing: \"foo 0x1P-3\"", 1, 5),
                Arguments.of("foo 0 1_2\n", "expected next entry after timestamp, got \"_2\" (\"MNAME\") while parsing: \"foo 0 1_2\"", 1, 8),
                Arguments.of("{a=\"ok\"} 1", "metric name not set while parsing: \"{a=\\\"ok\\\"} 1\"", 1, 1),
                Arguments.of("# TYPE #\n#EOF\n", "expected metric name after TYPE, got \"#\" (\"INVALID\") while parsing: \"# TYPE #\"", 1, 8),
                Arguments.of("# HELP #\n#EOF\n", "expected metric name after HELP, got \"#\" (\"INVALID\") while parsing: \"# HELP #\"", 1, 8),
                Arguments.of("# TYPE foo untyped\n# TYPE foo gaugehistogram\n", "invalid metric type \"gaugehistogram\"", 2, 12),
                Arguments.of("a 1e400\n", "strconv.ParseFloat: parsing \"1e400\": value out of range while parsing: \"a 1e400\"", 1, 3),
                Arguments.of("a 1 99999999999999999999\n",
                        "strconv.ParseInt: parsing \"99999999999999999999\": value out of range while parsing: \"a 1 99999999999999999999\"", 1, 5),
                Arguments.of("a 1 -5\n", "expected timestamp or new record, got \"-\" (\"INVALID\") while parsing: \"a 1 -\"", 1, 5),
                Arguments.of("ok 1\nok 2\nbad{x=\"1\",x=\"2\"} 3\n",
                        "label name \"x\" is not unique while parsing: \"bad{x=\\\"1\\\",\"", 3, 11),
                Arguments.of("a{__name__=\"b\"} 1\n", "label name \"__name__\" is not unique while parsing: \"a{\"", 1, 3),
                Arguments.of("a{\"\"=\"v\"} 1\n", "empty label name while parsing: \"a{\\\"\\\"=\"", 1, 4),
                Arguments.of("{\"\",a=\"b\"} 1\n", "empty metric name while parsing: \"{\\\"\\\"\"", 1, 2),
                Arguments.of("a{\"b\",c=\"d\"} 1\n", "metric name already set while parsing: \"a{\\\"b\\\",\"", 1, 3),
                Arguments.of("a\u0000{b=\"ddd\"} 1", "expected value after metric, got \"\\x00\" (\"INVALID\") while parsing: \"a\\x00\"", 1, 2),
                Arguments.of("a 0 1\u0000", "expected next entry after timestamp, got \"\\x00\" (\"INVALID\") while parsing: \"a 0 1\\x00\"", 1, 6),
                Arguments.of("a{b=\u0000\"ssss\"} 1\n", "expected label value, got \"\\x00\" (\"INVALID\") while parsing: \"a{b=\\x00\"", 1, 5),
                Arguments.of("a{b\u0000=\"hiih\"}\t1", "expected equal, got \"\\x00\" (\"INVALID\") while parsing: \"a{b\\x00\"", 1, 4));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("errors")
    void rejectsMalformedInputWithPrometheusWordingAndPosition(String input, String message, int line, int column) {
        assertThatThrownBy(() -> drain(parser(input)))
                .isInstanceOfSatisfying(TextParseException.class, e -> {
                    assertThat(e.detail()).isEqualTo(message);
                    assertThat(e.line()).as("line").isEqualTo(line);
                    assertThat(e.column()).as("column").isEqualTo(column);
                    assertThat(e.getMessage()).isEqualTo(line + ":" + column + ": " + message);
                });
    }

    @Test
    void rejectsInvalidUtf8InLabelValues() {
        byte[] body = {'a', '{', 'b', '=', '"', (byte) 0xff, '"', '}', ' ', '1', '\n'};
        assertThatThrownBy(() -> drain(new PromTextParser(body)))
                .isInstanceOf(TextParseException.class)
                .hasMessage("1:5: invalid UTF-8 label value: \"\\\"\\xff\\\"\"");
    }

    @Test
    void duplicateLabelNamesAreFoundAfterUnescaping() {
        // "a\\b" and "a\b" both unescape to a\b (an unknown escape keeps its backslash).
        assertThatThrownBy(() -> drain(parser("{\"m\",\"a\\\\b\"=\"1\",\"a\\b\"=\"2\"} 1\n")))
                .isInstanceOf(TextParseException.class)
                .hasMessageStartingWith("1:18: label name \"a\\\\b\" is not unique");
    }

    @Test
    void rejectsInvalidUtf8InLabelNames() {
        byte[] body = {'a', '{', (byte) 0xff, '=', '"', 'f', '"', '}', ' ', '1', '\n'};
        assertThatThrownBy(() -> drain(new PromTextParser(body)))
                .isInstanceOf(TextParseException.class)
                .hasMessage("1:3: expected label name, got \"\\xff\" (\"INVALID\") while parsing: \"a{\\xff\"");
    }

    @Test
    void acceptsNullBytesInsideLabelValues() throws Exception {
        for (String in : List.of("null_byte_metric{a=\"abc\u0000\"} 1", "a{b=\"\u0000ss\"} 1\n", "a{b=\"\u0000\"} 1\n")) {
            assertThat(ParsedEntry.readAll(parser(in))).hasSize(1);
        }
    }

    @Test
    void keepsFailingAfterAnErrorInsteadOfResuming() {
        PromTextParser p = parser("a{b=} 1\nc 2\n");
        assertThatThrownBy(p::next).isInstanceOf(TextParseException.class);
        assertThatThrownBy(p::next).isInstanceOf(TextParseException.class).hasMessageContaining("expected label value");
    }

    @Test
    void blankLinesWhitespaceAndMissingTrailingNewlineAreFine() throws Exception {
        PromTextParser p = parser("\n  \n\t\na 1\n\n   b{c=\"d\"}   2   3  \n\n");
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        assertThat(p.line()).isEqualTo(6);
        assertThat(p.value()).isEqualTo(2);
        assertThat(p.timestampMs()).isEqualTo(3);
        assertThat(p.next()).isEqualTo(Entry.EOF);
        assertThat(p.next()).isEqualTo(Entry.EOF);
    }

    @Test
    void seriesBytesAreTheCacheKeyAsWritten() throws Exception {
        PromTextParser p = parser("# TYPE x counter\nx{a=\"1\"} 5 1000\nx 6\n");
        assertThat(p.next()).isEqualTo(Entry.TYPE);
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        assertThat(new String(p.buf(), p.seriesStart(), p.seriesEnd() - p.seriesStart(), StandardCharsets.UTF_8))
                .isEqualTo("x{a=\"1\"}");
        assertThat(p.hasTimestamp()).isTrue();
        assertThat(p.timestampMs()).isEqualTo(1000);
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        assertThat(p.seriesEnd() - p.seriesStart()).isEqualTo(1);
        assertThat(p.hasTimestamp()).isFalse();
    }

    @Test
    void histogramLeIsNormalisedAndEmptyLabelValuesDropped() throws Exception {
        PromTextParser p = parser("# TYPE h histogram\nh_bucket{le=\"1\",x=\"\"} 1\nh_bucket{le=\"1e6\"} 2\nh_bucket{le=\"+Inf\"} 3\n");
        p.next();
        p.next();
        assertThat(p.labels().toString()).isEqualTo("{__name__=\"h_bucket\", le=\"1.0\"}");
        p.next();
        assertThat(p.labels().get("le")).isEqualTo("1e+06");
        p.next();
        assertThat(p.labels().get("le")).isEqualTo("+Inf");
    }

    @Test
    void rejectsAReusedParserOnlyAfterResetClearsTheFailure() throws Exception {
        PromTextParser p = parser("a{");
        assertThatThrownBy(p::next).isInstanceOf(TextParseException.class);
        byte[] ok = "b 1\n".getBytes(StandardCharsets.UTF_8);
        p.reset(ok, ok.length);
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        assertThat(p.labels().metricName()).isEqualTo("b");
    }

    @Test
    void familyAndTypeOfSeriesFollowTheLastMetadataOnlyWhileNamesMatch() throws Exception {
        String input = """
                # HELP http_requests_total Requests.
                # TYPE http_requests_total counter
                http_requests_total{code="200"} 10
                # TYPE rpc_duration_seconds summary
                rpc_duration_seconds{quantile="0.5"} 1
                rpc_duration_seconds_sum 3
                rpc_duration_seconds_count 2
                rpc_duration_seconds_created 2
                # HELP untyped_only An untyped family without TYPE.
                untyped_only 1
                no_metadata_bucket 1
                """;
        PromTextParser p = parser(input);
        StringBuilder got = new StringBuilder();
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            got.append(e).append(' ').append(p.metricFamily()).append(' ').append(p.type()).append('\n');
        }
        assertThat(got.toString()).isEqualTo("""
                HELP http_requests_total UNKNOWN
                TYPE http_requests_total COUNTER
                SERIES http_requests_total COUNTER
                TYPE rpc_duration_seconds SUMMARY
                SERIES rpc_duration_seconds SUMMARY
                SERIES rpc_duration_seconds SUMMARY
                SERIES rpc_duration_seconds SUMMARY
                SERIES rpc_duration_seconds SUMMARY
                HELP untyped_only UNKNOWN
                SERIES untyped_only UNKNOWN
                SERIES no_metadata_bucket UNKNOWN
                """);
    }

    static void drain(ExpositionParser p) throws TextParseException {
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e == Entry.SERIES) p.labels();
        }
    }
}
