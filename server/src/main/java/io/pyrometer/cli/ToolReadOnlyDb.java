package io.pyrometer.cli;

import io.pyrometer.storage.MergeQuerier;
import io.pyrometer.storage.Querier;
import io.pyrometer.tsdb.block.Block;
import io.pyrometer.tsdb.block.BlockDirs;
import io.pyrometer.tsdb.block.BlockMeta;
import io.pyrometer.tsdb.head.Head;
import io.pyrometer.tsdb.head.HeadOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A data directory opened for reading only, like Prometheus's {@code tsdb.OpenDBReadOnly}: the
 * blocks are mapped as they are, and the head is replayed from a copy of {@code wal/} and
 * {@code chunks_head/} in a temporary directory (our {@link Head} always opens a new WAL segment,
 * so it never runs on the live directory). No lock is taken: a running server may keep writing.
 */
final class ToolReadOnlyDb implements AutoCloseable {
    /** WAL replay logs at info; a tool prints only its own output. Held so the level sticks (JUL keeps loggers weakly). */
    private static final java.util.logging.Logger TSDB_LOG = java.util.logging.Logger.getLogger("io.pyrometer.tsdb");

    private final List<Block> blocks;
    private final Head head;
    private final Path headCopy;

    private ToolReadOnlyDb(List<Block> blocks, Head head, Path headCopy) {
        this.blocks = blocks;
        this.head = head;
        this.headCopy = headCopy;
    }

    /** Opens the blocks and, when {@code dir/wal} exists, the head; notes on {@code err} what is left out. */
    static ToolReadOnlyDb open(Path dir, PrintStream err) throws IOException {
        if (TSDB_LOG.getLevel() == null) TSDB_LOG.setLevel(java.util.logging.Level.WARNING);
        List<Block> blocks = new ArrayList<>();
        Head head = null;
        Path copy = null;
        try {
            long maxt = Long.MIN_VALUE;
            for (Path p : blockDirsByMinTime(dir)) {
                Block b = Block.open(p);
                blocks.add(b);
                maxt = Math.max(maxt, b.maxTimeMs());
            }
            Path wal = dir.resolve("wal");
            if (Files.isDirectory(wal)) {
                copy = Files.createTempDirectory("pyrometer-tool-head");
                copyTree(wal, copy.resolve("wal"));
                if (Files.isDirectory(dir.resolve("chunks_head"))) copyTree(dir.resolve("chunks_head"), copy.resolve("chunks_head"));
                head = Head.open(copy, HeadOptions.defaults(), maxt, null);
            } else {
                err.println("note: " + wal + " does not exist: reading blocks only, no head samples");
            }
            return new ToolReadOnlyDb(blocks, head, copy);
        } catch (IOException | RuntimeException e) {
            new ToolReadOnlyDb(blocks, head, copy).close();
            throw e;
        }
    }

    /** Block directories of {@code dir} ordered by min time, then ULID, as Prometheus's {@code DB.Blocks()}. */
    static List<Path> blockDirsByMinTime(Path dir) throws IOException {
        record Entry(Path dir, long minTimeMs) {}
        List<Entry> es = new ArrayList<>();
        for (Path p : BlockDirs.list(dir)) es.add(new Entry(p, BlockMeta.read(p).minTimeMs()));
        es.sort(Comparator.comparingLong(Entry::minTimeMs).thenComparing(e -> e.dir().getFileName().toString()));
        List<Path> out = new ArrayList<>(es.size());
        for (Entry e : es) out.add(e.dir());
        return out;
    }

    /** Blocks and head over the inclusive range, merged and label-sorted; close it before this. */
    Querier querier(long mint, long maxt) {
        List<Querier> qs = new ArrayList<>();
        for (Block b : blocks) if (b.overlaps(mint, maxt)) qs.add(b.querier(mint, maxt));
        if (head != null) qs.add(head.querier(mint, maxt));
        return new MergeQuerier(qs);
    }

    @Override
    public void close() {
        for (Block b : blocks) b.close();
        if (head != null) head.close();
        if (headCopy != null) {
            try {
                deleteTree(headCopy);
            } catch (IOException e) {
                // a temp directory left behind is harmless
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.copy(f, to.resolve(from.relativize(f).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
