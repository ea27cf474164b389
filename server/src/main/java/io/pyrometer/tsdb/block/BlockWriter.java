package io.pyrometer.tsdb.block;

import io.pyrometer.model.Labels;
import io.pyrometer.storage.ArraySeries;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.Series;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import io.pyrometer.tsdb.chunkenc.Encoding;
import io.pyrometer.tsdb.chunkenc.XorAppender;
import io.pyrometer.tsdb.chunkenc.XorChunk;
import io.pyrometer.tsdb.chunks.ChunkMeta;
import io.pyrometer.tsdb.chunks.ChunkWriter;
import io.pyrometer.tsdb.index.IndexFormat;
import io.pyrometer.tsdb.index.IndexWriter;
import io.pyrometer.tsdb.index.Utf8Order;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes immutable blocks into a data directory. A block is built in
 * {@code <ulid>.tmp-for-creation}, every file fsynced, then atomically renamed to {@code <ulid>}:
 * readers never see a half-written block, and {@link BlockDirs#cleanTemporary} removes leftovers.
 *
 * <pre>{@code
 * BlockMeta meta = new BlockWriter(dataDir).write(seriesList, 0, 7_200_000);
 * }</pre>
 */
public final class BlockWriter {
    /** Prometheus cuts a chunk after 120 samples. */
    public static final int SAMPLES_PER_CHUNK = 120;
    public static final String TMP_FOR_CREATION = ".tmp-for-creation";
    public static final String CHUNKS_DIR = "chunks";

    private final Path dataDir;

    public BlockWriter(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** An encoded chunk with its first and last sample timestamps (inclusive). */
    public record ChunkData(long minTimeMs, long maxTimeMs, XorChunk chunk) {}

    /**
     * Writes a level-1 block holding the samples of {@code series} in {@code [minTimeMs, maxTimeMs)}
     * (others are left out), re-encoded into chunks of at most 120 samples. Series are sorted here;
     * series without samples in range are not written.
     */
    public BlockMeta write(List<? extends Series> series, long minTimeMs, long maxTimeMs) throws IOException {
        List<Series> sorted = new ArrayList<>(series);
        sorted.sort((a, b) -> Utf8Order.compare(a.labels(), b.labels()));
        Set<String> symbols = new HashSet<>();
        for (Series s : sorted) addSymbols(symbols, s.labels());
        try (Session s = open(symbols, minTimeMs, maxTimeMs, null)) {
            addAll(s, ArraySeries.setOf(sorted));
            return s.commit();
        }
    }

    /**
     * As {@link #write(List, long, long)} for series that arrive one at a time in label order
     * ({@link Utf8Order}), so only the current series' samples are held: a head of millions of
     * series is written without a copy of all of them. {@code symbols} must hold every label
     * name and value of the series (more is allowed). Returns null, leaving nothing behind, when
     * no series has a sample in range.
     */
    public BlockMeta writeSorted(SeriesSet sorted, Collection<String> symbols, long minTimeMs, long maxTimeMs) throws IOException {
        try (Session s = open(symbols, minTimeMs, maxTimeMs, null)) {
            return addAll(s, sorted) > 0 ? s.commit() : null;
        }
    }

    /** Adds every series of {@code set} with samples in the block's range; returns how many. */
    private static long addAll(Session s, SeriesSet set) throws IOException {
        long added = 0;
        SampleIterator reuse = null;
        while (set.next()) {
            Series x = set.at();
            reuse = x.iterator(reuse);
            if (s.addSeries(x.labels(), reuse) >= 0) added++;
        }
        if (set.err() != null) throw new IOException("reading series for the block: " + set.err().getMessage(), set.err());
        return added;
    }

    static void addSymbols(Set<String> symbols, Labels l) {
        for (int i = 0; i < l.size(); i++) {
            symbols.add(l.name(i));
            symbols.add(l.value(i));
        }
    }

    /**
     * Starts a block. {@code symbols} must hold every label name and value that will be added;
     * {@code compaction} null means a fresh level-1 block.
     */
    public Session open(Collection<String> symbols, long minTimeMs, long maxTimeMs, BlockMeta.Compaction compaction) throws IOException {
        if (maxTimeMs <= minTimeMs) {
            throw new IllegalArgumentException("block time range is empty [minTime=" + minTimeMs + ", maxTime=" + maxTimeMs + "]");
        }
        Files.createDirectories(dataDir);
        return new Session(Ulid.generate(), symbols, minTimeMs, maxTimeMs, compaction);
    }

    /** One block being written. Close without {@link #commit()} to abandon it (the temp dir is removed). */
    public final class Session implements AutoCloseable {
        private final String ulid;
        private final Path tmp;
        private final long minTimeMs;
        private final long maxTimeMs;
        private final BlockMeta.Compaction compaction;
        private final ChunkWriter chunkWriter;
        private final IndexWriter indexWriter;
        private final Tombstones tombstones = new Tombstones();
        private final List<ChunkMeta> metas = new ArrayList<>();
        private final List<ChunkData> cut = new ArrayList<>();
        private long numSamples;
        private long numSeries;
        private long numChunks;
        private boolean done;

        private Session(String ulid, Collection<String> symbols, long minTimeMs, long maxTimeMs, BlockMeta.Compaction compaction) throws IOException {
            this.ulid = ulid;
            this.tmp = dataDir.resolve(ulid + TMP_FOR_CREATION);
            this.minTimeMs = minTimeMs;
            this.maxTimeMs = maxTimeMs;
            this.compaction = compaction != null ? compaction : BlockMeta.Compaction.level1(ulid);
            Files.createDirectories(tmp);
            this.chunkWriter = new ChunkWriter(tmp.resolve(CHUNKS_DIR));
            this.indexWriter = new IndexWriter(tmp.resolve(IndexFormat.INDEX_FILENAME), symbols);
        }

        public String ulid() { return ulid; }

        /**
         * Adds a series from already encoded chunks (sorted by time, not overlapping). Series must
         * be added in label order. Returns the series reference, or -1 when {@code chunks} is empty.
         */
        public long addSeries(Labels labels, List<ChunkData> chunks) throws IOException {
            if (chunks.isEmpty()) return -1;
            metas.clear();
            for (ChunkData c : chunks) {
                long ref = chunkWriter.write(Encoding.XOR, c.chunk().data());
                metas.add(new ChunkMeta(ref, c.minTimeMs(), c.maxTimeMs()));
                numSamples += c.chunk().numSamples();
            }
            numChunks += chunks.size();
            numSeries++;
            return indexWriter.addSeries(labels, metas);
        }

        /** Adds a series from samples, keeping those in the block's range, cut into 120-sample chunks. */
        public long addSeries(Labels labels, SampleIterator it) throws IOException {
            cut.clear();
            XorChunk chunk = null;
            XorAppender app = new XorAppender();
            long first = 0, last = Long.MIN_VALUE;
            for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
                if (vt != ValueType.FLOAT) throw new IOException("native histograms are not supported in blocks yet [series=" + labels + "]");
                long t = it.atT();
                if (t < minTimeMs || t >= maxTimeMs || t <= last) continue;
                if (chunk == null || app.numSamples() >= SAMPLES_PER_CHUNK) {
                    if (chunk != null) cut.add(new ChunkData(first, last, chunk));
                    chunk = XorChunk.create();
                    app.reset(chunk);
                    first = t;
                }
                app.append(t, it.atV());
                last = t;
            }
            if (it.err() != null) throw new IOException("reading samples of series " + labels + ": " + it.err().getMessage(), it.err());
            if (chunk != null) cut.add(new ChunkData(first, last, chunk));
            return addSeries(labels, List.copyOf(cut));
        }

        /** Tombstones to store with the block (by the references {@code addSeries} returned). */
        public Tombstones tombstones() { return tombstones; }

        /** Finishes every file, writes meta.json and renames the block into place. */
        public BlockMeta commit() throws IOException {
            if (done) throw new IllegalStateException("block already committed or abandoned [ulid=" + ulid + "]");
            chunkWriter.close();
            indexWriter.close();
            tombstones.write(tmp);
            BlockMeta meta = new BlockMeta(ulid, minTimeMs, maxTimeMs,
                    new BlockMeta.Stats(numSamples, numSeries, numChunks, tombstones.count()), compaction, BlockMeta.META_VERSION_1);
            meta.write(tmp);
            FsUtil.syncDir(tmp.resolve(CHUNKS_DIR));
            FsUtil.syncDir(tmp);
            FsUtil.replace(tmp, dataDir.resolve(ulid));
            done = true;
            return meta;
        }

        @Override
        public void close() throws IOException {
            if (done) return;
            done = true;
            try {
                chunkWriter.close();
                indexWriter.close();
            } finally {
                FsUtil.deleteRecursively(tmp);
            }
        }
    }
}
