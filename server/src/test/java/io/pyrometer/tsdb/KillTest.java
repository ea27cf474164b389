package io.pyrometer.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 durability: every commit the child acknowledged before it was killed must be there
 * after reopening, with nothing torn (the WAL and head chunks tails are cut at the last good record).
 */
class KillTest {
    @TempDir
    Path dir;

    @RepeatedTest(3)
    @Timeout(30)
    void everyAcknowledgedCommitSurvivesKill9() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                KillMain.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long lastAck = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            assertThat(line).as("child started").isEqualTo("READY");
            long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            while (System.nanoTime() < killAt && (line = r.readLine()) != null) {
                if (line.startsWith("ACK ")) lastAck = Long.parseLong(line.substring(4));
            }
            p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close
            p.waitFor(10, TimeUnit.SECONDS); // acks printed but not yet read are not checked: lastAck is a lower bound
        } finally {
            p.destroyForcibly();
        }
        System.out.println("killed after acknowledged commit " + lastAck);
        assertThat(lastAck).as("the child committed something before the kill").isGreaterThan(10);

        try (DB db = DB.open(dir, DbOptions.defaults().withStripeSize(256)); Querier q = db.querier(0, Long.MAX_VALUE)) {
            SeriesSet set = q.select(true, SelectHints.range(0, Long.MAX_VALUE), List.of(LabelMatcher.eq("__name__", "kill_test")));
            int series = 0;
            SampleIterator it = null;
            while (set.next()) {
                series++;
                int i = Integer.parseInt(set.at().labels().get("i"));
                it = set.at().iterator(it);
                long want = 0;
                while (it.next() == ValueType.FLOAT) {
                    assertThat(it.atT()).as("series i=%d has no gap", i).isEqualTo(want * 1000);
                    assertThat(it.atV()).isEqualTo(want + i);
                    want++;
                }
                assertThat(it.err()).isNull();
                assertThat(want - 1).as("series i=%d holds every acknowledged commit", i).isGreaterThanOrEqualTo(lastAck);
            }
            assertThat(series).isEqualTo(KillMain.SERIES);
        }
    }
}
