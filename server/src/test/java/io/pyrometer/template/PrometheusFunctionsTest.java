package io.pyrometer.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prometheus's template functions through {@link Expander}. Our own cases, in the spirit of
 * TestTemplateExpansion in prometheus/prometheus {@code template/template_test.go}; each expected
 * string was worked out by hand from the function's definition in {@code template/template.go}
 * and prometheus/common {@code helpers/templates/time.go} (e.g. humanize: divide by 1000 while
 * |v| >= 1000, then Go's {@code %.4g} plus the SI prefix).
 */
class PrometheusFunctionsTest {
    /** 2023-11-14 22:13:20 UTC. */
    private static final long TS = 1_700_000_000_000L;
    private static final String URL = "https://prom.example.org/monitoring";

    private static final List<QueryFunc.Sample> TWO = List.of(
            new QueryFunc.Sample(Map.of("job", "api", "instance", "i2"), 3),
            new QueryFunc.Sample(Map.of("job", "api", "instance", "i1", "__value__", "up"), 7));

    static Stream<Arguments> outputs() {
        return Stream.of(
                c("no actions at all", null, "no actions at all"),
                c("{{ .Foo }}", null, "<no value>"),
                // humanize: SI prefixes, 4 significant digits
                c("{{ range . }}{{ humanize . }} {{ end }}", List.of(0.0, 2.5, 1500.0, 1234567.0, 0.005, -0.0000015, 1e30, 999.99),
                        "0 2.5 1.5k 1.235M 5m -1.5u 1e+06Y 1000 "),
                c("{{ humanize \"2048\" }} {{ humanize 3000000000 }}", null, "2.048k 3G"),
                c("{{ range . }}{{ humanize1024 . }} {{ end }}", List.of(1024L, 1536L, 1073741824L, -2048L, 1000L), "1ki 1.5ki 1Gi -2ki 1000 "),
                c("{{ humanize1024 0.5 }}", null, "0.5"),
                // humanizeDuration: days..seconds, sub-second SI
                c("{{ range . }}{{ humanizeDuration . }}|{{ end }}", List.of(3661.0, 59.5, 0.25, 0.0000005, 90061.0, -61.0, 0.0, 2.0),
                        "1h 1m 1s|59.5s|250ms|500ns|1d 1h 1m 1s|-1m 1s|0s|2s|"),
                c("{{ humanizeDuration \"120\" }} {{ humanizeDuration 3661 }}", null, "2m 0s 1h 1m 1s"),
                c("{{ 0.5 | humanizePercentage }} {{ 0.123456 | humanizePercentage }} {{ 1 | humanizePercentage }} {{ \"0.0001\" | humanizePercentage }}",
                        null, "50% 12.35% 100% 0.01%"),
                // humanizeTimestamp: Go's time.Time String in UTC
                c("{{ range . }}{{ humanizeTimestamp . }}|{{ end }}", List.of(0L, 1600000000L, 1600000000.5, "86400", -86400L),
                        "1970-01-01 00:00:00 +0000 UTC|2020-09-13 12:26:40 +0000 UTC|2020-09-13 12:26:40.5 +0000 UTC|"
                                + "1970-01-02 00:00:00 +0000 UTC|1969-12-31 00:00:00 +0000 UTC|"),
                c("{{ humanizeTimestamp \"+Inf\" }} {{ humanize \"NaN\" }} {{ humanizeDuration \"-Inf\" }}", null, "+Inf NaN -Inf"),
                // toTime, toDuration, now, parseDuration
                c("{{ (1600000000 | toTime).Format \"2006-01-02T15:04:05Z07:00\" }} {{ (1600000000 | toTime).Format \"Mon Jan _2\" }}", null,
                        "2020-09-13T12:26:40Z Sun Sep 13"),
                c("{{ (90 | toDuration).String }} {{ (0.5 | toDuration).String }} {{ (3725 | toDuration) }}", null, "1m30s 500ms 1h2m5s"),
                c("{{ now }} {{ (now | toTime).Format \"2006-01-02 15:04\" }}", null, "1.7e+09 2023-11-14 22:13"),
                c("{{ printf \"%.0f\" (parseDuration \"1h30m\") }} {{ parseDuration \"-90s\" }} {{ parseDuration \"1w\" }} {{ parseDuration \"1d2h\" }} {{ parseDuration \"500ms\" }}",
                        null, "5400 -90 604800 93600 0.5"),
                c("{{ (\"-1h\" | parseDuration | toDuration | (now | toTime).Add).Unix }}", null, "1699996400"),
                // strings and regexps
                c("{{ \"hello wORLD\" | title }} {{ \"mixed Case\" | toUpper }} {{ \"MIXED Case\" | toLower }}", null, "Hello WORLD MIXED CASE mixed case"),
                c("{{ match \"^node\" \"node_exporter\" }} {{ match \"[0-9]+\" \"abc\" }}", null, "true false"),
                c("{{ reReplaceAll \"(\\\\w+)@(\\\\w+)\" \"$2 at $1\" \"user@host\" }}|{{ reReplaceAll \"(a)\" \"${1}x\" \"aa\" }}|{{ reReplaceAll \"(a)\" \"$1x\" \"aa\" }}|", null,
                        "host at user|axax||"),
                c("{{ urlQueryEscape \"a b/c\" }}", null, "a+b%2Fc"),
                // links and URLs
                c("{{ graphLink \"rate(x[5m]) > 0\" }} {{ tableLink \"up == 0\" }}", null,
                        "/graph?g0.expr=rate%28x%5B5m%5D%29+%3E+0&g0.tab=0 /graph?g0.expr=up+%3D%3D+0&g0.tab=1"),
                c("{{ pathPrefix }} {{ externalURL }}", null, "/monitoring https://prom.example.org/monitoring"),
                // host and port
                c("{{ range . }}{{ stripPort . }} {{ end }}", List.of("db.internal:5432", "10.1.2.3:80", "[::1]:9090", "localhost", "a:b:c"),
                        "db.internal 10.1.2.3 ::1 localhost a:b:c "),
                c("{{ range . }}{{ stripDomain . }} {{ end }}", List.of("web-1.prod.example.org:8080", "web-1.prod", "10.0.0.1:9100", "[fe80::1]:80", "::1"),
                        "web-1:8080 web-1 10.0.0.1:9100 [fe80::1]:80 ::1 "),
                // query results
                c("{{ range query \"up\" | sortByLabel \"instance\" }}{{ .Labels.instance }}={{ .Value }} {{ end }}", null, "i1=7 i2=3 "),
                c("{{ with query \"up\" }}{{ . | first | value }} {{ . | first | label \"job\" }}|{{ . | first | label \"nope\" }}|{{ (index . 1) | strvalue }}{{ end }}",
                        null, "3 api||up"),
                // args
                c("{{ define \"pair\" }}{{ .arg0 }}={{ .arg1 }}{{ end }}{{ template \"pair\" args \"k\" 42 }} {{ (args 1).arg5 }}", null, "k=42 <no value>"));
    }

    private static Arguments c(String text, Object input, String want) { return Arguments.of(text, input, want); }

    private static Arguments f(String text, String want) { return Arguments.of(text, want); }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("outputs")
    void expandsLikePrometheus(String text, Object input, String want) throws TemplateException {
        QueryFunc q = (expr, ts) -> {
            assertThat(ts).isEqualTo(TS);
            return TWO;
        };
        assertThat(new Expander(text, "test", input, TS, q, URL).expand()).isEqualTo(want);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                f("{{ humanize \"lots\" }}",
                        "error executing template test: template: test:1:3: executing \"test\" at <humanize \"lots\">: error calling humanize: strconv.ParseFloat: parsing \"lots\": invalid syntax"),
                f("{{ \"x\" | humanizeDuration }}",
                        "error executing template test: template: test:1:9: executing \"test\" at <humanizeDuration>: error calling humanizeDuration: strconv.ParseFloat: parsing \"x\": invalid syntax"),
                f("{{ query \"none\" | first | value }}",
                        "error executing template test: template: test:1:18: executing \"test\" at <first>: error calling first: first() called on vector with no elements"),
                f("{{ (query \"none\").Labels }}",
                        "error executing template test: template: test:1:10: executing \"test\" at <\"none\">: can't evaluate field Labels in type template.queryResult"),
                f("{{ humanizeTimestamp 1e300 }}",
                        "error executing template test: template: test:1:3: executing \"test\" at <humanizeTimestamp 1e300>: error calling humanizeTimestamp: 1e+300 cannot be represented as a nanoseconds timestamp since it overflows int64"),
                f("{{ parseDuration \"1x\" }}",
                        "error executing template test: template: test:1:3: executing \"test\" at <parseDuration \"1x\">: error calling parseDuration: unknown unit \"x\" in duration \"1x\""),
                f("{{ toTime \"NaN\" }}",
                        "error executing template test: template: test:1:3: executing \"test\" at <toTime \"NaN\">: error calling toTime: value is NaN or Inf"),
                f("{{ humanize nil }}",
                        "error executing template test: template: test:1:3: executing \"test\" at <humanize nil>: error calling humanize: can't convert <nil> to float"),
                f("{{ toUpper 1 }}",
                        "error executing template test: template: test:1:11: executing \"test\" at <1>: expected string; found 1"),
                f("{{ .x }", "error parsing template test: template: test:1: unexpected \"}\" in operand"),
                f("{{\u00a0.x}}", "error parsing template test: template: test:1: unrecognized character in action: U+00A0"),
                f("{{ humanise 1 }}", "error parsing template test: template: test:1: function \"humanise\" not defined"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("failures")
    void failsLikePrometheus(String text, String want) {
        QueryFunc q = (expr, ts) -> List.of();
        assertThatThrownBy(() -> new Expander(text, "test", Map.of(), TS, q, URL).expand())
                .isInstanceOf(TemplateException.class).hasMessage(want);
    }

    @Test
    void badRegexpIsAnErrorNotACrash() {
        assertThatThrownBy(() -> new Expander("{{ reReplaceAll \"(\" \"\" \"x\" }}", "t", null, TS, null, URL).expand())
                .hasMessageContaining("error calling reReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`");
        assertThatThrownBy(() -> new Expander("{{ match \"[\" \"x\" }}", "t", null, TS, null, URL).expand())
                .hasMessageContaining("error calling match: error parsing regexp: missing closing ]: `[`");
    }

    @Test
    void missingKeyErrorOptionNamesTheKey() throws TemplateException {
        Template t = Template.parse("test", "{{ .Foo }}", Map.of(), "missingkey=error");
        assertThatThrownBy(() -> t.execute(null)).hasMessage(
                "template: test:1:3: executing \"test\" at <.Foo>: nil data; no entry for key \"Foo\"");
        Template m = Template.parse("test", "{{ .Foo }}", Map.of(), "missingkey=error");
        assertThatThrownBy(() -> m.execute(Map.of("Bar", "x"))).hasMessage(
                "template: test:1:3: executing \"test\" at <.Foo>: map has no entry for key \"Foo\"");
    }

    @Test
    void alertTemplatesSeeLabelsAndValue() throws TemplateException {
        Object data = Expander.alertData(Map.of("instance", "host:9100", "job", "node"), Map.of("dc", "eu"),
                "http://prom:9090", 0.123456);
        String ok = Expander.alertDefinitions()
                + "{{ $labels.instance }} of {{ $labels.job }} in {{ $externalLabels.dc }} is at {{ $value | humanizePercentage }}"
                + " ({{ $value }}){{ $labels.missing }} {{ $externalURL }}";
        assertThat(new Expander(ok, "__alert_X", data, TS, null, "").expand())
                .isEqualTo("host:9100 of node in eu is at 12.35% (0.123456) http://prom:9090");
        assertThatThrownBy(() -> new Expander(ok + "{{ .Nope }}", "__alert_X", data, TS, null, "").expand())
                .hasMessageEndingWith("can't evaluate field Nope in type struct { Labels map[string]string; "
                        + "ExternalLabels map[string]string; ExternalURL string; Value interface {} }");
    }

    @Test
    void checkParsesReportsTheRawParseError() throws TemplateException {
        Expander.checkParses("__alert_A", Expander.alertDefinitions() + "{{ $value | humanize }} {{ query \"up\" | first | value }}");
        assertThatThrownBy(() -> Expander.checkParses("__alert_A", Expander.alertDefinitions() + "{{ $value | humanise }}"))
                .hasMessage("template: __alert_A:1: function \"humanise\" not defined");
        assertThatThrownBy(() -> Expander.checkParses("__alert_A", Expander.alertDefinitions() + "{{ $labels.x }"))
                .hasMessage("template: __alert_A:1: unexpected \"}\" in operand");
    }

    @Test
    void queryErrorsAreReported() {
        QueryFunc q = (expr, ts) -> { throw new IllegalStateException("parse error: unexpected end of input"); };
        assertThatThrownBy(() -> new Expander("{{ query \"up{\" }}", "t", null, TS, q, "").expand())
                .hasMessage("error executing template t: template: t:1:3: executing \"t\" at <query \"up{\">: error calling query: parse error: unexpected end of input");
    }
}
