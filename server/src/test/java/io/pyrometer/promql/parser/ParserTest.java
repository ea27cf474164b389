package io.pyrometer.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.promql.ast.AggOp;
import io.pyrometer.promql.ast.AggregateExpr;
import io.pyrometer.promql.ast.AtModifier;
import io.pyrometer.promql.ast.BinOp;
import io.pyrometer.promql.ast.BinaryExpr;
import io.pyrometer.promql.ast.Call;
import io.pyrometer.promql.ast.DurationExpr;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.Functions;
import io.pyrometer.promql.ast.MatrixSelector;
import io.pyrometer.promql.ast.NumberLiteral;
import io.pyrometer.promql.ast.ParenExpr;
import io.pyrometer.promql.ast.PosRange;
import io.pyrometer.promql.ast.StringLiteral;
import io.pyrometer.promql.ast.SubqueryExpr;
import io.pyrometer.promql.ast.UnaryExpr;
import io.pyrometer.promql.ast.ValueType;
import io.pyrometer.promql.ast.VectorMatching;
import io.pyrometer.promql.ast.VectorMatching.Card;
import io.pyrometer.promql.ast.VectorSelector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Valid queries parse into the tree Prometheus builds (cases from promql/parser/parse_test.go). */
class ParserTest {
    private static Expr parse(String q) { return Parser.parseExpr(q, ParserOptions.EXPERIMENTAL); }

    private static NumberLiteral num(double v, int start, int end) { return new NumberLiteral(v, false, new PosRange(start, end)); }

    private static VectorSelector vs(String name, int start, int end, LabelMatcher... extra) {
        List<LabelMatcher> m = new java.util.ArrayList<>(List.of(extra));
        m.add(LabelMatcher.eq("__name__", name));
        return new VectorSelector(name, m, 0, null, null, new PosRange(start, end));
    }

    private static VectorMatching matching(Card card, List<String> labels, boolean on, List<String> include) {
        return new VectorMatching(card, labels, on, include);
    }

    @Test
    void numbersInEveryNotationPrometheusAccepts() {
        assertThat(parse("1")).isEqualTo(num(1, 0, 1));
        assertThat(parse("+Inf")).isEqualTo(num(Double.POSITIVE_INFINITY, 0, 4));
        assertThat(parse("-Inf")).isEqualTo(num(Double.NEGATIVE_INFINITY, 0, 4));
        assertThat(parse(".5")).isEqualTo(num(0.5, 0, 2));
        assertThat(parse("5.")).isEqualTo(num(5, 0, 2));
        assertThat(parse("123.4567")).isEqualTo(num(123.4567, 0, 8));
        assertThat(parse("5e-3")).isEqualTo(num(0.005, 0, 4));
        assertThat(parse("5e3")).isEqualTo(num(5000, 0, 3));
        assertThat(parse("0xc")).isEqualTo(num(12, 0, 3));
        assertThat(parse("0755")).isEqualTo(num(493, 0, 4));
        assertThat(parse("+5.5e-3")).isEqualTo(num(0.0055, 0, 7));
        assertThat(parse("-0755")).isEqualTo(num(-493, 0, 5));
        assertThat(parse("1_000")).isEqualTo(num(1000, 0, 5));
        assertThat(((NumberLiteral) parse("NaN")).value()).isNaN();
        assertThat(((NumberLiteral) parse("nan")).value()).isNaN();
        assertThat(parse("INF")).isEqualTo(num(Double.POSITIVE_INFINITY, 0, 3));
        assertThat(parse("1h30m")).isEqualTo(new NumberLiteral(5400, true, new PosRange(0, 5)));
    }

