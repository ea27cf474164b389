package io.pyrometer.promql.ast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.promql.ast.DurationExprs.QueryTimes;
import io.pyrometer.promql.parser.Parser;
import io.pyrometer.promql.parser.ParserOptions;
import org.junit.jupiter.api.Test;

/** Duration expressions that depend on the query are filled in per query, as duration_expression.test expects. */
class DurationExprsTest {
    private static final QueryTimes RANGE_50_60_STEP_5 = new QueryTimes(50_000, 60_000, 5_000);

    private static Expr parse(String q) { return Parser.parseExpr(q, ParserOptions.EXPERIMENTAL); }

    @Test
    void stepAndRangeInRangesAndOffsets() {
        MatrixSelector m = (MatrixSelector) ((Call) DurationExprs.resolve(parse("count_over_time(m[step()+1])"),
                RANGE_50_60_STEP_5)).args().getFirst();
        assertThat(m.rangeMs()).isEqualTo(6_000);
        VectorSelector off = (VectorSelector) DurationExprs.resolve(parse("m offset min_of(range(), 8s)"), RANGE_50_60_STEP_5);
        assertThat(off.offsetMs()).isEqualTo(8_000);
        VectorSelector neg = (VectorSelector) DurationExprs.resolve(parse("m offset (-step()*2)"), RANGE_50_60_STEP_5);
        assertThat(neg.offsetMs()).isEqualTo(-10_000);
        SubqueryExpr sq = (SubqueryExpr) DurationExprs.resolve(parse("m[range():step()]"), RANGE_50_60_STEP_5);
        assertThat(sq.rangeMs()).isEqualTo(10_000);
        assertThat(sq.stepMs()).isEqualTo(5_000);
    }

    @Test
    void scalarFunctionsBecomeNumbers() {
        assertThat(DurationExprs.resolve(parse("end() - start()"), RANGE_50_60_STEP_5).toString()).isEqualTo("60 - 50");
        assertThat(DurationExprs.resolve(parse("vector(step())"), RANGE_50_60_STEP_5).toString()).isEqualTo("vector(5)");
        assertThat(((NumberLiteral) DurationExprs.resolve(parse("max_of(3, 5)"), RANGE_50_60_STEP_5)).value()).isEqualTo(5);
    }

    @Test
    void constantExpressionsAreEvaluatedByTheParser() {
        assertThat(((MatrixSelector) parse("m[24m+((1.5*2m)+2m)]")).rangeMs()).isEqualTo(1_740_000);
        assertThat(((MatrixSelector) parse("m[1h30m % 1h]")).rangeMs()).isEqualTo(1_800_000);
        assertThat(((MatrixSelector) parse("m[30m1s-30m1s % 1m]")).rangeMs()).isEqualTo(1_800_000);
        Expr unchanged = parse("m[5m]");
        assertThat(DurationExprs.resolve(unchanged, RANGE_50_60_STEP_5)).isSameAs(unchanged);
    }

    @Test
    void invalidDurationsAtQueryTime() {
        // For an instant query range() is 0, which no range may be.
        assertThatThrownBy(() -> DurationExprs.resolve(parse("count_over_time(m[range()])"), new QueryTimes(5, 5, 0)))
                .hasMessage("duration must be greater than 0");
        assertThat(((VectorSelector) DurationExprs.resolve(parse("m offset range()"), new QueryTimes(5, 5, 0))).offsetMs())
                .isZero();
    }
}
