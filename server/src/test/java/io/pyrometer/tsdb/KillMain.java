package io.pyrometer.tsdb;

import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appender;
import java.nio.file.Path;

/**
 * Child process for {@link KillTest}: appends to a DB in a loop and prints {@code ACK <n>} after
 * each commit returns, until it is killed. Not a test by itself.
 */
public final class KillMain {
    public static final int SERIES = 100;

    private KillMain() {}

    public static void main(String[] args) throws Exception {
        DB db = DB.open(Path.of(args[0]), DbOptions.defaults().withStripeSize(256).withWalSegmentSizeBytes(256 * 1024));
        Labels[] ls = new Labels[SERIES];
        for (int i = 0; i < SERIES; i++) ls[i] = Labels.of("__name__", "kill_test", "i", Integer.toString(i));
        long[] refs = new long[SERIES];
        System.out.println("READY");
        System.out.flush();
        for (long c = 0; ; c++) {
            Appender app = db.appender();
            for (int i = 0; i < SERIES; i++) refs[i] = app.append(refs[i], ls[i], c * 1000, c + i);
            app.commit();
            System.out.println("ACK " + c);
            System.out.flush();
        }
    }
}