    @Test
    void unaryMinusBindsWeakerThanPowerButTighterThanMultiplication() {
        BinaryExpr pow = new BinaryExpr(BinOp.POW, num(1, 1, 2), num(2, 3, 4), null, false);
        assertThat(parse("-1^2")).isEqualTo(new UnaryExpr('-', pow, new PosRange(0, 4)));
        assertThat(parse("-1*2")).isEqualTo(new BinaryExpr(BinOp.MUL, num(-1, 0, 2), num(2, 3, 4), null, false));
        assertThat(parse("-1^-2")).isEqualTo(new UnaryExpr('-',
                new BinaryExpr(BinOp.POW, num(1, 1, 2), num(-2, 3, 5), null, false), new PosRange(0, 5)));
        assertThat(parse("+1 + -2 * 1")).isEqualTo(new BinaryExpr(BinOp.ADD, num(1, 0, 2),
                new BinaryExpr(BinOp.MUL, num(-2, 5, 7), num(1, 10, 11), null, false), null, false));
        assertThat(parse("-some_metric")).isEqualTo(new UnaryExpr('-', vs("some_metric", 1, 12), new PosRange(0, 12)));
        assertThat(parse(" +some_metric")).isEqualTo(new UnaryExpr('+', vs("some_metric", 2, 13), new PosRange(1, 13)));
    }

    @Test
    void powerIsRightAssociativeOthersLeft() {
        assertThat(parse("2 ^ 3 ^ 2").toString()).isEqualTo("2 ^ 3 ^ 2");
        BinaryExpr e = (BinaryExpr) parse("2 ^ 3 ^ 2");
        assertThat(e.rhs()).isInstanceOf(BinaryExpr.class);
        BinaryExpr sub = (BinaryExpr) parse("1 - 2 - 3");
        assertThat(sub.lhs()).isInstanceOf(BinaryExpr.class);
        BinaryExpr cmp = (BinaryExpr) parse("1 < bool 2 - 1 * 2");
        assertThat(cmp.op()).isEqualTo(BinOp.LSS);
        assertThat(cmp.returnBool()).isTrue();
        assertThat(cmp.type()).isEqualTo(ValueType.SCALAR);
    }

    @Test
    void setOperatorsAreManyToManyAndBindByPrecedence() {
        BinaryExpr e = (BinaryExpr) parse("foo + bar or bla and blub");
        assertThat(e.op()).isEqualTo(BinOp.LOR);
        assertThat(e.matching()).isEqualTo(matching(Card.MANY_TO_MANY, List.of(), false, List.of()));
        BinaryExpr lhs = (BinaryExpr) e.lhs();
        assertThat(lhs.op()).isEqualTo(BinOp.ADD);
        assertThat(lhs.matching()).isEqualTo(matching(Card.ONE_TO_ONE, List.of(), false, List.of()));
        assertThat(((BinaryExpr) e.rhs()).op()).isEqualTo(BinOp.LAND);

        BinaryExpr chain = (BinaryExpr) parse("foo and bar unless baz or qux");
        assertThat(chain.op()).isEqualTo(BinOp.LOR);
        assertThat(((BinaryExpr) chain.lhs()).op()).isEqualTo(BinOp.LUNLESS);
    }

    @Test
    void vectorMatchingModifiers() {
        BinaryExpr e = (BinaryExpr) parse("bar + on(foo) bla / on(baz, buz) group_right(test) blub");
        assertThat(e.matching()).isEqualTo(matching(Card.ONE_TO_ONE, List.of("foo"), true, List.of()));
        BinaryExpr div = (BinaryExpr) e.rhs();
        assertThat(div.matching()).isEqualTo(matching(Card.ONE_TO_MANY, List.of("baz", "buz"), true, List.of("test")));
        assertThat(div.rhs()).isEqualTo(vs("blub", 51, 55));

        assertThat(((BinaryExpr) parse("foo * on(test,blub) group_left bar")).matching())
                .isEqualTo(matching(Card.MANY_TO_ONE, List.of("test", "blub"), true, List.of()));
        assertThat(((BinaryExpr) parse("foo and ignoring() bar")).matching())
                .isEqualTo(matching(Card.MANY_TO_MANY, List.of(), false, List.of()));
        assertThat(((BinaryExpr) parse("foo - ignoring(test,blub) group_right(bar,foo) bar")).matching())
                .isEqualTo(matching(Card.ONE_TO_MANY, List.of("test", "blub"), false, List.of("bar", "foo")));
        assertThat(((BinaryExpr) parse("foo == 1")).matching()).isNull();
        assertThat(((BinaryExpr) parse("foo == bool 1")).returnBool()).isTrue();
    }

