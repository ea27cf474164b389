package io.pyrometer.tsdb;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.SelfMetricFamily;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.Storage;
import io.pyrometer.tsdb.head.Head;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Prometheus-compatible TSDB in one data directory: persisted blocks plus the head (WAL,
 * {@code chunks_head/}). The server's {@link Storage}.
 *
 * <pre>{@code
 * try (DB db = DB.open(Path.of("data"), DbOptions.defaults().withRegistry(registry))) {
 *     Appender app = db.appender();
 *     app.append(0, Labels.of("__name__", "up", "job", "node"), System.currentTimeMillis(), 1);
 *     app.commit();
 * }
 * }</pre>
 *
 * <p>Layout of the directory: {@code lock}, {@code wal/}, {@code chunks_head/} and one directory
 * per block. See {@code server/docs/tsdb-head.md} and {@code server/docs/format/wal.md}.
 */
public final class DB implements Storage {
    private static final System.Logger LOG = System.getLogger(DB.class.getName());
    public static final String LOCK_FILE = "lock";

    private final Path dir;
    private final DbOptions opts;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final DbMetrics metrics;
    private final Head head;
    private final Blocks blocks;
    private final Thread maintenance;
    private volatile boolean closed;
    private final CountDownLatch closing = new CountDownLatch(1);

    private DB(Path dir, DbOptions opts, FileChannel lockChannel, FileLock lock) throws IOException {
        this.dir = dir;
        this.opts = opts;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.metrics = new DbMetrics(opts.registry());
        this.blocks = new Blocks(dir, opts, metrics);
        this.head = Head.open(dir, opts.headOptions(), blocks.maxTimeMs(), metrics::observeFsyncNanos);
        metrics.register(opts.registry(), this);
        this.maintenance = Thread.ofVirtual().name("tsdb-maintenance").unstarted(this::maintenanceLoop);
    }

    /**
     * Opens (creating if needed) the TSDB in {@code dir}: takes the directory lock, opens the
     * blocks, replays the WAL and starts background compaction and retention.
     *
     * @throws IOException when the directory is locked by another process or unreadable
     */
    public static DB open(Path dir, DbOptions opts) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new IOException("opening storage failed: lock DB directory: resource temporarily unavailable [dir=" + dir.toAbsolutePath()
                    + "]: another Prometheus or Pyrometer process uses this data directory; stop it or choose another --storage.tsdb.path");
        }
        try {
            DB db = new DB(dir, opts, ch, l);
            db.maintenance.start();
            LOG.log(System.Logger.Level.INFO, "TSDB started [dir={0}, series={1}, blocks={2}]", dir.toAbsolutePath(),
                    String.valueOf(db.head.numSeries()), String.valueOf(db.numBlocks()));
            return db;
        } catch (IOException | RuntimeException e) {
            l.release();
            ch.close();
            throw e;
        }
    }

    public Path dir() { return dir; }

    public DbOptions options() { return opts; }

    public Head head() { return head; }

    @Override
    public Appender appender() { return head.appender(); }

    /** Blocks overlapping the range and the head, merged into one label-sorted, deduplicated view. */
    @Override
    public Querier querier(long minTimeMs, long maxTimeMs) {
        return blocks.querier(head, minTimeMs, maxTimeMs);
    }

    @Override
    public long startTimeMs() { return Math.min(blocks.minTimeMs(), head.minTime()); }

    /** Deletes samples in {@code [mintMs, maxtMs]} of matching series: tombstones in blocks, a WAL tombstone record for the head. */
    public void delete(long mintMs, long maxtMs, List<LabelMatcher> matchers) throws IOException {
        blocks.delete(mintMs, maxtMs, matchers);
        head.delete(mintMs, maxtMs, matchers);
    }

    /**
     * Rewrites every block that has tombstones without the deleted samples (Prometheus's
     * {@code DB.CleanTombstones}, behind {@code /api/v1/admin/tsdb/clean_tombstones}): each becomes
     * a new block with the same time range, level and sources, written completely before the old
     * one is deleted. As in Prometheus the head is not rewritten: its deleted samples stay hidden by
     * the head's tombstones and are left out when the head is cut into a block. Returns how many
     * blocks were rewritten.
     */
    public int cleanTombstones() throws IOException {
        return blocks.cleanTombstones();
    }

    /**
     * Writes a snapshot into a new directory under {@code snapshotDir} (blocks hard-linked, the head
     * written as a block when {@code withHead}); returns the snapshot's directory.
     */
    public Path snapshot(Path snapshotDir, boolean withHead) throws IOException {
        return blocks.snapshot(snapshotDir, withHead ? head : null);
    }

    /**
     * Self-metrics client_java cannot register under their Prometheus names
     * ({@code prometheus_tsdb_head_series_created_total}, {@code prometheus_tsdb_head_chunks_created_total});
     * the server hands them to the web layer's /metrics.
     */
    public List<SelfMetricFamily> unregistrableMetrics() { return DbMetrics.unregistrable(head); }

    /** Head statistics for {@code /api/v1/status/tsdb}. */
    public Head.HeadStats headStats() { return head.stats(); }

    public int numBlocks() { return blocks.count(); }

    public long blocksBytes() { return blocks.bytes(); }

    /** Runs one round of head compaction and retention now (the background thread does it periodically). */
    public void maintain() {
        try {
            blocks.compactHead(head);
            blocks.compactBlocks();
            blocks.applyRetention(head);
        } catch (IOException | RuntimeException e) {
            metrics.compactionsFailed.increment();
            LOG.log(System.Logger.Level.ERROR, "TSDB maintenance failed [dir={0}, err={1}]", dir, e.toString());
        }
    }

    /** Once at start-up (a replayed head may already be due for a block), then every interval. */
    private void maintenanceLoop() {
        while (!closed) {
            maintain();
            try {
                if (closing.await(opts.maintenanceIntervalMs(), TimeUnit.MILLISECONDS)) return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // no interrupt: it would close the FileChannels the maintenance thread is using; wait for
        // a running compaction to finish instead
        closing.countDown();
        try {
            maintenance.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            head.close();
            blocks.close();
        } finally {
            try {
                lock.release();
                lockChannel.close();
                // as Prometheus's DirLocker.Release: a clean shutdown leaves no lock file behind
                Files.deleteIfExists(dir.resolve(LOCK_FILE));
            } catch (IOException e) {
                throw new UncheckedIOException("releasing DB lock failed [dir=" + dir + "]", e);
            }
        }
    }
}
