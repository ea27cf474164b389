package io.pyrometer.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pyrometer.testing.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing: random and mutated template texts, parsed with both function libraries and
 * executed against a mixed data value, never throw anything but {@link TemplateException} and
 * never hang. Replay a failure with {@code -Dtemplate.fuzz=<seed>} (printed by {@link Seeds}).
 */
class TemplateFuzzTest {
    private static final String[] CORPUS = {
        "{{ $labels.instance }} is down: {{ $value | humanize }}",
        "{{ range $i, $e := .SI }}{{ if gt $e 3 }}{{ $i }}{{ else }}-{{ end }}{{ end }}",
        "{{ with .M }}{{ range $k, $v := . }}{{ $k }}={{ $v }},{{ end }}{{ else }}none{{ end }}",
        "{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" .S }}{{ block \"y\" 1 }}{{ . }}{{ end }}",
        "{{- /* c */ -}} {{ printf \"%5.2f|%q|%x\" 3.14159 \"a\" 255 }} {{ index .SI 1 }} {{ slice .S 1 2 }}",
        "{{ (1800 | toDuration).String }} {{ humanizeTimestamp 1600000000 }} {{ toJson .M }} {{ title \"a b\" }}",
        "{{ range 3 }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ . }}{{ end }}{{ and 1 0 }}{{ or 0 \"\" .S }}",
        "{{ $x := 1 }}{{ $x = \"s\" }}{{ len $x }}{{ not .B }}{{ call .F \"z\" }}{{ .P.X }} {{ (.P.Scale 2).Y }}",
        "{{ reReplaceAll \"(a+)\" \"<$1>\" .S }} {{ match \"^a\" .S }} {{ date \"2006-01-02\" .T }} {{ html .S }}{{ js .S }}{{ urlquery .S }}",
    };

    private static final String[] TOKENS = {
        "{{", "}}", "{{- ", " -}}", "|", "(", ")", "$x", "$", ":=", "=", ".", ".S", ".M.a", ".SI", "\"s\"", "`r`",
        "1", "-2", "1.5", "1e3", "0x1f", "'c'", "range ", "if ", "else", "end", "define \"t\"", "template \"t\"",
        "block \"b\" .", "with ", "break", "continue", "nil", "true", "printf ", "index ", "len ", "slice ", "eq ",
        "lt ", "and ", "or ", "not ", "call ", "humanize ", "toJson ", "dict ", "list ", "\n", " ", "/*", "*/", ",",
        "\"%d%s%v\"", "{{template \"t\" .}}", "{{define \"t\"}}{{template \"t\" .}}{{end}}",
    };

    record Point(long x, long y) implements GoObject {
        @Override
        public Object field(String name) throws TemplateException {
            return switch (name) {
                case "X" -> x;
                case "Y" -> y;
                default -> throw GoObject.noSuchField(this, name);
            };
        }

        @Override
        public Object method(String name, List<Object> args) throws TemplateException {
            if (name.equals("Scale") && args.size() == 1 && args.get(0) instanceof Long k) return new Point(x * k, y * k);
            return GoObject.super.method(name, args);
        }
    }

    private static Object data() {
        Map<String, Object> m = new HashMap<>();
        m.put("S", "abc");
        m.put("B", false);
        m.put("SI", List.of(1L, 5L, 3L));
        m.put("M", Map.of("a", 1L, "b", List.of("x")));
        m.put("P", new Point(1, 2));
        m.put("T", Instant.parse("2024-01-02T03:04:05Z"));
        m.put("F", TypedFunction.of(a -> "f" + a.get(0), "string"));
        m.put("N", null);
        m.put("labels", Map.of("instance", "h:1"));
        return m;
    }

    private static Map<String, TemplateFunction> funcs() {
        Map<String, TemplateFunction> f = AlertmanagerFunctions.create();
        f.putAll(PrometheusFunctions.create(1_700_000_000_000L, (q, ts) -> List.of(new QueryFunc.Sample(Map.of("a", "b"), 1)), "http://x/"));
        return f;
    }

    private static String mutate(Random r, String s) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int pos = b.isEmpty() ? 0 : r.nextInt(b.length() + 1);
            switch (r.nextInt(5)) {
                case 0 -> b.insert(pos, TOKENS[r.nextInt(TOKENS.length)]);
                case 1 -> {
                    if (!b.isEmpty()) {
                        int end = Math.min(b.length(), pos + 1 + r.nextInt(6));
                        if (pos < end) b.delete(pos, end);
                    }
                }
                case 2 -> b.insert(pos, (char) (32 + r.nextInt(95)));
                case 3 -> {
                    if (b.length() > 4) {
                        int a = r.nextInt(b.length() - 2);
                        int len = 1 + r.nextInt(Math.min(20, b.length() - a - 1));
                        b.insert(pos, b.substring(a, a + len));
                    }
                }
                default -> {
                    if (!b.isEmpty() && pos < b.length()) b.setCharAt(pos, "{}|()$.\"`'-: \n\\%"
                            .charAt(r.nextInt(16)));
                }
            }
        }
        return b.toString();
    }

    private static String random(Random r) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) b.append(TOKENS[r.nextInt(TOKENS.length)]);
        return b.toString();
    }

    @Test
    void mutatedTemplatesFailOnlyWithTemplateException() {
        long seed = Seeds.seed("template.fuzz");
        Random r = new Random(seed);
        Map<String, TemplateFunction> funcs = funcs();
        Object data = data();
        int[] parsed = new int[1];
        int[] executed = new int[1];
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            for (int i = 0; i < 6000; i++) {
                String text = i % 3 == 0 ? random(r) : mutate(r, CORPUS[r.nextInt(CORPUS.length)]);
                try {
                    Template t = Template.parse("fuzz", text, funcs, "missingkey=zero");
                    parsed[0]++;
                    t.execute(data);
                    executed[0]++;
                } catch (TemplateException e) {
                    assertThat(e.getMessage()).as("error text for %s", text).startsWith("template: ");
                } catch (Throwable e) {
                    fail("seed " + seed + " case " + i + ": " + e + " for template " + GoStrconv.quote(text), e);
                }
            }
        }, "a template hung (seed " + seed + ")");
        // The fuzzer must reach the interpreter, not only the parser's error paths.
        assertThat(parsed[0]).isGreaterThan(600);
        assertThat(executed[0]).isGreaterThan(300);
    }

    @Test
    void loneSignIsANumberSyntaxError() {
        assertThatParseFails("{{ slice .S 1 - }}", "template: p:1: illegal number syntax: \"-\"");
    }

    @Test
    void runawayTemplatesStopWithAClearError() throws TemplateException {
        Template deep = Template.parse("r", "{{define \"a\"}}{{template \"a\" .}}{{end}}{{template \"a\" .}}", Map.of());
        assertThat(catchMessage(deep)).endsWith("exceeded maximum template depth (1000)");
        // 2^30 calls at depth 30: only the step budget stops it.
        Template wide = Template.parse("w", "{{define \"a\"}}{{if .}}{{template \"a\" (slice . 1)}}{{template \"a\" (slice . 1)}}{{end}}{{end}}"
                + "{{template \"a\" \"012345678901234567890123456789\"}}", Map.of());
        assertThat(catchMessage(wide)).endsWith("exceeded maximum number of execution steps (2000000)");
        Template loop = Template.parse("l", "{{range 2000000000}}{{end}}", Map.of());
        assertThat(catchMessage(loop)).endsWith("exceeded maximum number of execution steps (2000000)");
        StringBuilder parens = new StringBuilder("{{");
        parens.append("(".repeat(300)).append("1").append(")".repeat(300)).append("}}");
        assertThatParseFails(parens.toString(), "template: p:1: max expression depth exceeded");
    }

    private static String catchMessage(Template t) {
        try {
            t.execute(null);
        } catch (TemplateException e) {
            return e.getMessage();
        }
        return fail("expected an error");
    }

    private static void assertThatParseFails(String text, String message) {
        try {
            Template.parse("p", text, Map.of());
            fail("expected a parse error");
        } catch (TemplateException e) {
            assertThat(e.getMessage()).isEqualTo(message);
        }
    }
}