    @Test
    void fillModifiersAfterMatching() {
        BinaryExpr both = (BinaryExpr) parse("left_vector + fill(0) right_vector");
        assertThat(both.matching().fill()).isEqualTo(new VectorMatching.FillValues(0.0, 0.0));
        BinaryExpr split = (BinaryExpr) parse("left_vector + fill_left(5) fill_right(7) right_vector");
        assertThat(split.matching().fill()).isEqualTo(new VectorMatching.FillValues(5.0, 7.0));
        BinaryExpr grouped = (BinaryExpr) parse("requests + on(status) group_left(owner) fill_right(-Inf) limits");
        assertThat(grouped.matching().card()).isEqualTo(Card.MANY_TO_ONE);
        assertThat(grouped.matching().fill()).isEqualTo(new VectorMatching.FillValues(null, Double.NEGATIVE_INFINITY));
        // "fill" stays usable as a metric name.
        BinaryExpr named = (BinaryExpr) parse("fill + fill(0) other");
        assertThat(((VectorSelector) named.lhs()).name()).isEqualTo("fill");
        assertThat(((VectorSelector) parse("other + fill").children().getLast()).name()).isEqualTo("fill");
    }

    @Test
    void keywordsAreMetricNamesWhereTheyCannotBeKeywords() {
        for (String name : List.of("min", "sum", "offset", "by", "start", "end", "step", "anchored", "smoothed", "and")) {
            assertThat(parse(name)).as(name).isEqualTo(vs(name, 0, name.length()));
        }
        MatrixSelector m = (MatrixSelector) parse("offset{step=\"1s\"}[5m]");
        assertThat(m.vs()).isEqualTo(vs("offset", 0, 17, LabelMatcher.eq("step", "1s")));
        assertThat(m.rangeMs()).isEqualTo(300_000);
        assertThat(parse("sum(sum)")).isEqualTo(new AggregateExpr(AggOp.SUM, vs("sum", 4, 7), null, List.of(), false,
                new PosRange(0, 8)));
        assertThat(((AggregateExpr) parse("sum without(and, by, avg, count, alert, annotations)(some_metric)")).grouping())
                .containsExactly("and", "by", "avg", "count", "alert", "annotations");
    }

    @Test
    void selectorsWithAllMatcherTypesAndQuotedNames() {
        VectorSelector s = (VectorSelector) parse("foo{a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\",}");
        assertThat(s.matchers()).containsExactly(
                LabelMatcher.of(LabelMatcher.Type.EQ, "a", "b"),
                LabelMatcher.of(LabelMatcher.Type.NEQ, "foo", "bar"),
                LabelMatcher.of(LabelMatcher.Type.RE, "test", "test"),
                LabelMatcher.of(LabelMatcher.Type.NRE, "bar", "baz"),
                LabelMatcher.eq("__name__", "foo"));
        assertThat(s.pos()).isEqualTo(new PosRange(0, 49));

        VectorSelector quoted = (VectorSelector) parse("{\"foo\", a=\"bc\"}");
        assertThat(quoted.name()).isNull();
        assertThat(quoted.matchers()).containsExactly(LabelMatcher.eq("__name__", "foo"), LabelMatcher.eq("a", "bc"));

        VectorSelector escaped = (VectorSelector) parse("{'foo\\'bar', 'a\\\\dos\\\\path'='boo\\\\urns'}");
        assertThat(escaped.matchers()).containsExactly(LabelMatcher.eq("__name__", "foo'bar"),
                LabelMatcher.eq("a\\dos\\path", "boo\\urns"));
        assertThat(((VectorSelector) parse("{__name__=\"bar\", __name__=\"baz\"}")).matchers()).hasSize(2);
        assertThat(((VectorSelector) parse("foo{bar='}'}")).matchers().getFirst()).isEqualTo(LabelMatcher.eq("bar", "}"));
        assertThat(((VectorSelector) parse("foo:bar{a=\"bc\"}")).name()).isEqualTo("foo:bar");
        assertThat(((VectorSelector) parse("foo{NaN='bc'}")).matchers().getFirst()).isEqualTo(LabelMatcher.eq("NaN", "bc"));
    }

