package io.pyrometer.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Alertmanager's template functions ({@code DefaultFuncs} in prometheus/alertmanager
 * {@code template/template.go}) with {@code missingkey=zero}, as Alertmanager parses. Expected
 * strings are worked out by hand from each function's Go definition.
 */
class AlertmanagerFunctionsTest {
    static Map<String, Object> data() {
        Map<String, Object> obj = new HashMap<>();
        obj.put("b", Arrays.asList(1L, "x", true, null));
        obj.put("a", "<&>");
        obj.put("f", 1.5);
        obj.put("big", 1e21);
        obj.put("small", 0.0000001);
        return Map.of(
                "t", Instant.parse("2024-02-29T13:45:07.5Z"),
                "names", List.of("a", "b", "c"),
                "obj", obj,
                "Labels", Map.of("severity", "page"));
    }

    static Stream<Arguments> outputs() {
        return Stream.of(
                c("{{ \"hello WORLD foo-bar\" | title }}|{{ \"MiXed\" | toUpper }}|{{ \"MiXed\" | toLower }}", "Hello World Foo-Bar|MIXED|mixed"),
                c("[{{ \"  x y \\n\" | trimSpace }}]", "[x y]"),
                c("{{ join \", \" (stringSlice \"a\" \"b\" \"c\") }}|{{ .names | join \"+\" }}|{{ len (stringSlice \"x\" \"y\") }}", "a, b, c|a+b+c|2"),
                c("{{ match \"^web\" \"webserver\" }} {{ match \"^web\" \"db\" }}", "true false"),
                c("{{ \"<b>\" | safeHtml }} {{ safeUrl \"http://x/?a=1&b=2\" }}", "<b> http://x/?a=1&b=2"),
                c("{{ urlUnescape \"a%20b+c%2Fd\" }}", "a b c/d"),
                c("{{ reReplaceAll \"[aeiou]\" \"_\" \"education\" }}", "_d_c_t__n"),
                c("{{ date \"2006-01-02 15:04:05.000\" .t }}|{{ date \"Mon, 02 Jan 2006 3:04PM MST\" .t }}",
                        "2024-02-29 13:45:07.500|Thu, 29 Feb 2024 1:45PM UTC"),
                c("{{ (tz \"Europe/Paris\" .t).Format \"15:04 MST\" }}|{{ date \"15:04 -07:00\" (tz \"America/New_York\" .t) }}",
                        "14:45 CET|08:45 -05:00"),
                c("{{ gt (since .t).Seconds 0.0 }} {{ (now).IsZero }}", "true false"),
                c("{{ humanizeDuration 3661 }} {{ humanizeDuration 0.25 }}", "1h 1m 1s 250ms"),
                c("{{ (toDate \"2006-01-02\" \"2024-03-01\").Unix }}|{{ toDate \"2006-01-02\" \"garbage\" }}|{{ mustToDate \"02/01/2006 15:04\" \"31/12/2023 23:59\" }}",
                        "1709251200|0001-01-01 00:00:00 +0000 UTC|2023-12-31 23:59:00 +0000 UTC"),
                c("{{ toJson .obj }}", "{\"a\":\"\\u003c\\u0026\\u003e\",\"b\":[1,\"x\",true,null],\"big\":1e+21,\"f\":1.5,\"small\":1e-7}"),
                c("{{ toJson .names }} {{ toJson .t }} {{ toJson 3 }}", "[\"a\",\"b\",\"c\"] \"2024-02-29T13:45:07.5Z\" 3"),
                c("{{ base64encode \"hello?\" }} {{ base64decode \"aGVsbG8_\" }}", "aGVsbG8_ hello?"),
                c("{{ $l := list 1 \"a\" }}{{ $l = append $l 2 }}{{ $l }} {{ len (list) }}", "[1 a 2] 0"),
                c("{{ $d := dict \"k\" 1 \"j\" \"v\" }}{{ $d.k }} {{ $d.j }} {{ $d.none }}", "1 v <no value>"),
                c("{{ .Labels.severity }}|{{ .Labels.team }}|{{ routeLabels \"x\" }}|", "page|||"));
    }

    private static Arguments c(String text, String want) { return Arguments.of(text, want); }

    private static Template parse(String text) throws TemplateException {
        return Template.parse("am", text, AlertmanagerFunctions.create(), "missingkey=zero");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("outputs")
    void expandsLikeAlertmanager(String text, String want) throws TemplateException {
        assertThat(parse(text).execute(data())).isEqualTo(want);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                c("{{ urlUnescape \"%zz\" }}", "template: am:1:3: executing \"am\" at <urlUnescape \"%zz\">: error calling urlUnescape: invalid URL escape \"%zz\""),
                c("{{ tz \"Nowhere/City\" .t }}", "template: am:1:3: executing \"am\" at <tz \"Nowhere/City\" .t>: error calling tz: unknown time zone Nowhere/City"),
                c("{{ dict \"k\" }}", "template: am:1:3: executing \"am\" at <dict \"k\">: error calling dict: dict requires an even number of arguments"),
                c("{{ dict 1 2 }}", "template: am:1:3: executing \"am\" at <dict 1 2>: error calling dict: dict keys must be strings"),
                c("{{ join \",\" \"abc\" }}", "template: am:1:12: executing \"am\" at <\"abc\">: can't handle \"abc\" for arg of type []string"),
                c("{{ date \"2006\" \"2024\" }}", "template: am:1:15: executing \"am\" at <\"2024\">: can't handle \"2024\" for arg of type time.Time"),
                c("{{ base64decode \"a$\" }}", "template: am:1:3: executing \"am\" at <base64decode \"a$\">: error calling base64decode: illegal base64 data at input byte 1"),
                c("{{ mustToDate \"2006\" \"x\" }}",
                        "template: am:1:3: executing \"am\" at <mustToDate \"2006\" \"x\">: error calling mustToDate: parsing time \"x\" as \"2006\": cannot parse \"x\" as \"2006\""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("failures")
    void failsLikeAlertmanager(String text, String want) throws TemplateException {
        Template t = parse(text);
        assertThatThrownBy(() -> t.execute(data())).isInstanceOf(TemplateException.class).hasMessage(want);
    }
}
