package io.pyrometer.promql.parser;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid queries fail with Prometheus's message and position ({@code line:column}, 1-based).
 * Most rows come from Prometheus's promql/parser/parse_test.go (its {@code Start} offset + 1 is
 * the column); the rest cover the experimental switches.
 */
class ParserErrorTest {

    static List<Arguments> withExperimental() {
        return Table.rows("""
                // Empty input and comments.
                 ⇒ 1:1: parse error: no expression found in input
                # just a comment\\n\\n ⇒ 1:1: parse error: no expression found in input
                // Lexer errors.
                . ⇒ 1:1: parse error: unexpected character: '.'
                2.5. ⇒ 1:1: parse error: bad number or duration syntax: "2.5."
                100..4 ⇒ 1:1: parse error: bad number or duration syntax: "100.."
                0deadbeef ⇒ 1:1: parse error: bad number or duration syntax: "0de"
                (1)) ⇒ 1:5: parse error: unexpected right parenthesis ')'
                ((1) ⇒ 1:5: parse error: unclosed left parenthesis
                ( ⇒ 1:2: parse error: unclosed left parenthesis
                sum( ⇒ 1:5: parse error: unclosed left parenthesis
                sum(rate( ⇒ 1:10: parse error: unclosed left parenthesis
                1 !~ 1 ⇒ 1:3: parse error: unexpected character after '!': '~'
                1 =~ 1 ⇒ 1:3: parse error: unexpected character after '=': '~'
                { ⇒ 1:2: parse error: unexpected end of input inside braces
                } ⇒ 1:1: parse error: unexpected character: '}'
                some{ ⇒ 1:6: parse error: unexpected end of input inside braces
                some} ⇒ 1:5: parse error: unexpected character: '}'
                some_metric{a:b="b"} ⇒ 1:14: parse error: unexpected character inside braces: ':'
                foo{a*"b"} ⇒ 1:6: parse error: unexpected character inside braces: '*'
                foo{a>="b"} ⇒ 1:6: parse error: unexpected character inside braces: '>'
                foo{1} ⇒ 1:5: parse error: unexpected character inside braces: '1'
                foo[5mm] ⇒ 1:5: parse error: bad number or duration syntax: "5mm"
                foo[5m1] ⇒ 1:5: parse error: bad number or duration syntax: "5m1"
                foo[5m:1m1] ⇒ 1:8: parse error: bad number or duration syntax: "1m1"
                foo["5m"] ⇒ 1:5: parse error: unexpected character in duration expression: '"'
                foo{bar="baz"}[ ⇒ 1:16: parse error: unexpected end of input in duration expression
                foo[5s x 5s] ⇒ 1:8: parse error: unexpected character: 'x', expected ':'
                foo[5s s 5s] ⇒ 1:8: parse error: unexpected character: 's', expected ':'
                some_metric[5m] OFFSET 1mm ⇒ 1:24: parse error: bad number or duration syntax: "1mm"
                `\\`` ⇒ 1:4: parse error: unterminated raw string
                "\\ ⇒ 1:1: parse error: escape sequence not terminated
                "\\c" ⇒ 1:1: parse error: unknown escape sequence U+0063 'c'
                "\\'" ⇒ 1:1: parse error: unknown escape sequence U+0027 '''
                '\\"' ⇒ 1:1: parse error: unknown escape sequence U+0022 '"'
                "\\é" ⇒ 1:1: parse error: unknown escape sequence U+00E9 'é'
                "\\x." ⇒ 1:1: parse error: illegal character U+002E '.' in escape sequence
                "\\uD800" ⇒ 1:1: parse error: escape sequence is an invalid Unicode code point
                "abc ⇒ 1:1: parse error: unterminated quoted string
                sum by ("foo)(some_metric{}) ⇒ 1:9: parse error: unterminated quoted string
                label_replace(a, `b`, `c\uFFFD`, `d`, `.*`) ⇒ 1:23: parse error: invalid UTF-8 rune
                // Syntax errors.
                1+ ⇒ 1:3: parse error: unexpected end of input
                1 / ⇒ 1:4: parse error: unexpected end of input
                *1 ⇒ 1:1: parse error: unexpected <op:*>
                *test ⇒ 1:1: parse error: unexpected <op:*>
                @@ ⇒ 1:1: parse error: unexpected <op:@>
                -= ⇒ 1:2: parse error: unexpected "="
                ++-++-+-+-< ⇒ 1:11: parse error: unexpected <op:<>
                e-+=/(0) ⇒ 1:4: parse error: unexpected "="
                a - on(b) ignoring(c) d ⇒ 1:11: parse error: unexpected <ignoring>
                foo + group_left(baz) bar ⇒ 1:7: parse error: unexpected <group_left>
                some_metric{a=b} ⇒ 1:15: parse error: unexpected identifier "b" in label matching, expected string
                foo{gibberish} ⇒ 1:14: parse error: unexpected "}" in label matching, expected label matching operator
                foo{__name__= =} ⇒ 1:15: parse error: unexpected "=" in label matching, expected string
                foo{,} ⇒ 1:5: parse error: unexpected "," in label matching, expected identifier or "}"
                foo{__name__ == "bar"} ⇒ 1:15: parse error: unexpected "=" in label matching, expected string
                foo{__name__="bar" lol} ⇒ 1:20: parse error: unexpected identifier "lol" in label matching, expected "," or "}"
                foo{"a"=} ⇒ 1:9: parse error: unexpected "}" in label matching, expected string
                foo[] ⇒ 1:5: parse error: unexpected "]" in subquery or range selector, expected number, duration, step(), or range()
                foo[step] ⇒ 1:9: parse error: unexpected "]" in subquery or range selector, expected number, duration, step(), or range()
                some_metric[5m] OFFSET ⇒ 1:23: parse error: unexpected end of input in offset, expected number, duration, step(), or range()
                some_metric[5m] @ ⇒ 1:18: parse error: unexpected end of input in @, expected timestamp
                sum without(==)(some_metric) ⇒ 1:13: parse error: unexpected <op:==> in grouping opts, expected label
                sum without(,)(some_metric) ⇒ 1:13: parse error: unexpected "," in grouping opts, expected label
                sum without(foo,,)(some_metric) ⇒ 1:17: parse error: unexpected "," in grouping opts, expected label
                sum some_metric by (test) ⇒ 1:5: parse error: unexpected identifier "some_metric"
                sum (some_metric) by test ⇒ 1:22: parse error: unexpected identifier "test" in grouping opts, expected "("
                MIN keep_common (some_metric) ⇒ 1:5: parse error: unexpected identifier "keep_common"
                MIN (some_metric) keep_common ⇒ 1:19: parse error: unexpected identifier "keep_common"
                sum (some_metric) without (test) by (test) ⇒ 1:34: parse error: unexpected <by>
                sum without (test) (some_metric) by (test) ⇒ 1:34: parse error: unexpected <by>
                foo bar ⇒ 1:5: parse error: unexpected identifier "bar"
                1 2 ⇒ 1:3: parse error: unexpected number "2"
                foo "a long string literal" ⇒ 1:5: parse error: unexpected string "\\"a long st"...
                // Errors found while parsing, reported in the order Prometheus finds them.
                1 offset 1d ⇒ 1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery
                foo offset 1s offset 2s ⇒ 1:1: parse error: offset may not be set multiple times
                rate(some_metric[5m]) @ 1234 ⇒ 1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery
                foo @ 1 @ 2 ⇒ 1:1: parse error: @ <timestamp> may not be set multiple times
                foo @ +Inf ⇒ 1:1: parse error: timestamp out of bounds for @ modifier: +Inf
                foo @ -Inf ⇒ 1:1: parse error: timestamp out of bounds for @ modifier: -Inf
                foo @ NaN ⇒ 1:1: parse error: timestamp out of bounds for @ modifier: NaN
                foo @ 9223372036854775808.000000 ⇒ 1:1: parse error: timestamp out of bounds for @ modifier: 9223372036854775808.000000
                foo[5y1hs] ⇒ 1:5: parse error: unknown unit "hs" in duration "5y1hs"
                foo[5m1h] ⇒ 1:5: parse error: not a valid duration string: "5m1h"
                foo[5m1m] ⇒ 1:5: parse error: not a valid duration string: "5m1m"
                foo[0m] ⇒ 1:5: parse error: duration must be greater than 0
                foo[-1] ⇒ 1:5: parse error: duration must be greater than 0
                foo[5m:0s] ⇒ 1:8: parse error: duration must be greater than 0
                some_metric OFFSET 1m[5m] ⇒ 1:22: parse error: no offset modifiers allowed before range
                some_metric @ 1234 [5m] ⇒ 1:20: parse error: no @ modifiers allowed before range
                (foo + bar)[5m] ⇒ 1:12: parse error: ranges only allowed for vector selectors
                rate(food[1m])[1h] offset 1h ⇒ 1:15: parse error: ranges only allowed for vector selectors
                sum () by (test) ⇒ 1:1: parse error: no arguments for aggregate expression provided
                topk(some_metric) ⇒ 1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1
                topk(some_metric,) ⇒ 1:17: parse error: trailing commas not allowed in function call args
                rate(x,) ⇒ 1:7: parse error: trailing commas not allowed in function call args
                non_existent_function_far_bar() ⇒ 1:1: parse error: unknown function with name "non_existent_function_far_bar"
                a>b() ⇒ 1:3: parse error: unknown function with name "b"
                foo{a=~"(.*"} ⇒ 1:5: parse error: error parsing regexp: missing closing ): `^(?s:(.*)$`
                foo[step()/0d] ⇒ 1:11: parse error: division by zero
                foo[5s/0d] ⇒ 1:7: parse error: division by zero
                foo offset (4d/0) ⇒ 1:15: parse error: division by zero
                foo[5s%0d] ⇒ 1:7: parse error: modulo by zero
                foo offset 9.5e10 ⇒ 1:12: parse error: duration out of range
                foo[9.5e10] ⇒ 1:5: parse error: duration out of range
                a + fill(1) fill(2) b ⇒ 1:13: parse error: fill modifier may not be set multiple times
                foo[1m] anchored smoothed ⇒ 1:18: parse error: anchored and smoothed modifiers cannot be used together
                // Type checking.
                1 and 1 ⇒ 1:1: parse error: set operator "and" not allowed in binary scalar expression
                1 or 1 ⇒ 1:1: parse error: set operator "or" not allowed in binary scalar expression
                1 unless 1 ⇒ 1:1: parse error: set operator "unless" not allowed in binary scalar expression
                foo and 1 ⇒ 1:1: parse error: set operator "and" not allowed in binary scalar expression
                1 unless foo ⇒ 1:1: parse error: set operator "unless" not allowed in binary scalar expression
                1 == 1 ⇒ 1:3: parse error: comparisons between scalars must use BOOL modifier
                1 or on(bar) foo ⇒ 1:1: parse error: vector matching only allowed between instant vectors
                foo == on(bar) 10 ⇒ 1:1: parse error: vector matching only allowed between instant vectors
                foo and on(bar) group_left(baz) bar ⇒ 1:1: parse error: no grouping allowed for "and" operation
                foo or on(bar) group_right(baz) bar ⇒ 1:1: parse error: no grouping allowed for "or" operation
                http_requests{group="production"} + on(instance) group_left(job,instance) cpu_count{type="smp"} ⇒ 1:35: parse error: label "instance" must not occur in ON and GROUP clause at once
                foo + bool bar ⇒ 1:5: parse error: bool modifier can only be used on comparison operators
                foo and bool 10 ⇒ 1:5: parse error: bool modifier can only be used on comparison operators
                foo + rate(bar[5m])[5m:] ⇒ 1:7: parse error: binary expression must contain only scalar and instant vector types
                "a" + 1 ⇒ 1:1: parse error: binary expression must contain only scalar and instant vector types
                -"string" ⇒ 1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"
                -test[5m] ⇒ 1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"
                {} ⇒ 1:1: parse error: vector selector must contain at least one non-empty matcher
                {x=""} ⇒ 1:1: parse error: vector selector must contain at least one non-empty matcher
                {x=~".*"} ⇒ 1:1: parse error: vector selector must contain at least one non-empty matcher
                {x!~".+"} ⇒ 1:1: parse error: vector selector must contain at least one non-empty matcher
                {x!="a"} ⇒ 1:1: parse error: vector selector must contain at least one non-empty matcher
                foo{__name__="bar"} ⇒ 1:1: parse error: metric name must not be set twice: "foo" or "bar"
                topk(some_metric, other_metric) ⇒ 1:6: parse error: expected type scalar in aggregation parameter, got instant vector
                count_values(5, other_metric) ⇒ 1:14: parse error: expected type string in aggregation parameter, got scalar
                sum(foo[5m]) ⇒ 1:5: parse error: expected type instant vector in aggregation expression, got range vector
                floor() ⇒ 1:1: parse error: expected 1 argument(s) in call to "floor", got 0
                floor(some_metric, other_metric) ⇒ 1:1: parse error: expected 1 argument(s) in call to "floor", got 2
                floor(1) ⇒ 1:7: parse error: expected type instant vector in call to function "floor", got scalar
                hour(some_metric, some_metric, some_metric) ⇒ 1:1: parse error: expected at most 1 argument(s) in call to "hour", got 3
                time(some_metric) ⇒ 1:1: parse error: expected 0 argument(s) in call to "time", got 1
                label_join(x, "a") ⇒ 1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 2
                rate(some_metric) ⇒ 1:6: parse error: expected type range vector in call to function "rate", got instant vector
                rate(avg) ⇒ 1:6: parse error: expected type range vector in call to function "rate", got instant vector
                label_join(x, "a", ",", 1) ⇒ 1:25: parse error: expected type string in call to function "label_join", got scalar
                test[5d] OFFSET 10s [10m:5s] ⇒ 1:1: parse error: subquery is only allowed on instant vector, got matrix instead
                (foo + bar{nm="val"})[5m:][10m:5s] ⇒ 1:1: parse error: subquery is only allowed on instant vector, got matrix instead
                1[5m:1m] ⇒ 1:1: parse error: subquery is only allowed on instant vector, got scalar instead
                info(rate(http_request_counter_total{}[5m]), target_info{foo="bar"}) ⇒ 1:46: parse error: expected label selectors only, got vector selector instead
                info(http_request_counter_total{namespace="zzz"}, {foo="bar"} == 1) ⇒ 1:51: parse error: expected label selectors only
                deriv(foo[3m] smoothed) ⇒ 1:7: parse error: smoothed modifier can only be used with: delta, increase, rate - not with deriv
                max_over_time(foo[3m] anchored) ⇒ 1:15: parse error: anchored modifier can only be used with: changes, delta, increase, rate, resets - not with max_over_time
                1 + fill(0) foo ⇒ 1:1: parse error: fill modifiers only allowed between instant vectors
                a and fill(0) b ⇒ 1:1: parse error: fill modifiers not allowed for set operations
                // Positions on later lines and after multi-byte characters (Prometheus counts bytes).
                foo +\\n  bar{ ⇒ 2:7: parse error: unexpected end of input inside braces
                sum(x)\\n  by (a)\\n  + 1 + ⇒ 3:8: parse error: unexpected end of input
                {a="ä"} + ⇒ 1:11: parse error: unexpected end of input
                """);
    }

