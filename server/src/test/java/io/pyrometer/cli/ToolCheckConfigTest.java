package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code pyrometer tool check config}: promtool's lines and exit codes. */
class ToolCheckConfigTest {
    private static final String GOOD = "scrape_configs:\n  - job_name: a\n    static_configs: [{targets: ['localhost:9090']}]\n";
    private static final String BAD = "global:\n  scrape_interval: 15s\n  scrape_intervall: 5s\n";
    private static final String WITH_RULES = "rule_files: [r.yml, 'rules/*.yml', missing/*.yml]\n" + GOOD;

    private static ToolTsdbTest.Result ours(Object... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        List<String> full = new ArrayList<>(List.of("tool", "check", "config"));
        for (Object a : args) full.add(a.toString());
        int rc = Main.run(full, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new ToolTsdbTest.Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Path write(Path p, String text) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void validFilesPrintCheckingAndSuccessLikePromtool(@TempDir Path dir) throws Exception {
        Path good = write(dir.resolve("good.yml"), GOOD);
        ToolTsdbTest.Result r = ours(good, good);
        assertThat(r.exitCode()).isZero();
        String one = "Checking " + good + "\n SUCCESS: " + good + " is valid prometheus config file syntax\n\n";
        assertThat(r.out()).isEqualTo(one + one);
        assertThat(r.out()).isEqualTo(ToolTsdbTest.promtool("check", "config", good, good).out());
    }

    @Test
    void kubernetesSdConfigsAreAcceptedAndTheirTlsFilesChecked(@TempDir Path dir) throws Exception {
        String k8s = "scrape_configs:\n  - job_name: pods\n    kubernetes_sd_configs:\n      - role: pod\n"
                + "        api_server: https://k8s.example:6443\n        tls_config: {cert_file: c.pem, key_file: k.pem}\n";
        Path cfg = write(dir.resolve("prometheus.yml"), k8s);
        ToolTsdbTest.Result missing = ours(cfg);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("error checking client cert file").contains("c.pem");
        write(dir.resolve("c.pem"), "x");
        write(dir.resolve("k.pem"), "x");
        ToolTsdbTest.Result ok = ours(cfg);
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains(" SUCCESS: " + cfg + " is valid prometheus config file syntax");
    }

    @Test
    void aBrokenFileFailsWithItsLineAndColumnAndTheOthersAreStillChecked(@TempDir Path dir) throws Exception {
        Path good = write(dir.resolve("good.yml"), GOOD);
        Path bad = write(dir.resolve("bad.yml"), BAD);
        ToolTsdbTest.Result r = ours(bad, good);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("  FAILED: ").contains("bad.yml:3:3").contains("scrape_intervall");
        assertThat(r.out()).isEqualTo(ToolTsdbTest.promtool("check", "config", bad, good).out());
    }

    @Test
    void ruleFilesAreCountedRelativeToTheConfigUnlessSyntaxOnly(@TempDir Path dir) throws Exception {
        Path cfg = write(dir.resolve("prometheus.yml"), WITH_RULES);
        String rules = "groups:\n- name: g\n  rules:\n  - record: a:b\n    expr: up\n";
        write(dir.resolve("r.yml"), rules);
        write(dir.resolve("rules/x.yml"), rules);
        write(dir.resolve("rules/y.yml"), rules);
        ToolTsdbTest.Result r = ours(cfg);
        assertThat(r.exitCode()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.subList(0, 4)).containsExactly("Checking " + cfg, "  SUCCESS: 3 rule files found",
                " SUCCESS: " + cfg + " is valid prometheus config file syntax", "");
        assertThat(lines).contains("Checking " + dir.resolve("r.yml"), "Checking " + dir.resolve("rules/x.yml"), "Checking " + dir.resolve("rules/y.yml"));
        assertThat(ToolTsdbTest.promtool("check", "config", cfg).out().lines().limit(4).toList()).isEqualTo(lines.subList(0, 4));

        ToolTsdbTest.Result syntax = ours("--syntax-only", cfg);
        assertThat(syntax.out()).isEqualTo("Checking " + cfg + "\n SUCCESS: " + cfg + " is valid prometheus config file syntax\n\n");
        assertThat(syntax.out()).isEqualTo(ToolTsdbTest.promtool("check", "config", "--syntax-only", cfg).out());
    }

    /** Config, the files it refers to that exist, and what FAILED must say ("" for success). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rule_files: [missing.yml] | | \"CONF/missing.yml\" does not point to an existing file",
            "rule_files: ['none/*.yml'] | | ",
            "scrape_configs: [{job_name: a, tls_config: {cert_file: c.pem, key_file: k.pem}}] | c.pem | error checking client key file \"CONF/k.pem\": stat CONF/k.pem: no such file or directory",
            "scrape_configs: [{job_name: a, authorization: {credentials_file: tok}}] | | error checking authorization credentials or bearer token file \"CONF/tok\": stat CONF/tok: no such file or directory",
            "scrape_configs: [{job_name: a, authorization: {credentials_file: tok}}] | tok | ",
            "scrape_configs: [{job_name: a, file_sd_configs: [{files: ['sd/*.json', none.yml]}]}] | sd/a.json | ",
            "scrape_configs: [{job_name: a, file_sd_configs: [{files: ['sd/*.json']}]}] | sd/a.json,sd/b.json | checking SD file \"CONF/sd/*.json\": "})
    void referencedFilesAreCheckedLikePromtool(String config, String existing, String failure, @TempDir Path dir) throws Exception {
        // a path relative to the working directory, as users type it: promtool names files relative to it too
        Path conf = Path.of("").toAbsolutePath().relativize(dir.resolve("conf"));
        Path cfg = write(conf.resolve("p.yml"), config + "\n");
        for (String f : existing == null ? new String[0] : existing.split(",")) {
            write(conf.resolve(f), f.endsWith("b.json") ? "[{\"targets\": [" : "[{\"targets\": [\"a:1\"]}]");
        }
        ToolTsdbTest.Result r = ours(cfg);
        ToolTsdbTest.Result want = ToolTsdbTest.promtool("check", "config", cfg);
        assertThat(r.out()).isEqualTo(want.out());
        assertThat(r.exitCode()).isEqualTo(want.exitCode()).isEqualTo(failure == null ? 0 : 1);
        if (failure != null) assertThat(r.err()).startsWith("  FAILED: " + failure.replace("CONF", conf.toString()));
    }

    @Test
    void usageMistakesExitOneLikeKingpin(@TempDir Path dir) {
        ToolTsdbTest.Result none = ours();
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("required argument 'config-files' not provided");
        ToolTsdbTest.Result missing = ours(dir.resolve("nope.yml"));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("path '" + dir.resolve("nope.yml") + "' does not exist");
        ToolTsdbTest.Result help = ours("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--[no-]syntax-only").contains("<config-files>");
    }
}
