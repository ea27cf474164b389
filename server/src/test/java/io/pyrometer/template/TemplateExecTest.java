package io.pyrometer.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Execution cases in the spirit of Go's {@code text/template/exec_test.go}: each row is a template,
 * and the output (or error) Go 1.22+ produces for it against {@link #data()}. Expected strings are
 * Go's documented behaviour, not output captured from this engine.
 */
class TemplateExecTest {
    /** A struct-like value, as Go's tests use T. */
    record Point(long x, long y) implements GoObject {
        @Override
        public Object field(String name) throws TemplateException {
            return switch (name) {
                case "X" -> x;
                case "Y" -> y;
                case "Sum" -> x + y;
                default -> throw GoObject.noSuchField(this, name);
            };
        }

        @Override
        public Object method(String name, List<Object> args) throws TemplateException {
            if (name.equals("Scale") && args.size() == 1 && args.get(0) instanceof Long k) return new Point(x * k, y * k);
            if (name.equals("Fail")) throw new TemplateException("it failed");
            return GoObject.super.method(name, args);
        }

        @Override
        public String typeName() { return "main.Point"; }

        @Override
        public String toString() { return "{" + x + " " + y + "}"; }
    }

    static Map<String, Object> data() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("True", true);
        d.put("False", false);
        d.put("I", 17L);
        d.put("Zero", 0L);
        d.put("F", 1.5);
        d.put("FZero", 0.0);
        d.put("Big", 1e6);
        d.put("S", "xyz");
        d.put("Empty", "");
        d.put("Nil", null);
        d.put("MSI", Map.of("one", 1L, "two", 2L, "three", 3L));
        d.put("MSS", Map.of("b", "B", "a", "A"));
        d.put("MEmpty", Map.of());
        d.put("SI", List.of(3L, 4L, 5L));
        d.put("SS", List.of("a", "b"));
        d.put("SEmpty", List.of());
        d.put("Nested", List.of(List.of(1L, 2L), List.of(3L, 4L)));
        d.put("P", new Point(1, 2));
        d.put("Html", "<b>\"it's\" & more</b>");
        d.put("Fn", TypedFunction.of(a -> "called " + a.get(0), "string"));
        return d;
    }

    static Stream<Arguments> outputs() {
        return Stream.of(
                // text, trimming, comments
                ok("plain text", "plain text"),
                ok("a {{/* comment */}} b", "a  b"),
                ok("a {{- /* comment */ -}} b", "ab"),
                ok("a  {{- 1}}  ", "a1  "),
                ok("{{1 -}}  \n b", "1b"),
                ok("{{- 3 -}}", "3"),
                ok("x {{-3}}", "x -3"),
                // constants
                ok("{{1}} {{-1}} {{1.5}} {{1e3}} {{0x10}} {{0o10}} {{0b101}} {{1_000}} {{'a'}} {{'\\n'}}", "1 -1 1.5 1000 16 8 5 1000 97 10"),
                ok("{{\"a\\tb\"}}|{{`raw\\t`}}|{{true}}|{{false}}", "a\tb|raw\\t|true|false"),
                ok("{{1e6}} {{1.0}} {{0.000001}} {{123456789.0}}", "1e+06 1 1e-06 1.23456789e+08"),
                // fields
                ok("{{.S}} {{.I}} {{.F}} {{.Big}} {{.True}}", "xyz 17 1.5 1e+06 true"),
                ok("{{.MSI.one}} {{.MSS.a}}", "1 A"),
                ok("{{.Missing}}", "<no value>"),
                ok("{{.MSS.missing}}", "<no value>"),
                ok("{{.Nil}}", "<no value>"),
                ok("{{.Nil.X}}", "<no value>"),
                ok("{{.P}} {{.P.X}} {{.P.Sum}} {{(.P.Scale 3).Y}}", "{1 2} 1 3 6"),
                ok("{{.MSI}} {{.SI}} {{.SS}} {{.MEmpty}} {{.SEmpty}}", "map[one:1 three:3 two:2] [3 4 5] [a b] map[] []"),
                ok("{{.Nested}}", "[[1 2] [3 4]]"),
                // variables
                ok("{{$x := 1}}{{$x}}", "1"),
                ok("{{$x := 1}}{{$x = 2}}{{$x}}", "2"),
                ok("{{define \"T\"}}{{$}}{{end}}{{template \"T\" .MSS}}", "map[a:A b:B]"),
                ok("{{$.S}}{{with .P}}{{$.S}}{{.X}}{{end}}", "xyzxyz1"),
                ok("{{$x := 1}}{{if true}}{{$x = 2}}{{$y := 3}}{{end}}{{$x}}", "2"),
                ok("{{$x := \"outer\"}}{{with 1}}{{$x := \"inner\"}}{{$x}}{{end}} {{$x}}", "inner outer"),
                // if / else
                ok("{{if true}}T{{else}}F{{end}}", "T"),
                ok("{{if .Empty}}T{{else}}F{{end}}", "F"),
                ok("{{if .Zero}}T{{else if .I}}I{{else}}F{{end}}", "I"),
                ok("{{if .FZero}}a{{end}}{{if .Nil}}b{{end}}{{if .MEmpty}}c{{end}}{{if .SEmpty}}d{{end}}{{if .Missing}}e{{end}}{{if .P}}P{{end}}", "P"),
                ok("{{if and .True .I}}yes{{end}} {{and 1 0 2}} {{and 1 2}} {{or 0 \"\" 3}} {{or 0 \"\"}}|", "yes 0 2 3 |"),
                ok("{{and .True .Missing.X.Y}}|{{or .True .Missing}}", "<no value>|true"),
                ok("{{not 0}} {{not .S}}", "true false"),
                // with
                ok("{{with .S}}{{.}}{{end}}", "xyz"),
                ok("{{with .Empty}}x{{else}}empty{{end}}", "empty"),
                ok("{{with .Empty}}x{{else with .S}}{{.}}{{else}}none{{end}}", "xyz"),
                ok("{{with $x := .I}}{{$x}}{{.}}{{end}}", "1717"),
                // range
                ok("{{range .SI}}<{{.}}>{{end}}", "<3><4><5>"),
                ok("{{range $i, $e := .SI}}{{$i}}={{$e}} {{end}}", "0=3 1=4 2=5 "),
                ok("{{range $e := .SI}}{{$e}}{{end}}", "345"),
                ok("{{range .MSI}}{{.}}{{end}}", "132"),
                ok("{{range $k, $v := .MSI}}{{$k}}={{$v}} {{end}}", "one=1 three=3 two=2 "),
                ok("{{range .SEmpty}}x{{else}}empty{{end}}", "empty"),
                ok("{{range .MEmpty}}x{{else}}empty{{end}}", "empty"),
                ok("{{range .Nil}}x{{else}}nil{{end}}", "nil"),
                ok("{{range .SI}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}", "3"),
                ok("{{range .SI}}{{if eq . 4}}{{continue}}{{end}}{{.}}{{end}}", "35"),
                ok("{{range 3}}{{.}}{{end}}", "012"),
                ok("{{range $i := 3}}{{$i}}{{end}}", "012"),
                ok("{{range 0}}x{{else}}none{{end}}", "none"),
                ok("{{range .Nested}}{{range .}}{{.}}{{end}};{{end}}", "12;34;"),
                ok("{{$i := 0}}{{range $i = .SI}}{{end}}{{$i}}", "5"),
                // pipelines and parentheses
                ok("{{.S | printf \"%s!\"}}", "xyz!"),
                ok("{{\"a\" | printf \"%s%s\" \"b\"}}", "ba"),
                ok("{{(printf \"%d\" 3) | len}}", "1"),
                ok("{{printf \"%s\" (index .SS 1)}}", "b"),
                ok("{{(.P).X}} {{(index .MSI \"one\")}}", "1 1"),
                // define / template / block
                ok("{{define \"T\"}}[{{.}}]{{end}}{{template \"T\" .S}}{{template \"T\"}}", "[xyz][<no value>]"),
                ok("{{define \"T\"}}{{$}}{{end}}{{$x := 1}}{{template \"T\" 5}}", "5"),
                ok("{{block \"B\" .I}}<{{.}}>{{end}}", "<17>"),
                ok("{{define `R`}}{{if gt . 0}}{{.}}{{template \"R\" (len (slice \"aaaaaaaaaaaa\" 1 .))}}{{end}}{{end}}{{template \"R\" 3}}", "321"),
                // builtins
                ok("{{len .S}} {{len .SI}} {{len .MSI}} {{len \"héllo\"}}", "3 3 3 6"),
                ok("{{index .SI 1}} {{index .MSI \"two\"}} {{index .Nested 1 0}} {{index .MSS \"zz\"}}|{{index \"abc\" 1}}", "4 2 3 |98"),
                ok("{{slice .SI 1}} {{slice .SI 1 2}} {{slice .S 1 2}} {{slice .S}}", "[4 5] [4] y xyz"),
                ok("{{print 1 2 \"a\" \"b\" 3}}|{{println 1 \"a\"}}|{{print nil}}", "1 2ab3|1 a\n|<nil>"),
                ok("{{html .Html}}", "&lt;b&gt;&#34;it&#39;s&#34; &amp; more&lt;/b&gt;"),
                ok("{{js .Html}}", "\\u003Cb\\u003E\\\"it\\'s\\\" \\u0026 more\\u003C/b\\u003E"),
                ok("{{urlquery \"a b&c=d/é~\"}}", "a+b%26c%3Dd%2F%C3%A9~"),
                ok("{{html .Missing}}", "&lt;no value&gt;"),
                ok("{{eq 1 1}} {{eq 1 2 3 1}} {{eq \"a\" \"b\"}} {{ne 1 2}} {{eq .Nil nil}} {{eq .S nil}}", "true true false true true false"),
                ok("{{lt 1 2}} {{le 2 2}} {{gt 1.5 2.5}} {{ge \"b\" \"a\"}} {{lt \"a\" \"b\"}}", "true true false true true"),
                ok("{{call .Fn \"x\"}}", "called x"),
                // printf
                ok("{{printf \"%d|%5d|%-5d|%05d|%x|%X|%o|%b|%c|%q|%U\" 42 42 42 -42 255 255 8 5 65 65 65}}", "42|   42|42   |-0042|ff|FF|10|101|A|'A'|U+0041"),
                ok("{{printf \"%s|%10s|%-10s|%q|%x|%.2s|%v\" \"go\" \"go\" \"go\" \"a\\\"b\" \"hi\" \"hello\" \"v\"}}", "go|        go|go        |\"a\\\"b\"|6869|he|v"),
                ok("{{printf \"%f|%.2f|%5.1f|%e|%E|%g|%G|%.3g|%v|%v\" 3.14159 3.14159 3.14159 1234.5678 1234.5678 0.00001234 1e21 3.14159 2.5 100000000.0}}",
                        "3.141590|3.14|  3.1|1.234568e+03|1.234568E+03|1.234e-05|1E+21|3.14|2.5|1e+08"),
                ok("{{printf \"%t|%v|%d|%s\" true false .SI .SS}}", "true|false|[3 4 5]|[a b]"),
                ok("{{printf \"%d %s\" \"x\" 1}}", "%!d(string=x) %!s(int=1)"),
                ok("{{printf \"%d %d\" 1}}", "1 %!d(MISSING)"),
                ok("{{printf \"%d\" 1 2}}", "1%!(EXTRA int=2)"),
                ok("{{printf \"%v %s\" .Nil .Nil}}", "<nil> %!s(<nil>)"),
                ok("{{printf \"%%|%T|%T|%T|%T\" 1 1.5 \"s\" .SS}}", "%|int|float64|string|[]string"),
                ok("{{printf \"%.2f%%\" 12.345}}", "12.35%"),
                ok("{{printf \"%.0f %.0f %.0f %.1f\" 0.5 1.5 2.5 0.25}}", "0 2 2 0.2"),
                ok("{{printf \"%v %v %v\" .Inf .NegInf .NaN}}", "+Inf -Inf NaN"),
                ok("{{printf \"%8.3f|%-8.3f|%+d|%+.1e\" 3.14159 3.14159 5 12345.0}}", "   3.142|3.142   |+5|+1.2e+04"));
    }

    private static Arguments ok(String text, String want) { return Arguments.of(text, want); }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("outputs")
    void executesLikeGo(String text, String want) throws TemplateException {
        Map<String, Object> d = data();
        d.put("Inf", Double.POSITIVE_INFINITY);
        d.put("NegInf", Double.NEGATIVE_INFINITY);
        d.put("NaN", Double.NaN);
        Template t = Template.parse("t", text, Map.of());
        assertThat(t.execute(d)).isEqualTo(want);
    }

    static Stream<Arguments> parseErrors() {
        return Stream.of(
                ok("{{", "template: t:1: unclosed action"),
                ok("{{.A}", "template: t:1: unexpected \"}\" in operand"),
                ok("{{if}}", "template: t:1: missing value for if"),
                ok("{{end}}", "template: t:1: unexpected {{end}}"),
                ok("{{else}}", "template: t:1: unexpected {{else}}"),
                ok("{{if true}}", "template: t:1: unexpected EOF"),
                ok("{{range .}}{{else}}{{else}}{{end}}", "template: t:1: expected end; found {{else}}"),
                ok("{{$x}}", "template: t:1: undefined variable \"$x\""),
                ok("{{if 1}}{{$x := 1}}{{end}}{{$x}}", "template: t:1: undefined variable \"$x\""),
                ok("{{nofunc}}", "template: t:1: function \"nofunc\" not defined"),
                ok("{{break}}", "template: t:1: {{break}} outside {{range}}"),
                ok("{{range .}}{{continue 1}}{{end}}", "template: t:1: unexpected \"1\" in {{continue}}"),
                ok("{{/* x", "template: t:1: unclosed comment"),
                ok("{{/* x */ 1}}", "template: t:1: comment ends before closing delimiter"),
                ok("{{ \"a }}", "template: t:1: unterminated quoted string"),
                ok("{{ `a }}", "template: t:1: unterminated raw quoted string"),
                ok("{{3k}}", "template: t:1: bad number syntax: \"3k\""),
                ok("{{.X | 1}}", "template: t:1: non executable command in pipeline stage 2"),
                ok("{{ )}}", "template: t:1: unexpected right paren"),
                ok("{{(1}}", "template: t:1: unclosed left paren"),
                ok("{{true.X}}", "template: t:1: unexpected . after term \"true\""),
                ok("{{.A#}}", "template: t:1: bad character U+0023 '#'"),
                ok("{{ \u00a0 }}", "template: t:1: unrecognized character in action: U+00A0"),
                ok("{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}", "template: t:1: template: multiple definition of template \"a\""),
                ok("{{define a}}{{end}}", "template: t:1: unexpected \"a\" in define clause"),
                ok("{{template .X}}", "template: t:1: unexpected \".X\" in template clause"),
                ok("line1\nline2 {{if}}", "template: t:2: missing value for if"),
                ok("{{\n.A\n", "template: t:3: unclosed action started at t:1"),
                ok("{{range $a, $b, $c := .}}{{end}}", "template: t:1: too many declarations in range"),
                ok("{{$a, $b := 1}}", "template: t:1: too many declarations in command"),
                ok("{{99999999999999999999}}", "template: t:1: integer overflow: \"99999999999999999999\""),
                ok("{{'ab'}}", "template: t:1: malformed character constant: 'ab'"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("parseErrors")
    void rejectsLikeGo(String text, String want) {
        assertThatThrownBy(() -> Template.parse("t", text, Map.of())).isInstanceOf(TemplateException.class).hasMessage(want);
    }

    static Stream<Arguments> execErrors() {
        return Stream.of(
                ok("{{.I.X}}", "template: t:1:4: executing \"t\" at <.I.X>: can't evaluate field X in type int"),
                ok("{{.P.Nope}}", "template: t:1:4: executing \"t\" at <.P.Nope>: can't evaluate field Nope in type main.Point"),
                ok("{{.P.Fail 1}}", "template: t:1:4: executing \"t\" at <.P.Fail>: error calling Fail: it failed"),
                ok("{{index .SI 10}}", "template: t:1:2: executing \"t\" at <index .SI 10>: error calling index: index out of range: 10"),
                ok("{{index .MSI 1}}", "template: t:1:2: executing \"t\" at <index .MSI 1>: error calling index: value has type int; should be string"),
                ok("{{eq 1 \"a\"}}", "template: t:1:2: executing \"t\" at <eq 1 \"a\">: error calling eq: incompatible types for comparison: int and string"),
                ok("{{eq .F 1}}", "template: t:1:2: executing \"t\" at <eq .F 1>: error calling eq: incompatible types for comparison: float64 and int"),
                ok("{{lt .MSI 1}}", "template: t:1:2: executing \"t\" at <lt .MSI 1>: error calling lt: invalid type for comparison"),
                ok("{{eq .SI .SI}}", "template: t:1:2: executing \"t\" at <eq .SI .SI>: error calling eq: non-comparable type [3 4 5]: []interface {}"),
                ok("{{template \"nope\"}}", "template: t:1:11: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" not defined"),
                ok("{{range .S}}{{end}}", "template: t:1:8: executing \"t\" at <.S>: range can't iterate over xyz"),
                ok("{{range $i, $e := 3}}{{end}}", "template: t:1:18: executing \"t\" at <3>: can't use 3 to iterate over more than one variable"),
                ok("{{nil}}", "template: t:1:2: executing \"t\" at <nil>: nil is not a command"),
                ok("{{1 2}}", "template: t:1:2: executing \"t\" at <1>: can't give argument to non-function 1"),
                ok("{{len 1}}", "template: t:1:2: executing \"t\" at <len 1>: error calling len: len of type int"),
                ok("{{printf 1}}", "template: t:1:9: executing \"t\" at <1>: expected string; found 1"),
                ok("{{.I | printf}}", "template: t:1:7: executing \"t\" at <printf>: wrong type for value; expected string; got int"),
                ok("{{not}}", "template: t:1:2: executing \"t\" at <not>: wrong number of args for not: want 1 got 0"),
                ok("{{not 1 2}}", "template: t:1:2: executing \"t\" at <not>: wrong number of args for not: want 1 got 2"),
                ok("{{index}}", "template: t:1:2: executing \"t\" at <index>: wrong number of args for index: want at least 1 got 0"),
                ok("{{.MSS.a 1}}", "template: t:1:6: executing \"t\" at <.MSS.a>: a is not a method but has arguments"),
                ok("{{call .S}}", "template: t:1:2: executing \"t\" at <call .S>: error calling call: non-function .S of type string"),
                ok("{{call .Fn 1}}", "template: t:1:2: executing \"t\" at <call .Fn 1>: error calling call: arg 0: value has type int; should be string"),
                ok("{{eq}}", "template: t:1:2: executing \"t\" at <eq>: wrong number of args for eq: want at least 1 got 0"),
                ok("{{eq 1}}", "template: t:1:2: executing \"t\" at <eq 1>: error calling eq: missing argument for comparison"),
                ok("{{.Fn}}", "template: t:1:2: executing \"t\" at <{{.Fn}}>: can't print {{.Fn}} of type func(...interface {}) (interface {}, error)"),
                ok("{{define \"R\"}}{{template \"R\"}}{{end}}{{template \"R\"}}",
                        "template: t:1:25: executing \"R\" at <{{template \"R\"}}>: exceeded maximum template depth (1000)"),
                ok("a\n  {{.I.X}}", "template: t:2:6: executing \"t\" at <.I.X>: can't evaluate field X in type int"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("execErrors")
    void failsLikeGo(String text, String want) throws TemplateException {
        Template t = Template.parse("t", text, Map.of());
        assertThatThrownBy(() -> t.execute(data())).isInstanceOf(TemplateException.class).hasMessage(want);
    }
}
