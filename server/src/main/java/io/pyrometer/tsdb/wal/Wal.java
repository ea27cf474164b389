package io.pyrometer.tsdb.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * Write-ahead log in Prometheus's layout: numbered segment files of {@link #PAGE_SIZE} pages,
 * records split into fragments with a 7-byte header (see {@code docs/format/wal.md}).
 *
 * <p><b>Durability.</b> {@link #log} hands each record to the operating system before it returns,
 * so an acknowledged record survives a crash of the process (kill -9). It reaches the disk (and
 * survives power loss) when its segment is closed or cut, on {@link #sync()}, or on every call
 * when {@code syncOnLog} is set, which costs one fsync per commit. This is Prometheus's default
 * policy too; the fsync duration is reported through the observer given to the constructor.
 *
 * <p><b>Write failures</b> (disk full) leave no partial record behind: the segment is truncated
 * back to the end of the last whole record and {@link IOException} is rethrown, so the caller can
 * report the samples as not stored and try again later.
 *
 * <p>Thread-safe: one lock around every write ({@link #lock}); rejected alternative: one writer
 * thread with a queue, which adds a hand-off per commit and no throughput on two cores.
 */
public final class Wal implements AutoCloseable {
    public static final int PAGE_SIZE = 32 * 1024;
    public static final int RECORD_HEADER_SIZE = 7;
    public static final long DEFAULT_SEGMENT_SIZE = 128L * 1024 * 1024;
    static final int REC_PAGE_TERM = 0;
    static final int REC_FULL = 1;
    static final int REC_FIRST = 2;
    static final int REC_MIDDLE = 3;
    static final int REC_LAST = 4;

    private static final System.Logger LOG = System.getLogger(Wal.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Path dir;
    private final long segmentSize;
    private final boolean syncOnLog;
    private final LongConsumer fsyncNanos;
    private final CRC32C crc = new CRC32C();
    // all guarded by lock
    private final byte[] page = new byte[PAGE_SIZE];
    private final ByteBuffer pageBuf = ByteBuffer.wrap(page);
    private FileChannel segment;
    private int segmentIndex;
    private long donePages;   // full pages already written to the current segment
    private int pageAlloc;    // bytes used in the current page
    private int pageFlushed;  // bytes of the current page already written to the file
    private boolean closed;

    /**
     * Opens the WAL in {@code dir} (created if missing) and starts a new segment after the last
     * existing one, as Prometheus does: old segments are only read, never appended to.
     */
    public Wal(Path dir, long segmentSize, boolean syncOnLog, LongConsumer fsyncNanos) throws IOException {
        if (segmentSize < 2L * PAGE_SIZE || segmentSize % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("WAL segment size must be a multiple of " + PAGE_SIZE + " of at least two pages [size=" + segmentSize + "]");
        }
        this.dir = dir;
        this.segmentSize = segmentSize;
        this.syncOnLog = syncOnLog;
        this.fsyncNanos = fsyncNanos == null ? n -> {} : fsyncNanos;
        Files.createDirectories(dir);
        List<Integer> existing = Segments.list(dir);
        openSegment(existing.isEmpty() ? 0 : existing.getLast() + 1);
    }

    public Path dir() { return dir; }

    /** Index of the segment currently written. */
    public int currentSegment() {
        lock.lock();
        try {
            return segmentIndex;
        } finally {
            lock.unlock();
        }
    }

    private void openSegment(int index) throws IOException {
        Path p = dir.resolve(Segments.name(index));
        segment = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        segmentIndex = index;
        donePages = 0;
        pageAlloc = 0;
        pageFlushed = 0;
        java.util.Arrays.fill(page, (byte) 0);
    }

    /** Closes the current segment (fsync) and starts the next one; returns the new index. */
    public int nextSegment() throws IOException {
        lock.lock();
        try {
            cutLocked();
            return segmentIndex;
        } finally {
            lock.unlock();
        }
    }

    private void cutLocked() throws IOException {
        if (pageAlloc > 0) flushPage(true);
        syncLocked();
        segment.close();
        openSegment(segmentIndex + 1);
    }

    /** Writes one record (a whole commit) and returns after the OS has it; see class doc. */
    public void log(byte[] rec, int len) throws IOException {
        lock.lock();
        try {
            if (closed) throw new IOException("WAL is closed [dir=" + dir + "]");
            long used = donePages * PAGE_SIZE + pageAlloc;
            long need = len + (long) RECORD_HEADER_SIZE * (len / (PAGE_SIZE - RECORD_HEADER_SIZE) + 2);
            if (used > 0 && used + need > segmentSize) cutLocked();
            long startPages = donePages;
            int startAlloc = pageAlloc, startFlushed = pageFlushed;
            try {
                writeFragments(rec, len);
                if (pageAlloc > pageFlushed) flushPage(false);
                if (syncOnLog) syncLocked();
            } catch (IOException e) {
                undo(startPages, startAlloc, startFlushed);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private void writeFragments(byte[] rec, int len) throws IOException {
        int off = 0;
        boolean first = true;
        do {
            if (PAGE_SIZE - pageAlloc <= RECORD_HEADER_SIZE) flushPage(true);
            int n = Math.min(len - off, PAGE_SIZE - pageAlloc - RECORD_HEADER_SIZE);
            boolean last = off + n == len;
            int type = first && last ? REC_FULL : first ? REC_FIRST : last ? REC_LAST : REC_MIDDLE;
            crc.reset();
            crc.update(rec, off, n);
            int c = (int) crc.getValue();
            int p = pageAlloc;
            page[p] = (byte) type;
            page[p + 1] = (byte) (n >>> 8);
            page[p + 2] = (byte) n;
            page[p + 3] = (byte) (c >>> 24);
            page[p + 4] = (byte) (c >>> 16);
            page[p + 5] = (byte) (c >>> 8);
            page[p + 6] = (byte) c;
            System.arraycopy(rec, off, page, p + RECORD_HEADER_SIZE, n);
            pageAlloc = p + RECORD_HEADER_SIZE + n;
            off += n;
            first = false;
            if (pageAlloc == PAGE_SIZE) flushPage(true);
        } while (off < len);
    }

    /** Writes the unwritten part of the page; a full flush pads with zeros and starts a new page. */
    private void flushPage(boolean full) throws IOException {
        int end = full ? PAGE_SIZE : pageAlloc;
        pageBuf.limit(end).position(pageFlushed);
        long pos = donePages * PAGE_SIZE + pageFlushed;
        while (pageBuf.hasRemaining()) pos += segment.write(pageBuf, pos);
        if (full) {
            java.util.Arrays.fill(page, (byte) 0);
            donePages++;
            pageAlloc = 0;
            pageFlushed = 0;
        } else {
            pageFlushed = pageAlloc;
        }
    }

    /** Forgets a record that failed half-way: truncate the file and rebuild the page buffer. */
    private void undo(long pages, int alloc, int flushed) {
        long keep = pages * PAGE_SIZE + flushed;
        try {
            segment.truncate(keep);
            java.util.Arrays.fill(page, (byte) 0);
            if (flushed > 0) segment.read(ByteBuffer.wrap(page, 0, flushed), pages * PAGE_SIZE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "WAL undo after write failure failed; the segment may end in a torn record [segment={0}, err={1}]",
                    segmentIndex, e.toString());
        }
        donePages = pages;
        pageAlloc = flushed;
        pageFlushed = flushed;
        if (alloc != flushed) LOG.log(System.Logger.Level.DEBUG, "discarded unflushed page bytes [bytes={0}]", alloc - flushed);
    }

    /** Forces written records to disk. */
    public void sync() throws IOException {
        lock.lock();
        try {
            if (!closed) syncLocked();
        } finally {
            lock.unlock();
        }
    }

    private void syncLocked() throws IOException {
        long t0 = System.nanoTime();
        segment.force(false);
        fsyncNanos.accept(System.nanoTime() - t0);
    }

    /** Deletes segments with index below {@code index} (after a checkpoint covers them). */
    public void truncateBefore(int index) throws IOException {
        for (int i : Segments.list(dir)) {
            if (i < index) Files.deleteIfExists(dir.resolve(Segments.name(i)));
        }
    }

    /** Total bytes of the WAL directory (segments and checkpoints), for size-based retention. */
    public long sizeBytes() {
        try (var s = Files.walk(dir)) {
            long[] total = {0};
            s.filter(Files::isRegularFile).forEach(p -> total[0] += p.toFile().length());
            return total[0];
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            if (pageAlloc > pageFlushed) flushPage(false);
            syncLocked();
            segment.close();
        } finally {
            lock.unlock();
        }
    }

    /** Segment file naming: eight decimal digits. */
    public static final class Segments {
        private Segments() {}

        public static String name(int index) { return String.format("%08d", index); }

        /** Sorted indexes of the segment files in {@code dir}. */
        public static List<Integer> list(Path dir) throws IOException {
            List<Integer> out = new ArrayList<>();
            if (!Files.isDirectory(dir)) return out;
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String n = p.getFileName().toString();
                    if (n.length() == 8 && n.chars().allMatch(Character::isDigit)) out.add(Integer.parseInt(n));
                }
            }
            out.sort(null);
            return out;
        }
    }
}
