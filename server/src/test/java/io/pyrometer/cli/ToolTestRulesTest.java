package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * {@code pyrometer tool test rules} on our own unit-test files (test resources
 * {@code rules-unittest/}: passing, failing, and a broken rule file), compared with
 * {@code promtool test rules} where it is installed: same exit code, same report.
 */
class ToolTestRulesTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final List<String> FILES = List.of("rules.yml", "pass.yml", "fail.yml", "badrules.yml", "does-not-parse.yml",
            "templ-rules.yml", "templates.yml");

    private record Run(int code, String out, String err) {}

    private static Path copyResources(Path dir) throws IOException {
        for (String f : FILES) {
            try (InputStream in = ToolTestRulesTest.class.getResourceAsStream("/rules-unittest/" + f)) {
                Files.write(dir.resolve(f), in.readAllBytes());
            }
        }
        return dir;
    }

    private static Run ours(Path dir, String file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = ToolCommand.run(List.of("test", "rules", dir.resolve(file).toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8).replace(dir + "/", ""), err.toString(StandardCharsets.UTF_8).replace(dir + "/", ""));
    }

    private static Run promtool(Path dir, String file) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool not installed (/usr/bin/promtool; .ci/run installs it)");
        Process p = new ProcessBuilder(new ArrayList<>(List.of(PROMTOOL.toString(), "test", "rules", file))).directory(dir.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void passingTestsPass(@TempDir Path dir) throws Exception {
        Run r = ours(copyResources(dir), "pass.yml");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("Unit Testing:  pass.yml\n  SUCCESS\n\n");
        assertThat(r.code()).isZero();
    }

    @Test
    void failingTestsReportEachFailure(@TempDir Path dir) throws Exception {
        Run r = ours(copyResources(dir), "fail.yml");
        assertThat(r.code()).isEqualTo(1);
        // expected report written from cmd/promtool/unittest.go's formats
        assertThat(r.err()).isEqualTo("""
                  FAILED:
                    name: wrong-alert,
                    alertname: InstanceDown, time: 1m,\s
                        exp:[
                            0:
                              Labels:{alertname="InstanceDown", instance="a", job="api", severity="page"}
                              Annotations:{}
                            ],\s
                        got:[]
                    name: wrong-alert,
                    alertname: InstanceDown, time: 3m,\s
                        exp:[
                            0:
                              Labels:{alertname="InstanceDown", instance="a", job="api", severity="page"}
                              Annotations:{summary="wrong text"}
                            ],\s
                        got:[
                            0:
                              Labels:{alertname="InstanceDown", instance="a", job="api", severity="page"}
                              Annotations:{summary="instance is down"}
                            ]
                    expr: "job:requests:rate1m", time: 2m,
                        exp: {__name__="job:requests:rate1m", job="api"} 5E+00
                        got: {__name__="job:requests:rate1m", job="api"} 1E+00
                    expr: "rate(requests_total)", time: 2m, err: 1:6: parse error: expected type range vector in call to function "rate", got instant vector
                """);
    }

    @Test
    void brokenRuleFileFailsWithItsErrors(@TempDir Path dir) throws Exception {
        Run r = ours(copyResources(dir), "badrules.yml");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("  FAILED:\ndoes-not-parse.yml: 5:11: group \"g\", rule 1, \"r\": could not parse expression: 1:5: parse error: unclosed left parenthesis\n");
    }

    @Test
    void agreesWithPromtool(@TempDir Path dir) throws Exception {
        copyResources(dir);
        for (String f : List.of("pass.yml", "fail.yml", "badrules.yml", "templates.yml")) {
            Run theirs = promtool(dir, f), mine = ours(dir, f);
            assertThat(mine.code()).as(f).isEqualTo(theirs.code());
            assertThat(mine.out()).as(f).isEqualTo(theirs.out());
            assertThat(mine.err()).as(f).isEqualTo(theirs.err());
        }
    }

    @Test
    void templatesSeeLabelsValueExternalLabelsAndUrl(@TempDir Path dir) throws Exception {
        Run r = ours(copyResources(dir), "templates.yml");
        assertThat(r.code()).isEqualTo(1);
        // only the second group's wrong severity fails: the first group's templated expectations hold
        assertThat(r.err()).startsWith("  FAILED:\n    name: wrong-template-expectation,\n").doesNotContain("eu1");
    }

    @Test
    void expandsSeriesNotation() throws Exception {
        assertThat(ToolTestRules.expandValues("1+2x3 _ -1-1x1 _x2 stale 1e3")).hasSize(11).startsWith(1.0, 3.0, 5.0, 7.0, null, -1.0, -2.0, null, null);
        assertThat(ToolTestRules.goDuration(3_900_000)).isEqualTo("1h5m0s");
        assertThat(ToolTestRules.goDuration(60_000)).isEqualTo("1m0s");
        assertThat(ToolTestRules.goFloatE(0.5)).isEqualTo("5E-01");
    }
}