    @Test
    void offsetsAndAtModifiers() {
        VectorSelector off = (VectorSelector) parse("foo OFFSET 1h30m");
        assertThat(off.offsetMs()).isEqualTo(5_400_000);
        assertThat(off.pos()).isEqualTo(new PosRange(0, 16));
        assertThat(((VectorSelector) parse("foo offset -7m")).offsetMs()).isEqualTo(-420_000);
        assertThat(((VectorSelector) parse("foo OFFSET 1m30ms")).offsetMs()).isEqualTo(60_030);
        assertThat(((MatrixSelector) parse("test{a=\"b\"}[5m] OFFSET 3600")).vs().offsetMs()).isEqualTo(3_600_000);

        assertThat(((VectorSelector) parse("foo @ 1603774568")).at()).isEqualTo(AtModifier.at(1_603_774_568_000L));
        assertThat(((VectorSelector) parse("foo @ -100")).at()).isEqualTo(AtModifier.at(-100_000));
        assertThat(((VectorSelector) parse("foo @ .3")).at()).isEqualTo(AtModifier.at(300));
        assertThat(((VectorSelector) parse("foo @ 3.3335")).at()).isEqualTo(AtModifier.at(3334));
        assertThat(((VectorSelector) parse("foo @ 0xA")).at()).isEqualTo(AtModifier.at(10_000));
        assertThat(((VectorSelector) parse("foo @ -3.3e1")).at()).isEqualTo(AtModifier.at(-33_000));
        assertThat(((VectorSelector) parse("foo @ start()")).at()).isEqualTo(AtModifier.START);
        assertThat(((MatrixSelector) parse("test[5y] @ end()")).vs().at()).isEqualTo(AtModifier.END);
        assertThat(((MatrixSelector) parse("some_metric[5m] @ 1m")).vs().at()).isEqualTo(AtModifier.at(60_000));

        VectorSelector both = (VectorSelector) parse("some_metric offset 1m @ 123");
        assertThat(both.offsetMs()).isEqualTo(60_000);
        assertThat(both.at()).isEqualTo(AtModifier.at(123_000));
        assertThat(both.pos()).isEqualTo(new PosRange(0, 27));
    }

    @Test
    void rangesInDurationsOrSeconds() {
        assertThat(((MatrixSelector) parse("test[5]")).rangeMs()).isEqualTo(5000);
        assertThat(((MatrixSelector) parse("foo[4.18] @ 2.345")).rangeMs()).isEqualTo(4180);
        assertThat(((MatrixSelector) parse("foo[4s18ms]")).rangeMs()).isEqualTo(4018);
        assertThat(((MatrixSelector) parse("test[5w] offset 2w")).rangeMs()).isEqualTo(35L * 24 * 3600 * 1000);
        MatrixSelector y = (MatrixSelector) parse("test{a=\"b\"}[5y] @ 1603774699");
        assertThat(y.rangeMs()).isEqualTo(5L * 365 * 24 * 3600 * 1000);
        assertThat(y.pos()).isEqualTo(new PosRange(0, 28));
    }

    @Test
    void subqueries() {
        SubqueryExpr sq = (SubqueryExpr) parse("min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] offset 4m)[4m:3s]");
        assertThat(sq.rangeMs()).isEqualTo(240_000);
        assertThat(sq.stepMs()).isEqualTo(3_000);
        assertThat(sq.pos()).isEqualTo(new PosRange(0, 61));
        Call outer = (Call) sq.expr();
        SubqueryExpr inner = (SubqueryExpr) outer.args().getFirst();
        assertThat(inner.offsetMs()).isEqualTo(240_000);
        assertThat(inner.stepMs()).isZero();
        assertThat(inner.pos()).isEqualTo(new PosRange(14, 53));

        SubqueryExpr at = (SubqueryExpr) parse("some_metric[10m:5s] offset 1m @ 123");
        assertThat(at.offsetMs()).isEqualTo(60_000);
        assertThat(at.at()).isEqualTo(AtModifier.at(123_000));
        SubqueryExpr onParen = (SubqueryExpr) parse("(foo + bar{nm=\"val\"} @ 1234)[5m:] @ 1603775019");
        assertThat(onParen.expr()).isInstanceOf(ParenExpr.class);
        assertThat(onParen.pos()).isEqualTo(new PosRange(0, 46));
        assertThat(parse("sum without(a)(some_metric) [30m:10s]")).isInstanceOf(SubqueryExpr.class);
    }

