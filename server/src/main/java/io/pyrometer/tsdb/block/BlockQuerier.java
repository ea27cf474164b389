package io.pyrometer.tsdb.block;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.Series;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.tsdb.chunks.ChunkMeta;
import io.pyrometer.tsdb.index.IndexReader;
import io.pyrometer.tsdb.index.Postings;
import io.pyrometer.tsdb.index.Utf8Order;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads a {@link Block} over an inclusive time range: series via postings, chunks decoded lazily
 * from the mapping, samples outside the range or deleted by tombstones skipped. Series come in
 * label order whatever {@code sortSeries} says (postings are sorted). Close releases the block.
 */
public final class BlockQuerier implements Querier {
    private final Block block;
    private final IndexReader index;
    private final long mint;
    private final long maxt;
    private boolean closed;

    BlockQuerier(Block block, long mint, long maxt) {
        this.block = block;
        this.index = block.index();
        this.mint = mint;
        this.maxt = maxt;
    }

    @Override
    public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
        long from = mint, to = maxt;
        if (hints != null) {
            from = Math.max(from, hints.startMs());
            to = Math.min(to, hints.endMs());
        }
        // one querier serves every selector of a query: skip a block outside this selector's range
        if (from > to || !block.overlaps(from, to)) return SeriesSet.EMPTY;
        try {
            return new BlockSeriesSet(MatcherPostings.forMatchers(index, matchers), from, to);
        } catch (IOException e) {
            return failed(e);
        }
    }

    private static SeriesSet failed(Throwable e) {
        return new SeriesSet() {
            public boolean next() { return false; }
            public Series at() { throw new IllegalStateException("failed series set", e); }
            public Throwable err() { return e; }
        };
    }

    @Override
    public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        if (matchers.isEmpty()) return index.labelValues(name);
        TreeSet<String> out = new TreeSet<>(Utf8Order.STRINGS);
        forMatching(matchers, l -> {
            String v = l.get(name);
            if (!v.isEmpty()) out.add(v);
        });
        return new ArrayList<>(out);
    }

    @Override
    public List<String> labelNames(List<LabelMatcher> matchers) {
        if (matchers.isEmpty()) return index.labelNames();
        TreeSet<String> out = new TreeSet<>(Utf8Order.STRINGS);
        forMatching(matchers, l -> out.addAll(l.names()));
        return new ArrayList<>(out);
    }

    private void forMatching(List<LabelMatcher> matchers, java.util.function.Consumer<Labels> f) {
        try {
            Postings p = MatcherPostings.forMatchers(index, matchers);
            while (p.next()) f.accept(index.series(p.at()).labels());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        block.release();
    }

    /** Series of the postings with at least one chunk in {@code [from, to]} not wholly deleted. */
    private final class BlockSeriesSet implements SeriesSet {
        private final Postings postings;
        private final long from;
        private final long to;
        private BlockSeries cur;
        private Throwable err;

        BlockSeriesSet(Postings postings, long from, long to) {
            this.postings = postings;
            this.from = from;
            this.to = to;
        }

        @Override
        public boolean next() {
            if (err != null) return false;
            try {
                while (postings.next()) {
                    long ref = postings.at();
                    IndexReader.SeriesEntry e = index.series(ref);
                    Intervals deleted = block.tombstones().get(ref);
                    List<ChunkMeta> keep = new ArrayList<>(e.chunks().size());
                    for (ChunkMeta c : e.chunks()) {
                        if (c.overlaps(from, to) && !deleted.covers(c.minTimeMs(), c.maxTimeMs())) keep.add(c);
                    }
                    if (keep.isEmpty()) continue;
                    cur = new BlockSeries(e.labels(), keep, deleted);
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                err = e;
            }
            return false;
        }

        @Override
        public Series at() { return cur; }

        @Override
        public Throwable err() { return err; }

        private final class BlockSeries implements Series {
            private final Labels labels;
            private final List<ChunkMeta> chunks;
            private final Intervals deleted;

            BlockSeries(Labels labels, List<ChunkMeta> chunks, Intervals deleted) {
                this.labels = labels;
                this.chunks = chunks;
                this.deleted = deleted;
            }

            @Override
            public Labels labels() { return labels; }

            @Override
            public SampleIterator iterator(SampleIterator reuse) {
                BlockSeriesIterator it = reuse instanceof BlockSeriesIterator b ? b : new BlockSeriesIterator();
                it.reset(block.chunks(), chunks, deleted, from, to);
                return it;
            }
        }
    }
}
