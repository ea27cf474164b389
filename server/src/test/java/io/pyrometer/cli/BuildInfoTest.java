package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pyrometer.model.BuildInfo;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** /api/v1/status/buildinfo's revision and build date come from the build, not "unknown" and "". */
class BuildInfoTest {
    @Test
    void revisionIsTheCheckedOutCommitAndTheBuildDateIsStamped() throws Exception {
        Process git;
        try {
            git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(false).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "git is not installed: the revision stays \"unknown\"");
            return;
        }
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assumeTrue(git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0, "not a git checkout: the revision stays \"unknown\"");
        assertThat(BuildInfo.REVISION).isEqualTo(head);
        assertThat(BuildInfo.BUILD_DATE).matches("\\d{8}-\\d{2}:\\d{2}:\\d{2}"); // Prometheus's format, e.g. 20230201-12:34:56
        assertThat(BuildInfo.BRANCH).isNotEqualTo("unknown").isNotBlank();
    }
}