    @Test
    void aggregationsWithModifierBeforeOrAfter() {
        AggregateExpr before = (AggregateExpr) parse("sum by (foo)(some_metric)");
        AggregateExpr after = (AggregateExpr) parse("sum (some_metric) by (foo)");
        assertThat(before.grouping()).containsExactly("foo");
        assertThat(after.grouping()).containsExactly("foo");
        assertThat(after.pos()).isEqualTo(new PosRange(0, 26));
        assertThat(((AggregateExpr) parse("sum without (foo) (some_metric)")).without()).isTrue();
        assertThat(((AggregateExpr) parse("sum by (foo,bar,)(some_metric)")).grouping()).containsExactly("foo", "bar");
        assertThat(((AggregateExpr) parse("sum by (\"foo bar\")({\"some.metric\"})")).grouping()).containsExactly("foo bar");
        AggregateExpr topk = (AggregateExpr) parse("topk(5, some_metric)");
        assertThat(topk.param()).isEqualTo(num(5, 5, 6));
        assertThat(((AggregateExpr) parse("count_values(\"value\", some_metric)")).param())
                .isEqualTo(new StringLiteral("value", new PosRange(13, 20)));
        assertThat(((AggregateExpr) parse("limitk(2, foo)")).op()).isEqualTo(AggOp.LIMITK);
        assertThat(((AggregateExpr) parse("(sum(foo) by (bar))").children().getFirst()).pos()).isEqualTo(new PosRange(1, 18));
    }

    @Test
    void functionCalls() {
        Call rate = (Call) parse("rate(some_metric[5m])");
        assertThat(rate.func()).isEqualTo(Functions.get("rate"));
        assertThat(rate.pos()).isEqualTo(new PosRange(0, 21));
        assertThat(((MatrixSelector) rate.args().getFirst()).pos()).isEqualTo(new PosRange(5, 20));
        assertThat(((Call) parse("round(some_metric, 5)")).args()).hasSize(2);
        assertThat(((Call) parse("time()")).type()).isEqualTo(ValueType.SCALAR);
        assertThat(((Call) parse("label_join(x, \"a\", \",\", \"b\", \"c\", \"d\")")).args()).hasSize(6);
        assertThat(((Call) parse("info(http_requests_total, {k=~\".+\"})")).args()).hasSize(2);
        assertThat(((Call) parse("histogram_quantiles(x, \"q\", 0.5, 0.9)")).args()).hasSize(4);
    }

    @Test
    void stringsWithEveryGoEscape() {
        assertThat(((StringLiteral) parse("\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\" - \\x41\\101\\u1234\\U00010111☺\"")).value())
                .isEqualTo("\u0007\b\f\n\r\t\u000b\\\" - AA\u1234\uD800\uDD11☺");
        assertThat(((StringLiteral) parse("'single \\' quoted'")).value()).isEqualTo("single ' quoted");
        assertThat(((StringLiteral) parse("`raw \\n string`")).value()).isEqualTo("raw \\n string");
        // A \\x byte that is not UTF-8 is kept (as a surrogate escape) and printed back as written.
        assertThat(parse("\"\\xff\"").toString()).isEqualTo("\"\\xff\"");
    }

