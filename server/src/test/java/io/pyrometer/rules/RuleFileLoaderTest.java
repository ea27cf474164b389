package io.pyrometer.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.promql.parser.ParserOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rule files read and validated as Prometheus's rulefmt does; expected messages are promtool 2.42's. */
class RuleFileLoaderTest {
    private static final Path F = Path.of("rules.yml");

    private static List<RuleGroupDef> parse(String yaml) throws RuleFileException {
        return RuleFileLoader.parse(yaml, F, ParserOptions.DEFAULT);
    }

    private static List<String> errors(String yaml) {
        try {
            parse(yaml);
        } catch (RuleFileException e) {
            return e.errors();
        }
        throw new AssertionError("expected errors for:\n" + yaml);
    }

    @Test
    void readsGroupsAndRulesWithYamlQuirks() throws Exception {
        List<RuleGroupDef> g = parse("""
                groups:
                - name: g1
                  interval: 30s
                  query_offset: 1m
                  limit: 10
                  labels: {team: a}
                  rules:
                  - record: job:up:sum
                    expr: sum by (job) (up)
                  - alert: Down
                    expr: up == 0
                    for: 5m
                    keep_firing_for: 2m
                    labels:
                      severity: 1
                      page: yes
                      empty:
                    annotations:
                      summary: "instance down"
                - name: g2
                  rules: []
                """);
        assertThat(g).hasSize(2);
        RuleGroupDef g1 = g.getFirst();
        assertThat(g1.name()).isEqualTo("g1");
        assertThat(g1.intervalMs()).isEqualTo(30_000);
        assertThat(g1.queryOffsetMs()).isEqualTo(60_000);
        assertThat(g1.limit()).isEqualTo(10);
        assertThat(g1.labels()).isEqualTo(Map.of("team", "a"));
        assertThat(g1.rules()).hasSize(2);
        RuleDef rec = g1.rules().get(0);
        assertThat(rec.isAlert()).isFalse();
        assertThat(rec.name()).isEqualTo("job:up:sum");
        assertThat(rec.expr()).isEqualTo("sum by (job) (up)");
        RuleDef alert = g1.rules().get(1);
        assertThat(alert.alert()).isEqualTo("Down");
        assertThat(alert.forMs()).isEqualTo(300_000);
        assertThat(alert.keepFiringForMs()).isEqualTo(120_000);
        // yaml.v3 into a Go string: the scalar's text whatever its type; null is empty
        assertThat(alert.labels()).isEqualTo(Map.of("severity", "1", "page", "yes", "empty", ""));
        assertThat(alert.line()).isEqualTo(10);
        assertThat(alert.column()).isEqualTo(12);
        RuleGroupDef g2 = g.get(1);
        assertThat(g2.intervalMs()).isZero();
        assertThat(g2.queryOffsetMs()).isEqualTo(-1);
        assertThat(g2.rules()).isEmpty();
    }

    @Test
    void emptyFileHasNoGroups() throws Exception {
        assertThat(parse("")).isEmpty();
        assertThat(parse("groups:\n")).isEmpty();
    }

    @Test
    void validationErrorsAsPromtoolPrintsThem() {
        // promtool 2.42 on this file prints the same lines (with the file name first), in this order
        assertThat(errors("""
                groups:
                - name: g1
                  rules:
                  - record: job:up:sum
                    expr: sum by (job) (up
                    for: 1m
                - name: g1
                  rules:
                  - record: "bad{x}"
                    expr: up
                """)).containsExactly(
                "rules.yml: 5:11: group \"g1\", rule 1, \"job:up:sum\": could not parse expression: 1:17: parse error: unclosed left parenthesis",
                "rules.yml: 4:13: group \"g1\", rule 1, \"job:up:sum\": invalid field 'for' in recording rule",
                "rules.yml: 7:3: groupname: \"g1\" is repeated in the same file",
                "rules.yml: 9:13: group \"g1\", rule 1, \"bad{x}\": braces present in the recording rule name; should it be in expr?: bad{x}");
    }

    @Test
    void ruleShapeErrors() {
        assertThat(errors("""
                groups:
                - name: g
                  rules:
                  - record: a
                    alert: b
                    expr: up
                  - expr: up
                  - alert: c
                  - record: r
                    expr: up
                    keep_firing_for: 1m
                    annotations: {a: b}
                    labels: {__name__: x}
                """)).containsExactly(
                "rules.yml: 5:12: group \"g\", rule 1, \"b\": only one of 'record' and 'alert' must be set",
                "rules.yml: 7:5: group \"g\", rule 2, \"\": one of 'record' or 'alert' must be set",
                "rules.yml: 8:12: group \"g\", rule 3, \"c\": field 'expr' must be set in rule",
                "rules.yml: 9:13: group \"g\", rule 4, \"r\": invalid field 'annotations' in recording rule",
                "rules.yml: 9:13: group \"g\", rule 4, \"r\": invalid field 'keep_firing_for' in recording rule",
                "rules.yml: 9:13: group \"g\", rule 4, \"r\": invalid label name: __name__");
    }

    @Test
    void alertTemplatesMustParse() {
        TemplateEngine.assumePresent();
        assertThat(errors("""
                groups:
                - name: g1
                  rules:
                  - alert: Down
                    expr: up == 0
                    annotations:
                      ok: "{{ $labels.instance }} is {{ $value | humanize }}"
                      summary: "{{ $labels.instance "
                """)).containsExactly(
                "rules.yml: 4:12: group \"g1\", rule 1, \"Down\": annotation \"summary\": template: __alert_Down:1: unclosed action");
    }

    @Test
    void emptyGroupName() {
        assertThat(errors("groups:\n- rules: []\n")).containsExactly("rules.yml: 2:3: Groupname must not be empty");
    }

    @Test
    void unknownFieldsAndWrongTypesNamePositionAndSuggest() {
        assertThat(errors("""
                groups:
                - name: g1
                  rules:
                  - record: a
                    expr: up
                    fo: 1m
                """)).containsExactly("rules.yml: 6:5: field fo not found in type rulefmt.Rule; did you mean \"for\"?");
        assertThat(errors("groups:\n- name: g\n  limit: ten\n  rules: []\n"))
                .containsExactly("rules.yml: 3:10: cannot unmarshal !!str `ten` into int");
        assertThat(errors("groups:\n- name: g\n  rules:\n  - alert: a\n    expr: up\n    for: 5x\n"))
                .containsExactly("rules.yml: 6:10: unknown unit \"x\" in duration \"5x\"");
        assertThat(errors("groups:\n- name: [g]\n")).containsExactly("rules.yml: 2:9: cannot unmarshal !!seq into string");
        assertThat(errors("groupz: []\n")).containsExactly("rules.yml: 1:1: field groupz not found in type rulefmt.RuleGroups; did you mean \"groups\"?");
    }

    @Test
    void yamlSyntaxErrorNamesPosition() {
        assertThat(errors("groups:\n- name: g\n  rules: [\n")).singleElement().asString().startsWith("rules.yml:");
    }

    @Test
    void loadReportsMissingFile() {
        assertThatThrownBy(() -> RuleFileLoader.load(Path.of("/nonexistent/r.yml"), ParserOptions.DEFAULT))
                .isInstanceOf(RuleFileException.class)
                .hasMessage("/nonexistent/r.yml: open /nonexistent/r.yml: no such file or directory");
    }
}
