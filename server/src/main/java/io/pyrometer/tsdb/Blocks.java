package io.pyrometer.tsdb;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.storage.MergeQuerier;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.tsdb.block.Block;
import io.pyrometer.tsdb.block.BlockDirs;
import io.pyrometer.tsdb.block.BlockMeta;
import io.pyrometer.tsdb.block.BlockWriter;
import io.pyrometer.tsdb.compact.Compactor;
import io.pyrometer.tsdb.compact.LeveledPlanner;
import io.pyrometer.tsdb.compact.Retention;
import io.pyrometer.tsdb.head.Head;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The persisted blocks of a DB and what moves data between head and blocks: cutting the head into
 * a block, retention by time and size, deletion tombstones, snapshots.
 *
 * <p>{@link #blocks} is an immutable list replaced under {@link #lock} (copy-on-write), so queries
 * read it without locking; a block being deleted stays mapped until its last querier closes.
 */
final class Blocks implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Blocks.class.getName());
    private static final long READER_WAIT_MS = 60_000;
    private static final LabelMatcher ALL = LabelMatcher.of(LabelMatcher.Type.RE, "__name__", ".*");

    private final Path dir;
    private final DbOptions opts;
    private final DbMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock(); // serialises compaction, retention, deletes, snapshots
    private volatile List<Block> blocks = List.of();        // sorted by min time

    Blocks(Path dir, DbOptions opts, DbMetrics metrics) throws IOException {
        this.dir = dir;
        this.opts = opts;
        this.metrics = metrics;
        int cleaned = BlockDirs.cleanTemporary(dir);
        if (cleaned > 0) LOG.log(System.Logger.Level.INFO, "removed leftovers of interrupted block writes [dir={0}, count={1}]", dir, String.valueOf(cleaned));
        List<Block> open = new ArrayList<>();
        for (Path p : BlockDirs.list(dir)) {
            try {
                open.add(Block.open(p));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "skipping unreadable block [dir={0}, err={1}]", p, e.toString());
            }
        }
        open.sort(Comparator.comparingLong(Block::minTimeMs));
        blocks = List.copyOf(dropSuperseded(open));
    }

    /**
     * Deletes blocks another block names as its parent, as Prometheus's {@code reloadBlocks} does:
     * a crash between writing a block (compaction, tombstone cleaning) and deleting its parents
     * leaves both, and the child already holds everything the parents had that was not deleted.
     */
    private static List<Block> dropSuperseded(List<Block> open) throws IOException {
        Set<String> parents = new java.util.HashSet<>();
        for (Block b : open) {
            for (BlockMeta.BlockDesc p : b.meta().compaction().parents()) parents.add(p.ulid());
        }
        if (parents.isEmpty()) return open;
        List<Block> keep = new ArrayList<>();
        for (Block b : open) {
            if (!parents.contains(b.meta().ulid())) {
                keep.add(b);
                continue;
            }
            b.close();
            BlockDirs.delete(b.dir());
            LOG.log(System.Logger.Level.INFO, "deleting block superseded by its child (an interrupted compaction or tombstone cleaning) [ulid={0}, dir={1}]",
                    b.meta().ulid(), b.dir());
        }
        return keep;
    }

    int count() { return blocks.size(); }

    long bytes() {
        long s = 0;
        for (Block b : blocks) s += b.size();
        return s;
    }

    long minTimeMs() {
        List<Block> bs = blocks;
        return bs.isEmpty() ? Long.MAX_VALUE : bs.getFirst().minTimeMs();
    }

    /** End (exclusive) of the newest block, or {@code Long.MIN_VALUE} when there is none. */
    long maxTimeMs() {
        long m = Long.MIN_VALUE;
        for (Block b : blocks) m = Math.max(m, b.maxTimeMs());
        return m;
    }

    /**
     * The head querier is taken first: a head truncation waits for it, and a block published before
     * it is in the list read after it, so data moving from head to block is never missed.
     */
    Querier querier(Head head, long mint, long maxt) {
        Querier headQuerier = head.querier(mint, maxt);
        List<Querier> qs = new ArrayList<>();
        for (Block b : blocks) {
            if (!b.overlaps(mint, maxt)) continue;
            try {
                qs.add(b.querier(mint, maxt));
            } catch (IllegalStateException e) {
                // deleted by retention meanwhile: its data is past retention anyway
            }
        }
        qs.add(headQuerier);
        return qs.size() == 1 ? qs.getFirst() : new MergeQuerier(qs);
    }

    /**
     * Cuts the head into blocks while it spans more than 1.5 block ranges, as Prometheus does:
     * each block covers one aligned range, then the head drops it and checkpoints the WAL.
     */
    void compactHead(Head head) throws IOException {
        lock.lock();
        try {
            long range = opts.blockRangeMs();
            while (head.maxTime() != Long.MIN_VALUE && head.maxTime() - head.minTime() > range * 3 / 2) {
                long mint = head.minTime();
                long maxt = Math.floorDiv(mint, range) * range + range; // exclusive
                head.setMinValidTime(maxt); // nothing may land in the range while it is written
                BlockMeta meta = writeHeadBlock(head, dir, mint, maxt, false); // the range takes no more samples
                if (meta != null) addBlock(dir.resolve(meta.ulid()));
                if (!head.waitForPendingReaders(READER_WAIT_MS)) {
                    LOG.log(System.Logger.Level.WARNING, "queriers still open after {0} ms; truncating the head anyway (a leaked querier?)",
                            String.valueOf(READER_WAIT_MS));
                }
                head.truncate(maxt);
                metrics.compactions.increment();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes head samples in {@code [mint, maxt)} as a block in {@code into}; null when there were
     * none. {@code isolation}: leave out commits in progress (a snapshot of a head still taking
     * samples in the range), as Prometheus's snapshot does; its compaction does not need it.
     */
    private static BlockMeta writeHeadBlock(Head head, Path into, long mint, long maxt, boolean isolation) throws IOException {
        long t0 = System.nanoTime();
        BlockMeta meta;
        try (Querier q = isolation ? head.querier(mint, maxt - 1) : head.compactionQuerier(mint, maxt - 1)) {
            // Streamed: the querier sorts the series (references only) and copies one series' chunks
            // at a time as the writer asks for it; collecting every series first held a copy of all
            // open chunks and chunk lists (~0.7 KiB per series) for the whole write.
            Set<String> symbols = new HashSet<>();
            for (String name : q.labelNames(List.of())) {
                symbols.add(name);
                symbols.addAll(q.labelValues(name, List.of()));
            }
            SeriesSet sorted = q.select(true, SelectHints.range(mint, maxt - 1), List.of(ALL));
            meta = new BlockWriter(into).writeSorted(sorted, symbols, mint, maxt);
        }
        if (meta == null) return null;
        LOG.log(System.Logger.Level.INFO, "write block [ulid={0}, mint={1}, maxt={2}, series={3}, duration_ms={4}]", meta.ulid(),
                String.valueOf(mint), String.valueOf(maxt), String.valueOf(meta.stats().numSeries()), String.valueOf((System.nanoTime() - t0) / 1_000_000));
        return meta;
    }

    private void addBlock(Path p) throws IOException {
        List<Block> next = new ArrayList<>(blocks);
        next.add(Block.open(p));
        next.sort(Comparator.comparingLong(Block::minTimeMs));
        blocks = List.copyOf(next);
    }

    /**
     * Merges blocks as Prometheus's leveled compactor plans it (2h into 6h, 18h, …), then reloads
     * the block list: new blocks are opened, parents closed (their files are already deleted;
     * queriers still reading them keep their mappings until they close).
     */
    void compactBlocks() throws IOException {
        lock.lock();
        try {
            Compactor c = new Compactor(dir, new LeveledPlanner(LeveledPlanner.defaultRanges(opts.retentionMs())));
            for (int i = 0; i < 16 && !c.plan().isEmpty(); i++) {
                BlockMeta made = c.compactOnce();
                metrics.compactions.increment();
                LOG.log(System.Logger.Level.INFO, "compacted blocks [ulid={0}]", made == null ? "none (all deleted)" : made.ulid());
                reload();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Makes {@link #blocks} match the block directories on disk. */
    private void reload() throws IOException {
        List<Path> onDisk = BlockDirs.list(dir);
        List<Block> next = new ArrayList<>();
        for (Block b : blocks) {
            if (onDisk.remove(b.dir())) next.add(b);
            else b.close();
        }
        for (Path p : onDisk) next.add(Block.open(p));
        next.sort(Comparator.comparingLong(Block::minTimeMs));
        blocks = List.copyOf(next);
    }

    /** Deletes blocks beyond time or size retention ({@link Retention}; WAL and head chunks count towards size). */
    void applyRetention(Head head) throws IOException {
        lock.lock();
        try {
            List<Block> bs = blocks;
            if (bs.isEmpty()) return;
            List<Retention.BlockInfo> infos = new ArrayList<>();
            for (Block b : bs) infos.add(new Retention.BlockInfo(b.meta(), b.size()));
            Set<String> byTime = Retention.beyondTime(infos, opts.retentionMs());
            Set<String> bySize = Retention.beyondSize(infos, opts.retentionBytes(), head.diskBytes());
            if (!byTime.isEmpty()) metrics.timeRetentions.increment();
            if (!bySize.isEmpty()) metrics.sizeRetentions.increment();
            List<Block> keep = new ArrayList<>();
            List<Block> drop = new ArrayList<>();
            for (Block b : bs) {
                String u = b.meta().ulid();
                (byTime.contains(u) || bySize.contains(u) ? drop : keep).add(b);
            }
            if (drop.isEmpty()) return;
            blocks = List.copyOf(keep);
            for (Block b : drop) {
                b.close();
                BlockDirs.delete(b.dir());
                LOG.log(System.Logger.Level.INFO, "deleting block past retention [ulid={0}, mint={1}, maxt={2}, reason={3}]", b.meta().ulid(),
                        String.valueOf(b.minTimeMs()), String.valueOf(b.maxTimeMs()), byTime.contains(b.meta().ulid()) ? "time" : "size");
            }
        } finally {
            lock.unlock();
        }
    }

    /** Adds tombstones for matching series to every overlapping block ({@link Block#delete}, as Prometheus's). */
    void delete(long mint, long maxt, List<LabelMatcher> matchers) throws IOException {
        lock.lock();
        try {
            for (Block b : blocks) if (b.overlaps(mint, maxt)) b.delete(matchers, mint, maxt);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rewrites every block that has tombstones without the deleted samples ({@link Compactor#rewriteWithoutTombstones}),
     * one at a time, then makes the block list match the disk (also after a failure part-way).
     * Queriers already open keep reading the old blocks until they close. Returns how many blocks
     * were rewritten (or deleted because nothing was left).
     */
    int cleanTombstones() throws IOException {
        lock.lock();
        long start = System.nanoTime();
        int cleaned = 0;
        boolean attempted = false;
        try {
            Compactor c = new Compactor(dir, new LeveledPlanner(LeveledPlanner.defaultRanges(opts.retentionMs())));
            for (Block b : blocks) {
                if (b.tombstones().isEmpty()) continue;
                attempted = true;
                cleanOne(c, b);
                cleaned++;
            }
            return cleaned;
        } finally {
            try {
                if (attempted) reload(); // also after a failure: the disk may hold a new block already
            } finally {
                metrics.observeTombstoneCleanupNanos(System.nanoTime() - start);
                lock.unlock();
            }
        }
    }

    private static void cleanOne(Compactor c, Block b) throws IOException {
        long t0 = System.nanoTime();
        BlockMeta old = b.meta();
        BlockMeta made;
        try {
            made = c.rewriteWithoutTombstones(b.dir());
        } catch (IOException | RuntimeException e) {
            throw new IOException("clean tombstones: " + b.dir() + ": " + e.getMessage(), e); // Prometheus's wording
        }
        LOG.log(System.Logger.Level.INFO, "clean tombstones: rewrote block [old={0}, new={1}, mint={2}, maxt={3}, tombstones={4}, "
                + "series_before={5}, series_after={6}, samples_before={7}, samples_after={8}, duration_ms={9}]",
                old.ulid(), made == null ? "none (every sample deleted)" : made.ulid(), String.valueOf(old.minTimeMs()),
                String.valueOf(old.maxTimeMs()), String.valueOf(old.stats().numTombstones()), String.valueOf(old.stats().numSeries()),
                String.valueOf(made == null ? 0 : made.stats().numSeries()), String.valueOf(old.stats().numSamples()),
                String.valueOf(made == null ? 0 : made.stats().numSamples()), String.valueOf((System.nanoTime() - t0) / 1_000_000));
    }

    /** Hard-links every block into a new snapshot directory and writes the head as a block too. */
    Path snapshot(Path snapshotDir, Head head) throws IOException {
        lock.lock();
        try {
            // Prometheus's name: <UTC time>-<16 hex digits>
            String name = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
                    .format(java.time.Instant.now()) + "-" + String.format("%016x", ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
            Path out = snapshotDir.resolve(name);
            Files.createDirectories(out);
            for (Block b : blocks) linkTree(b.dir(), out.resolve(b.dir().getFileName()));
            if (head != null && head.maxTime() != Long.MIN_VALUE) writeHeadBlock(head, out, head.minTime(), head.maxTime() + 1, true);
            return out;
        } finally {
            lock.unlock();
        }
    }

    private static void linkTree(Path src, Path dst) throws IOException {
        try (var s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.createLink(t, p);
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            for (Block b : blocks) b.close();
            blocks = List.of();
        } finally {
            lock.unlock();
        }
    }
}
