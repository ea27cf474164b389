package io.pyrometer.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.AppendStatus;
import io.pyrometer.storage.Appender;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk full on a small tmpfs: appends fail with "storage write failed" and a log line, queries keep
 * working, and ingestion resumes once space is freed, with nothing torn on disk. Skipped (with
 * the reason) where tmpfs cannot be mounted (not root, no mount namespace).
 */
class DiskFullTest {
    @TempDir
    Path tmp;

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Test
    void appendsFailWhileTheDiskIsFullAndResumeAfterwards() throws Exception {
        Path mnt = tmp.resolve("mnt");
        Files.createDirectories(mnt);
        int rc;
        try {
            rc = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString());
        } catch (IOException e) {
            rc = -1;
        }
        Assumptions.assumeTrue(rc == 0, "skipped: mounting a 1 MiB tmpfs failed (needs root); disk-full handling untested here");
        List<String> logged = new ArrayList<>();
        Handler h = new Handler() {
            public void publish(LogRecord r) { logged.add(r.getLevel() + " " + r.getMessage()); }
            public void flush() {}
            public void close() {}
        };
        Logger headLog = Logger.getLogger("io.pyrometer.tsdb.head.Head");
        headLog.addHandler(h);
        java.util.logging.Level before = headLog.getLevel();
        headLog.setLevel(java.util.logging.Level.INFO); // other tests may have quietened the root logger
        try {
            exercise(mnt.resolve("data"), mnt.resolve("filler"), logged);
        } finally {
            headLog.removeHandler(h);
            headLog.setLevel(before);
            run("umount", "-l", mnt.toString());
        }
    }

    private void exercise(Path dir, Path filler, List<String> logged) throws Exception {
        Labels l = Labels.of("__name__", "disk_full_test");
        long t = 0;
        try (DB db = DB.open(dir, DbOptions.defaults().withStripeSize(16))) {
            for (; t < 10; t++) commit(db, l, t);
            // fill the rest of the file system
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] junk = new byte[4096];
                while (true) out.write(junk);
            } catch (IOException expected) {
                // ENOSPC
            }
            Appender app = db.appender();
            for (int i = 0; i < 2000; i++) app.append(0, Labels.of("__name__", "big", "i", "x".repeat(200) + i), t * 1000, 1);
            assertThatThrownBy(app::commit).isInstanceOf(UncheckedIOException.class).hasMessageContaining("storage write failed");
            assertThat(logged).anyMatch(s -> s.startsWith("SEVERE") && s.contains("WAL write failed"));
            assertThat(db.appender().append(0, l, t * 1000, t)).isEqualTo(AppendStatus.STORAGE_FULL);
            assertThat(samples(db, l)).as("queries keep working").hasSize(10);

            Files.delete(filler);
            // appends are retried once a second; poll rather than sleep once, the machine may be loaded
            long deadline = System.currentTimeMillis() + 15_000;
            while (true) {
                Appender probe = db.appender();
                long r = probe.append(0, l, t * 1000, t);
                probe.rollback();
                if (r > 0 || System.currentTimeMillis() > deadline) break;
                Thread.sleep(100);
            }
            for (; t < 20; t++) commit(db, l, t);
            assertThat(logged).anyMatch(s -> s.contains("WAL writes succeed again"));
        }
        try (DB db = DB.open(dir, DbOptions.defaults().withStripeSize(16))) {
            assertThat(samples(db, l)).hasSize(20);
            assertThat(db.head().walCorruptionsTotal()).as("nothing torn by the failed write").isZero();
        }
    }

    private static List<Long> samples(DB db, Labels l) {
        List<Long> ts = new ArrayList<>();
        try (var q = db.querier(0, Long.MAX_VALUE)) {
            var set = q.select(true, io.pyrometer.storage.SelectHints.range(0, Long.MAX_VALUE), List.of(LabelMatcher.eq("__name__", l.metricName())));
            while (set.next()) {
                var it = set.at().iterator(null);
                while (it.next() == io.pyrometer.storage.ValueType.FLOAT) {
                    assertThat(it.atV()).isEqualTo((double) (it.atT() / 1000));
                    ts.add(it.atT());
                }
            }
        }
        return ts;
    }

    private static void commit(DB db, Labels l, long t) {
        Appender app = db.appender();
        assertThat(app.append(0, l, t * 1000, t)).isPositive();
        app.commit();
    }
}
