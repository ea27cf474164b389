package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pyrometer tool check rules} and the rule part of {@code check config}: output and exit
 * codes as promtool's; where {@code /usr/bin/promtool} exists, both run on the same files.
 */
class ToolCheckRulesTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private static final String GOOD = """
            groups:
            - name: g1
              interval: 30s
              rules:
              - record: job:up:sum
                expr: sum by (job) (up)
              - alert: Down
                expr: up == 0
                for: 5m
                labels: {severity: "1"}
                annotations: {summary: instance down}
            """;
    /** Every error in it has a position in promtool 2.42 too (no templates, legacy-valid names). */
    private static final String BAD = """
            groups:
            - name: g1
              rules:
              - record: job:up:sum
                expr: sum by (job) (up
                for: 1m
              - alert: A
                expr: up
            - name: g1
              rules:
              - record: x
                expr: rate(up)
            """;
    private static final String DUP = """
            groups:
            - name: a
              rules:
              - record: x
                expr: up
                labels: {b: "1", a: "2"}
              - record: x
                expr: up + 1
                labels: {a: "2", b: "1"}
            """;

    private record Run(int code, String out, String err) {}

    private static Run tool(Path dir, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        List<String> a = new ArrayList<>(List.of(args));
        // paths relative to dir, as promtool run from there
        for (int i = 0; i < a.size(); i++) if (!a.get(i).startsWith("-") && i > 1) a.set(i, dir.resolve(a.get(i)).toString());
        int code = ToolCommand.run(a, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8).replace(dir + "/", ""), err.toString(StandardCharsets.UTF_8).replace(dir + "/", ""));
    }

    private static Run promtool(Path dir, String... args) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool not installed (/usr/bin/promtool; .ci/run installs it)");
        List<String> cmd = new ArrayList<>(List.of(PROMTOOL.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void validFileCountsRules(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("good.yml"), GOOD);
        Run r = tool(dir, "check", "rules", "good.yml");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("Checking good.yml\n  SUCCESS: 2 rules found\n\n");
    }

    @Test
    void errorsAsPromtoolPrintsThem(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.yml"), BAD);
        Run r = tool(dir, "check", "rules", "bad.yml");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("Checking bad.yml\n\n");
        assertThat(r.err()).isEqualTo("""
                  FAILED:
                bad.yml: 5:11: group "g1", rule 1, "job:up:sum": could not parse expression: 1:17: parse error: unclosed left parenthesis
                bad.yml: 4:13: group "g1", rule 1, "job:up:sum": invalid field 'for' in recording rule
                bad.yml: 9:3: groupname: "g1" is repeated in the same file
                bad.yml: 12:11: group "g1", rule 1, "x": could not parse expression: 1:6: parse error: expected type range vector in call to function "rate", got instant vector
                """);
    }

    @Test
    void sameOutputAndExitCodesAsPromtool(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("good.yml"), GOOD);
        Files.writeString(dir.resolve("bad.yml"), BAD);
        Files.writeString(dir.resolve("dup.yml"), DUP);
        Files.writeString(dir.resolve("cfg.yml"), "rule_files: [bad.yml, good.yml]\n");
        Files.writeString(dir.resolve("okcfg.yml"), "rule_files: ['*ood.yml']\n");
        List<String[]> cases = List.of(
                new String[] {"check", "rules", "good.yml"},
                new String[] {"check", "rules", "bad.yml"},
                new String[] {"check", "rules", "good.yml", "bad.yml", "dup.yml"},
                new String[] {"check", "rules", "dup.yml"},
                new String[] {"check", "rules", "--lint-fatal", "dup.yml"},
                new String[] {"check", "rules", "--lint=none", "dup.yml"},
                new String[] {"check", "config", "cfg.yml"},
                new String[] {"check", "config", "okcfg.yml"});
        for (String[] c : cases) {
            Run theirs = promtool(dir, c);
            Run ours = tool(dir, c);
            assertThat(ours.code()).as(String.join(" ", c)).isEqualTo(theirs.code());
            assertThat(ours.out()).as(String.join(" ", c)).isEqualTo(theirs.out());
            assertThat(ours.err()).as(String.join(" ", c)).isEqualTo(theirs.err());
        }
    }
}