    static List<Arguments> withoutExperimental() {
        return Table.rows("""
                limitk(1, foo) ⇒ 1:1: parse error: limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions
                limit_ratio(0.5, foo) ⇒ 1:1: parse error: limit_ratio() is experimental and must be enabled with --enable-feature=promql-experimental-functions
                mad_over_time(foo[5m]) ⇒ 1:1: parse error: function "mad_over_time" is not enabled
                sort_by_label(foo, "a") ⇒ 1:1: parse error: function "sort_by_label" is not enabled
                info(foo) ⇒ 1:1: parse error: function "info" is not enabled
                foo[5m+1m] ⇒ 1:5: parse error: experimental duration expression is not enabled
                foo[step()] ⇒ 1:5: parse error: experimental duration expression is not enabled
                foo offset (1h) ⇒ 1:12: parse error: experimental duration expression is not enabled
                foo[5m:1m*2] ⇒ 1:8: parse error: experimental duration expression is not enabled
                vector(step()) ⇒ 1:8: parse error: experimental duration expression is not enabled
                rate(foo[5m] anchored) ⇒ 1:14: parse error: anchored modifier is experimental and not enabled
                foo smoothed ⇒ 1:5: parse error: smoothed modifier is experimental and not enabled
                a + fill(0) b ⇒ 1:5: parse error: fill modifier is experimental and not enabled
                """);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("withExperimental")
    void failsWithPrometheusMessage(String query, String message) {
        assertThatThrownBy(() -> Parser.parseExpr(query, ParserOptions.EXPERIMENTAL))
                .isInstanceOf(ParseException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("withoutExperimental")
    void experimentalFeaturesNeedTheSwitch(String query, String message) {
        assertThatThrownBy(() -> Parser.parseExpr(query, ParserOptions.DEFAULT))
                .isInstanceOf(ParseException.class)
                .hasMessage(message);
    }
}
