package io.pyrometer.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pyrometer.promql.ast.Expr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mutates valid queries at random: the parser must answer every input with a tree or a
 * {@link ParseException} whose position lies inside the input, and never throw anything else.
 * Set {@code -Dpromql.fuzz.seed=N} to replay a failure; the seed is printed on every run.
 */
class ParserFuzzTest {
    private static final int ITERATIONS = 100_000;
    private static final String[] FRAGMENTS = {
        "(", ")", "{", "}", "[", "]", ",", ":", "\"", "'", "`", "\\", "#", "@", "=", "!", "~", "+", "-", "*", "/",
        "%", "^", "<", ">", "==", "!=", "=~", "!~", "</", ">/", " ", "\n", "0", "1.5", "0x1f", "1e3", "Inf", "NaN",
        "5m", "1h30m", "0s", "offset ", "offset -", " bool ", " on(a) ", " ignoring(b) ", " group_left ",
        " group_right(c) ", " by (x) ", " without () ", "sum", "topk(2, ", "count_values(\"v\", ", "rate(", "[5m:]",
        "[1m:10s]", "@ start()", "@ end()", "@ 100", "step()", "range()", "min_of(", "anchored", "smoothed",
        "fill(0) ", "fill_left(", "and", "or", "unless", "atan2", "__name__", "\"\\x", "\\u12", "é", "\uD83D\uDE00",
        "\uFFFD", "label_replace(", "info(", "histogram_quantile(0.9, ", "{\"a.b\"}", "-{}", "9.5e10", "1_0",
    };

    @Test
    void anyInputGivesATreeOrAParseException() throws IOException {
        long seed = Long.getLong("promql.fuzz.seed", System.nanoTime());
        System.out.println("ParserFuzzTest seed=" + seed + " (replay with -Dpromql.fuzz.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> corpus = new ArrayList<>(PrinterTest.corpus());
        corpus.addAll(List.of("", "foo", "sum by (job) (rate(http_requests_total{job=\"api\"}[5m] offset 1m))",
                "a + on(b) group_left(c) d", "foo[5m:1m] @ 100 offset -5m", "x{a=~\"b.*\",c!=\"d\"}"));
        int parsed = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String query = mutate(corpus.get(rnd.nextInt(corpus.size())), rnd);
            ParserOptions opts = rnd.nextBoolean() ? ParserOptions.EXPERIMENTAL : ParserOptions.DEFAULT;
            if (i % 10 == 0) {
                selectorAnswersOrThrowsParseException(query, seed);
                continue;
            }
            try {
                Expr e = Parser.parseExpr(query, opts);
                parsed++;
                String printed = e.toString();
                Expr again = Parser.parseExpr(printed, ParserOptions.EXPERIMENTAL);
                assertThat(again.toString()).as("seed=%d query=%s", seed, query).isEqualTo(printed);
            } catch (ParseException pe) {
                assertThat(pe.line()).as("seed=%d query=%s", seed, query).isBetween(1, (int) query.lines().count() + 1);
                assertThat(pe.column()).as("seed=%d query=%s", seed, query).isPositive();
                assertThat(pe.getMessage()).contains("parse error: ").doesNotContain(Parser.INTERNAL_ERROR);
            } catch (Throwable t) {
                fail("seed=" + seed + " iteration=" + i + " query=" + query.replace("\n", "\\n") + " threw " + t, t);
            }
        }
        System.out.println("ParserFuzzTest: " + parsed + " of " + ITERATIONS + " mutated queries were valid");
    }

    private static void selectorAnswersOrThrowsParseException(String query, long seed) {
        try {
            Parser.parseMetricSelector(query);
        } catch (ParseException expected) {
            assertThat(expected.column()).isPositive();
            assertThat(expected.getMessage()).as("seed=%d selector=%s", seed, query).doesNotContain(Parser.INTERNAL_ERROR);
        } catch (Throwable t) {
            fail("seed=" + seed + " selector=" + query.replace("\n", "\\n") + " threw " + t, t);
        }
    }

    private static String mutate(String base, SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder(base);
        int edits = 1 + rnd.nextInt(3);
        for (int k = 0; k < edits; k++) {
            int pos = sb.isEmpty() ? 0 : rnd.nextInt(sb.length() + 1);
            switch (rnd.nextInt(5)) {
                case 0 -> sb.insert(pos, FRAGMENTS[rnd.nextInt(FRAGMENTS.length)]);
                case 1 -> {
                    if (!sb.isEmpty()) sb.delete(Math.min(pos, sb.length() - 1), Math.min(sb.length(), pos + 1 + rnd.nextInt(4)));
                }
                case 2 -> {
                    if (!sb.isEmpty()) sb.setLength(rnd.nextInt(sb.length()));
                }
                case 3 -> {
                    int from = sb.isEmpty() ? 0 : rnd.nextInt(sb.length());
                    int to = Math.min(sb.length(), from + rnd.nextInt(12));
                    sb.insert(pos, sb.substring(from, to));
                }
                default -> sb.insert(pos, (char) (32 + rnd.nextInt(95)));
            }
        }
        return sb.toString();
    }
}
