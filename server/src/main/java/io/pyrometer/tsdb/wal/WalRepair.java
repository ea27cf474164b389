package io.pyrometer.tsdb.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * Cuts a WAL at its last good record, as Prometheus's repair does: the damaged segment is
 * truncated to its valid prefix and every later segment is deleted (their records may depend on
 * lost ones, e.g. samples of a series whose definition was in the damaged part).
 */
public final class WalRepair {
    private static final System.Logger LOG = System.getLogger(WalRepair.class.getName());

    private WalRepair() {}

    public static void repair(WalReader.Corruption c) throws IOException {
        LOG.log(System.Logger.Level.WARNING, "WAL corruption found, cutting at the last good record [dir={0}, segment={1}, offset={2}, reason={3}]",
                c.dir(), Wal.Segments.name(c.segment()), String.valueOf(c.goodBytes()), c.reason());
        try (FileChannel ch = FileChannel.open(c.dir().resolve(Wal.Segments.name(c.segment())), StandardOpenOption.WRITE)) {
            ch.truncate(c.goodBytes());
            ch.force(true);
        }
        for (int i : Wal.Segments.list(c.dir())) {
            if (i > c.segment()) {
                Files.deleteIfExists(c.dir().resolve(Wal.Segments.name(i)));
                LOG.log(System.Logger.Level.WARNING, "deleted WAL segment after corruption [dir={0}, segment={1}]", c.dir(), Wal.Segments.name(i));
            }
        }
    }
}
