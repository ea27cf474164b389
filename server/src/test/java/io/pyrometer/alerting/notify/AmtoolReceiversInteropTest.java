package io.pyrometer.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real {@code amtool check-config} (Alertmanager 0.25) reaches the same verdict as our parser on every receiver case. */
class AmtoolReceiversInteropTest {
    static final Path AMTOOL = Path.of(System.getenv().getOrDefault("AMTOOL", "/usr/bin/amtool"));

    @Test
    void amtoolAgreesOnEveryCase(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(AMTOOL), "amtool not installed at " + AMTOOL + " (Debian package 'prometheus-alertmanager'); set AMTOOL to override");
        List<String> disagreements = new ArrayList<>();
        for (ReceiversParseTest.Case c : ReceiversParseTest.CASES) {
            if (c.name().startsWith("pyrometer-only")) continue; // integrations Pyrometer refuses and Alertmanager accepts
            if (c.name().contains("url_file")) continue; // url_file came with Alertmanager 0.26; amtool 0.25 does not know it
            Path f = dir.resolve(c.name().replaceAll("[^a-z0-9]+", "-") + ".yml");
            Files.writeString(f, c.yaml());
            Process p = new ProcessBuilder(AMTOOL.toString(), "check-config", f.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            boolean amtoolOk = p.exitValue() == 0;
            if (amtoolOk != (c.error() == null)) disagreements.add(c.name() + ": amtool exit " + p.exitValue() + ": " + out.strip());
        }
        assertThat(disagreements).isEmpty();
    }
}
