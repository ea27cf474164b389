package io.pyrometer.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The template-set API the rules engine and the alert router build on (Go's Template methods). */
class TemplateSetTest {
    @Test
    void parseMoreAddsTemplatesAndLeavesTheOriginalUnchanged() throws TemplateException {
        Template base = Template.parse("main", "{{define \"a\"}}A{{.}}{{end}}main", Map.of(), "missingkey=zero");
        Template more = base.parseMore("file2", "{{define \"b\"}}B{{template \"a\" .}}{{end}}");
        assertThat(more.templateNames()).containsExactly("a", "b", "file2", "main");
        assertThat(more.executeTemplate("b", 1)).isEqualTo("BA1");
        assertThat(more.execute(null)).isEqualTo("main");
        assertThat(base.hasTemplate("b")).isFalse();
        assertThatThrownBy(() -> more.executeTemplate("nope", null))
                .hasMessage("template: no template \"nope\" associated with template \"main\"");
        // A later definition replaces an earlier one; an empty one does not (Go's associate).
        assertThat(more.parseMore("f3", "{{define \"a\"}}new{{end}}").executeTemplate("b", 1)).isEqualTo("Bnew");
        assertThat(more.parseMore("f4", "{{define \"a\"}}  {{end}}").executeTemplate("b", 1)).isEqualTo("BA1");
        // Errors in a parsed-later file name that file and the executing template.
        Template bad = more.parseMore("f5", "line\n{{define \"c\"}}{{.X.Y}}{{end}}");
        assertThatThrownBy(() -> bad.executeTemplate("c", Map.of("X", 1L)))
                .hasMessage("template: f5:2:18: executing \"c\" at <.X.Y>: can't evaluate field Y in type int");
    }

    @Test
    void withFuncsOverridesForOneCopy() throws TemplateException {
        Template t = Template.parse("t", "{{ routeLabels \"x\" }}", Map.of("routeLabels", a -> "placeholder"));
        Template routed = t.withFuncs(Map.of("routeLabels", a -> "value-of-" + a.get(0)));
        assertThat(routed.execute(null)).isEqualTo("value-of-x");
        assertThat(t.execute(null)).isEqualTo("placeholder");
    }

    @Test
    void optionsAreGoOptions() throws TemplateException {
        assertThat(Template.parse("t", "{{.a}}", Map.of()).execute(Map.of("b", "x"))).isEqualTo("<no value>");
        assertThat(Template.parse("t", "{{.a}}", Map.of()).option("missingkey=zero").execute(Map.of("b", "x"))).isEmpty();
        assertThat(Template.parse("t", "{{.a}}", Map.of(), "missingkey=zero").execute(Map.of("b", 1L))).isEqualTo("0");
        assertThatThrownBy(() -> Template.parse("t", "x", Map.of(), "missingkey=bogus"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unrecognized option: missingkey=bogus");
        assertThatThrownBy(() -> Template.parse("t", "x", Map.of("bad-name", a -> 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("function name \"bad-name\" is not a valid identifier");
    }

    @Test
    void concurrentExecutionsDoNotShareState() throws TemplateException {
        Template t = Template.parse("t", "{{ $x := . }}{{ range $i := . }}{{ $x = $i }}{{ end }}{{ $x }}", Map.of());
        List<String> out = IntStream.range(0, 2000).parallel().mapToObj(i -> {
            try {
                return t.execute(i % 50);
            } catch (TemplateException e) {
                throw new AssertionError(e);
            }
        }).toList();
        for (int i = 0; i < out.size(); i++) assertThat(out.get(i)).isEqualTo(String.valueOf(i % 50 == 0 ? 0 : i % 50 - 1));
    }
}