    @Test
    void durationExpressions() {
        MatrixSelector m = (MatrixSelector) parse("foo[11s+10s-5*2^2]");
        assertThat(m.rangeMs()).isEqualTo(1_000);
        assertThat(m.rangeExpr().op()).isEqualTo(DurationExpr.Op.SUB);
        assertThat(m.toString()).isEqualTo("foo[11s + 10s - 5 * 2 ^ 2]");
        assertThat(((MatrixSelector) parse("foo[-(10s-5s)+20s]")).rangeMs()).isEqualTo(15_000);
        MatrixSelector step = (MatrixSelector) parse("foo[  -  step  (  )  ]");
        assertThat(step.rangeExpr()).isEqualTo(new DurationExpr(DurationExpr.Op.SUB, null,
                new DurationExpr(DurationExpr.Op.STEP, null, null, false, new PosRange(9, 19)), false, new PosRange(6, 19)));
        assertThat(step.rangeMs()).isZero(); // resolved per query by DurationExprs.resolve
        SubqueryExpr sq = (SubqueryExpr) parse("foo[4s+4s:1s*2] offset (5s-8)");
        assertThat(sq.rangeMs()).isEqualTo(8_000);
        assertThat(sq.stepMs()).isEqualTo(2_000);
        assertThat(sq.offsetMs()).isEqualTo(-3_000);
        assertThat(sq.offsetExpr().wrapped()).isTrue();
        // Without parentheses only the literal belongs to the offset.
        BinaryExpr minus = (BinaryExpr) parse("foo offset 5s-8");
        assertThat(((VectorSelector) minus.lhs()).offsetMs()).isEqualTo(5_000);
        assertThat(minus.lhs().pos()).isEqualTo(new PosRange(0, 13));
        assertThat(((VectorSelector) ((BinaryExpr) parse("foo offset -1^1")).lhs()).offsetMs()).isEqualTo(-1_000);
        assertThat(((VectorSelector) parse("foo offset max(step(),5s)")).offsetExpr().op()).isEqualTo(DurationExpr.Op.MAX_OF);
        assertThat(((VectorSelector) parse("foo offset -min_of(5s,step()+8s)")).pos()).isEqualTo(new PosRange(0, 32));
        assertThat(parse("vector(step())").type()).isEqualTo(ValueType.VECTOR);
        assertThat(parse("end() - start()").type()).isEqualTo(ValueType.SCALAR);
        assertThat(parse("min_of(3, 5)")).isInstanceOf(DurationExpr.class);
    }

    @Test
    void extendedRangeSelectorsAndTrimOperators() {
        MatrixSelector anchored = (MatrixSelector) ((Call) parse("increase(metric[1m] anchored)")).args().getFirst();
        assertThat(anchored.anchored()).isTrue();
        assertThat(anchored.pos()).isEqualTo(new PosRange(9, 28));
        VectorSelector smoothed = (VectorSelector) parse("metric offset -100 smoothed");
        assertThat(smoothed.smoothed()).isTrue();
        assertThat(smoothed.offsetMs()).isEqualTo(-100_000);
        assertThat(((BinaryExpr) parse("h_test >/ 0.5")).op()).isEqualTo(BinOp.TRIM_LOWER);
        assertThat(((BinaryExpr) parse("h_test </ -Inf")).op()).isEqualTo(BinOp.TRIM_UPPER);
    }

    @Test
    void metricSelectorForMatchParameters() {
        assertThat(Parser.parseMetricSelector("up{job=\"node\", instance=~\"a.*\"}")).containsExactly(
                LabelMatcher.eq("job", "node"), LabelMatcher.of(LabelMatcher.Type.RE, "instance", "a.*"),
                LabelMatcher.eq("__name__", "up"));
        assertThat(Parser.parseMetricSelector("{__name__=~\"up|down\"}")).hasSize(1);
        assertThat(Parser.parseMetricSelector("{\"my.metric\"}")).containsExactly(LabelMatcher.eq("__name__", "my.metric"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Parser.parseMetricSelector("up + 1"))
                .isInstanceOf(ParseException.class).hasMessage("1:4: parse error: unexpected <op:+>");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Parser.parseMetricSelector("rate(x[5m])"))
                .isInstanceOf(ParseException.class).hasMessage("1:5: parse error: unexpected \"(\"");
    }

    @Test
    void parseExceptionExposesPositionParts() {
        ParseException e = org.junit.jupiter.api.Assertions.assertThrows(ParseException.class,
                () -> Parser.parseExpr("sum(x)\n  + foo{"));
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(9); // "  + foo{" has 8 characters
        assertThat(e.errorText()).isEqualTo("unexpected end of input inside braces");
    }

    static List<Arguments> typed() {
        return Table.rows("""
                1 + 1 ⇒ SCALAR
                foo * bar ⇒ VECTOR
                foo[5m] ⇒ MATRIX
                foo[5m:1m] ⇒ MATRIX
                "s" ⇒ STRING
                scalar(foo) ⇒ SCALAR
                (foo) ⇒ VECTOR
                -time() ⇒ SCALAR
                step() ⇒ SCALAR
                """);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("typed")
    void typeOfEachNode(String query, String type) {
        assertThat(parse(query).type()).isEqualTo(ValueType.valueOf(type));
    }
}
