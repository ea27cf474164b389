package io.pyrometer.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.Printer;
import io.pyrometer.promql.ast.VectorSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canonical form is what Prometheus's {@code String()} prints (printer_test.go), and it parses
 * back into the same tree.
 */
class PrinterTest {
    private static Expr parse(String q) { return Parser.parseExpr(q, ParserOptions.EXPERIMENTAL); }

    static List<Arguments> canonical() {
        return Table.rows("""
                // From Prometheus's printer_test.go.
                sum by() (task:errors:rate10s{job="s"}) ⇒ sum(task:errors:rate10s{job="s"})
                sum by(code) (task:errors:rate10s{job="s"}) ⇒ sum by (code) (task:errors:rate10s{job="s"})
                sum without() (task:errors:rate10s{job="s"}) ⇒ sum without () (task:errors:rate10s{job="s"})
                sum without(instance) (task:errors:rate10s{job="s"}) ⇒ sum without (instance) (task:errors:rate10s{job="s"})
                topk(5, task:errors:rate10s{job="s"}) ⇒ topk(5, task:errors:rate10s{job="s"})
                count_values("value", task:errors:rate10s{job="s"}) ⇒ count_values("value", task:errors:rate10s{job="s"})
                a - on() c ⇒ a - on () c
                a - on(b) c ⇒ a - on (b) c
                a - on(b) group_left(x) c ⇒ a - on (b) group_left (x) c
                a - on(b) group_left(x, y) c ⇒ a - on (b) group_left (x, y) c
                a - on(b) group_left c ⇒ a - on (b) group_left () c
                a - on(b) group_left() (c) ⇒ a - on (b) group_left () (c)
                a - ignoring(b) c ⇒ a - ignoring (b) c
                a - ignoring() c ⇒ a - c
                up > bool 0 ⇒ up > bool 0
                a offset 1m ⇒ a offset 1m
                a offset -7m ⇒ a offset -7m
                a{c="d"}[5m] offset 1m ⇒ a{c="d"}[5m] offset 1m
                a[5m] offset 1m ⇒ a[5m] offset 1m
                a[12m] offset -3m ⇒ a[12m] offset -3m
                a[1h:5m] offset 1m ⇒ a[1h:5m] offset 1m
                {__name__="a"} ⇒ {__name__="a"}
                a{b!="c"}[1m] ⇒ a{b!="c"}[1m]
                a{b=~"c"}[1m] ⇒ a{b=~"c"}[1m]
                a{b!~"c"}[1m] ⇒ a{b!~"c"}[1m]
                a @ 10 ⇒ a @ 10.000
                a[1m] @ 10 ⇒ a[1m] @ 10.000
                a @ start() ⇒ a @ start()
                a @ end() ⇒ a @ end()
                a[1m] @ start() ⇒ a[1m] @ start()
                a[1m] @ end() ⇒ a[1m] @ end()
                // Selectors: matchers sorted and joined by ",", @ before offset, quoted names.
                foo{b="1", a="2"} ⇒ foo{a="2",b="1"}
                foo offset 5m @ 100 ⇒ foo @ 100.000 offset 5m
                sum by (job) (rate(http_requests_total{job="api"}[5m] offset 1m)) ⇒ sum by (job) (rate(http_requests_total{job="api"}[5m] offset 1m))
                {"foo.bar", a="b"} ⇒ {__name__="foo.bar",a="b"}
                foo{"a.b"="c"} ⇒ foo{"a.b"="c"}
                sum by ("a.b", job) (x) ⇒ sum by ("a.b", job) (x)
                foo[90s] offset 1h30m ⇒ foo[1m30s] offset 1h30m
                foo[14d] ⇒ foo[2w]
                foo[90d] ⇒ foo[90d]
                foo[365d] ⇒ foo[1y]
                foo[1500] ⇒ foo[25m]
                foo[5m:] ⇒ foo[5m:]
                foo @ 1.5 ⇒ foo @ 1.500
                foo @ -100 ⇒ foo @ -100.000
                // Numbers as Go's fmt.Sprint prints them.
                1000000 ⇒ 1e+06
                123456 ⇒ 123456
                0.0001 ⇒ 0.0001
                0.00001 ⇒ 1e-05
                0x1F ⇒ 31
                1.5e300 ⇒ 1.5e+300
                -Inf ⇒ -Inf
                nan ⇒ NaN
                5m ⇒ 5m
                -5m ⇒ -5m
                // Strings as Go's %q prints them.
                'it\\'s' ⇒ "it's"
                `a\\b` ⇒ "a\\\\b"
                "tab\\there" ⇒ "tab\\there"
                "\\u00e9\\u2028" ⇒ "é\\u2028"
                // Operators, modifiers and precedence.
                -2 ^ 2 ⇒ -2 ^ 2
                (-2) ^ 2 ⇒ (-2) ^ 2
                2 ^ -2 ⇒ 2 ^ -2
                -a * b ⇒ -a * b
                +a ⇒ +a
                a + b * c ⇒ a + b * c
                (a + b) * c ⇒ (a + b) * c
                a atan2 b ⇒ a atan2 b
                a and on (x) b ⇒ a and on (x) b
                a + fill(0) b ⇒ a + fill(0) b
                a + on(job) group_left fill_left(5) fill_right(-7) b ⇒ a + on (job) group_left () fill_left(5) fill_right(-7) b
                h </ 0.5 ⇒ h </ 0.5
                h >/ 1 ⇒ h >/ 1
                increase(foo[1m] anchored) ⇒ increase(foo[1m] anchored)
                metric @ 100 smoothed ⇒ metric @ 100.000 smoothed
                // Duration expressions keep their form.
                foo[26m+4m] ⇒ foo[26m + 4m]
                foo[2m*(10+5)] ⇒ foo[2m * (10 + 5)]
                foo[-5m+35m] ⇒ foo[-5m + 35m]
                foo[step()] ⇒ foo[step()]
                foo[29s+1s:5s+5s] offset (20*500ms) ⇒ foo[29s + 1s:5s + 5s] offset (20 * 500ms)
                foo offset -(1^2) ⇒ foo offset -(1 ^ 2)
                foo offset max(step(), 5s) ⇒ foo offset max_of(step(), 5s)
                foo[min_of(step()+1,1h)] ⇒ foo[min_of(step() + 1, 1h)]
                vector(step()) ⇒ vector(step())
                end() - start() ⇒ end() - start()
                """);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("canonical")
    void printsLikePrometheus(String query, String expected) {
        assertThat(parse(query).toString()).isEqualTo(expected);
    }

    @Test
    void selectorBuiltInCodePrintsItsName() {
        assertThat(new VectorSelector("foobar", List.of()).toString()).isEqualTo("foobar");
        assertThat(new VectorSelector("foobar", List.of(LabelMatcher.eq("a", "x"), LabelMatcher.eq("b", "y"))).toString())
                .isEqualTo("foobar{a=\"x\",b=\"y\"}");
        assertThat(new VectorSelector(null, List.of(LabelMatcher.eq("__name__", "foobar"))).toString())
                .isEqualTo("{__name__=\"foobar\"}");
        assertThat(new VectorSelector("my.metric", List.of(LabelMatcher.eq("__name__", "my.metric"))).toString())
                .isEqualTo("{\"my.metric\"}");
    }

    @Test
    void durationsPrintAsPrometheusModelDuration() {
        assertThat(Printer.formatDuration(0)).isEqualTo("0s");
        assertThat(Printer.formatDuration(1)).isEqualTo("1ms");
        assertThat(Printer.formatDuration(3_723_004)).isEqualTo("1h2m3s4ms");
        assertThat(Printer.formatDuration(7L * 24 * 3600 * 1000)).isEqualTo("1w");
        assertThat(Printer.formatDuration(8L * 24 * 3600 * 1000)).isEqualTo("8d");
        assertThat(Printer.formatDuration(2L * 365 * 24 * 3600 * 1000)).isEqualTo("2y");
    }

    /** A corpus: every query of the conformance scripts when present, plus hand-picked ones. */
    static List<String> corpus() throws IOException {
        List<String> out = new ArrayList<>();
        for (Arguments a : canonical()) out.add((String) a.get()[0]);
        Path dir = conformanceDir();
        if (dir == null) return out;
        Pattern eval = Pattern.compile("^\\s*eval(?:_fail|_ordered|_warn|_info)?\\s+(?:instant\\s+at\\s+\\S+|range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step\\s+\\S+)\\s+(.+)$");
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    Matcher m = eval.matcher(line);
                    if (m.matches()) out.add(m.group(1));
                }
            }
        }
        return out;
    }

    static Path conformanceDir() {
        for (String candidate : List.of("../../shared/conformance/promqltest", "../shared/conformance/promqltest",
                "/work/shared/conformance/promqltest")) {
            Path p = Path.of(candidate);
            if (Files.isDirectory(p)) return p;
        }
        return null;
    }

    @Test
    void printedFormParsesBackIntoTheSameTree() throws IOException {
        int checked = 0;
        for (String q : corpus()) {
            Expr e;
            try {
                e = parse(q);
            } catch (ParseException expectedToFail) {
                continue; // the scripts also hold queries that must fail; ParserErrorTest covers those
            }
            String printed = e.toString();
            Expr again = parse(printed);
            assertThat(AstNormalizer.strip(again)).as("%s printed as %s", q, printed).isEqualTo(AstNormalizer.strip(e));
            assertThat(again.toString()).as("printing is stable for %s", q).isEqualTo(printed);
            checked++;
        }
        assertThat(checked).isGreaterThan(80);
    }
}
