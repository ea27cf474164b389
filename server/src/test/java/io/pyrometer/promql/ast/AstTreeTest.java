package io.pyrometer.promql.ast;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.promql.parser.Parser;
import io.pyrometer.promql.parser.ParserOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parse_query tree has the keys and values of Prometheus's translateAST. */
class AstTreeTest {
    private static Object tree(String q) { return AstTree.toMap(Parser.parseExpr(q, ParserOptions.EXPERIMENTAL)); }

    @Test
    void aggregationOverRate() {
        Object t = tree("sum by (job) (rate(http_requests_total{code=\"500\"}[5m] offset 1m))");
        assertThat(t.toString()).isEqualTo("{expr={args=[{anchored=false, matchers=[{name=code, type==, value=500}, "
                + "{name=__name__, type==, value=http_requests_total}], name=http_requests_total, offset=60000, range=300000, "
                + "smoothed=false, startOrEnd=null, timestamp=null, type=matrixSelector}], func={argTypes=[matrix], name=rate, "
                + "returnType=vector, variadic=0}, type=call}, grouping=[job], op=sum, param=null, type=aggregation, without=false}");
    }

    @Test
    void binaryWithMatchingAndLiterals() {
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) tree("a / on (x) group_left (y) b > bool 1e6");
        assertThat(t.get("type")).isEqualTo("binaryExpr");
        assertThat(t.get("op")).isEqualTo(">");
        assertThat(t.get("bool")).isEqualTo(true);
        assertThat(t.get("matching")).isNull(); // vector > scalar
        assertThat(t.get("rhs")).isEqualTo(Map.of("type", "numberLiteral", "val", "1000000"));
        @SuppressWarnings("unchecked")
        Map<String, Object> div = (Map<String, Object>) t.get("lhs");
        assertThat(div.get("matching").toString())
                .isEqualTo("{card=many-to-one, fillValues={lhs=null, rhs=null}, include=[y], labels=[x], on=true}");
    }

    @Test
    void subqueryAndAt() {
        @SuppressWarnings("unchecked")
        Map<String, Object> neg = (Map<String, Object>) tree("-foo");
        assertThat(neg.get("type")).isEqualTo("unaryExpr");
        assertThat(neg.get("op")).isEqualTo("-");
        @SuppressWarnings("unchecked")
        Map<String, Object> sq = (Map<String, Object>) tree("(foo @ 100)[1h:5m] @ start()");
        assertThat(sq.get("startOrEnd")).isEqualTo("start");
        assertThat(sq.get("step")).isEqualTo(300_000L);
        @SuppressWarnings("unchecked")
        Map<String, Object> paren = (Map<String, Object>) sq.get("expr");
        @SuppressWarnings("unchecked")
        Map<String, Object> vs = (Map<String, Object>) paren.get("expr");
        assertThat(vs.get("timestamp")).isEqualTo(100_000L);
        assertThat(List.copyOf(vs.keySet())).isSorted();
    }
}
