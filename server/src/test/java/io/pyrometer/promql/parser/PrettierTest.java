package io.pyrometer.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.Prettier;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The multi-line form matches Prometheus's Prettify (cases from prettier_test.go, line limit 10). */
class PrettierTest {
    private static String pretty(String q, int limit) {
        return Prettier.prettify(Parser.parseExpr(q, ParserOptions.EXPERIMENTAL), limit);
    }

    static List<Arguments> cases() {
        return List.of(
                Arguments.of("sum(foo)", "sum(foo)"),
                Arguments.of("sum by() (task:errors:rate10s{job=\"s\"})", "sum(\n  task:errors:rate10s{job=\"s\"}\n)"),
                Arguments.of("sum(task:errors:rate10s{job=\"s\"}) without(job,foo)",
                        "sum without (job, foo) (\n  task:errors:rate10s{job=\"s\"}\n)"),
                Arguments.of("topk(10, ask:errors:rate10s{job=\"s\"})", "topk(\n  10,\n  ask:errors:rate10s{job=\"s\"}\n)"),
                Arguments.of("sum by(job,foo) # Comment 1.\n(sum by(job,foo) ( # Comment 2.\ntask:errors:rate10s{job=\"s\"}))",
                        "sum by (job, foo) (\n  sum by (job, foo) (\n    task:errors:rate10s{job=\"s\"}\n  )\n)"),
                Arguments.of("a+b", "a + b"),
                Arguments.of("a == bool 1", "  a\n== bool\n  1"),
                Arguments.of("a + ignoring(job) b", "  a\n+ ignoring (job)\n  b"),
                Arguments.of("foo_1 + foo_2 + foo_3", "    foo_1\n  +\n    foo_2\n+\n  foo_3"),
                Arguments.of("foo + baar + foo_3", "  foo + baar\n+\n  foo_3"),
                Arguments.of("foo_1 + ignoring(foo) foo_2 + ignoring(job) group_left foo_3 + on(instance) group_right foo_4",
                        "      foo_1\n    + ignoring (foo)\n      foo_2\n  + ignoring (job) group_left ()\n    foo_3\n"
                                + "+ on (instance) group_right ()\n  foo_4"),
                Arguments.of("rate(long_vector_selector[10m:1m] @ start() offset 1m)",
                        "rate(\n  long_vector_selector[10m:1m] @ start() offset 1m\n)"),
                Arguments.of("max_over_time(rate(demo_api_request_duration_seconds_count[1m])[1m:] @ start() offset 1m)",
                        "max_over_time(\n  rate(\n    demo_api_request_duration_seconds_count[1m]\n  )[1m:] @ start() offset 1m\n)"),
                Arguments.of("label_replace(up{job=\"api-server\",service=\"a:c\"}, \"foo\", \"$1\", \"service\", \"(.*):.*\")",
                        "label_replace(\n  up{job=\"api-server\",service=\"a:c\"},\n  \"foo\",\n  \"$1\",\n  \"service\",\n  \"(.*):.*\"\n)"),
                Arguments.of("((_foo_long_))", "(\n  (\n    _foo_long_\n  )\n)"),
                Arguments.of("(((foo_long)))", "(\n  (\n    (foo_long)\n  )\n)"),
                Arguments.of("a @ 1", "a @ 1.000"),
                Arguments.of("(foo_long + bar_long)", "(\n    foo_long\n  +\n    bar_long\n)"),
                Arguments.of("(node_timex_offset_seconds > 0.05 and deriv(node_timex_offset_seconds[5m]) >= 0) or "
                                + "(node_timex_offset_seconds < -0.05 and deriv(node_timex_offset_seconds[5m]) <= 0)",
                        "  (\n        node_timex_offset_seconds\n      >\n        0.05\n    and\n        deriv(\n"
                                + "          node_timex_offset_seconds[5m]\n        )\n      >=\n        0\n  )\nor\n  (\n"
                                + "        node_timex_offset_seconds\n      <\n        -0.05\n    and\n        deriv(\n"
                                + "          node_timex_offset_seconds[5m]\n        )\n      <=\n        0\n  )"),
                Arguments.of("min by (job, integration) (rate(alertmanager_notifications_failed_total{job=\"alertmanager\", "
                                + "integration=~\".*\"}[5m]) / rate(alertmanager_notifications_total{job=\"alertmanager\", "
                                + "integration=\"~.*\"}[5m])) > 0.01",
                        "  min by (job, integration) (\n      rate(\n"
                                + "        alertmanager_notifications_failed_total{integration=~\".*\",job=\"alertmanager\"}[5m]\n"
                                + "      )\n    /\n      rate(\n"
                                + "        alertmanager_notifications_total{integration=\"~.*\",job=\"alertmanager\"}[5m]\n"
                                + "      )\n  )\n>\n  0.01"),
                Arguments.of("-histogram_quantile(0.9, -rate(foo[1m] @ start()))",
                        "-histogram_quantile(\n  0.9,\n  -rate(\n    foo[1m] @ start()\n  )\n)"),
                Arguments.of("(-vector_selector)", "(\n  -vector_selector\n)"),
                Arguments.of("rate(foo[-5m+35m])", "rate(\n  foo[-5m + 35m]\n)"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void splitsLikePrometheus(String query, String expected) {
        assertThat(pretty(query, 10)).isEqualTo(expected);
    }

    @Test
    void shortQueriesStayOnOneLine() {
        assertThat(pretty("sum by (job) (rate(http_requests_total{job=\"api\"}[5m]))", Prettier.MAX_CHARACTERS_PER_LINE))
                .isEqualTo("sum by (job) (rate(http_requests_total{job=\"api\"}[5m]))");
    }

    @Test
    void prettyFormParsesBackIntoTheSameTree() throws IOException {
        for (String q : PrinterTest.corpus()) {
            Expr e;
            try {
                e = Parser.parseExpr(q, ParserOptions.EXPERIMENTAL);
            } catch (ParseException skip) {
                continue;
            }
            String pretty = Prettier.prettify(e, 20);
            assertThat(AstNormalizer.strip(Parser.parseExpr(pretty, ParserOptions.EXPERIMENTAL)))
                    .as("%s prettified as %s", q, pretty).isEqualTo(AstNormalizer.strip(e));
        }
    }
}
