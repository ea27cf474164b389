package io.pyrometer.storage;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One querier over several (blocks and head, or local and remote): series with equal labels are
 * merged into one, their samples deduplicated by timestamp ({@link MergeSampleIterator}); the
 * result is sorted by labels. As Prometheus's {@code storage.NewMergeQuerier}.
 */
public final class MergeQuerier implements Querier {
    private final List<Querier> queriers;

    public MergeQuerier(List<Querier> queriers) { this.queriers = List.copyOf(queriers); }

    @Override
    public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
        if (queriers.size() == 1) return queriers.getFirst().select(sortSeries, hints, matchers);
        SeriesSet[] sets = new SeriesSet[queriers.size()];
        for (int i = 0; i < sets.length; i++) sets[i] = queriers.get(i).select(true, hints, matchers);
        return new MergeSeriesSet(sets);
    }

    @Override
    public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        TreeSet<String> out = new TreeSet<>();
        for (Querier q : queriers) out.addAll(q.labelValues(name, matchers));
        return new ArrayList<>(out);
    }

    @Override
    public List<String> labelNames(List<LabelMatcher> matchers) {
        TreeSet<String> out = new TreeSet<>();
        for (Querier q : queriers) out.addAll(q.labelNames(matchers));
        return new ArrayList<>(out);
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Querier q : queriers) {
            try {
                q.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    /** K-way merge of label-sorted series sets. */
    static final class MergeSeriesSet implements SeriesSet {
        private final SeriesSet[] sets;
        private final boolean[] live;
        private boolean started;
        private Series cur;

        MergeSeriesSet(SeriesSet[] sets) {
            this.sets = sets;
            this.live = new boolean[sets.length];
        }

        @Override
        public boolean next() {
            if (!started) {
                for (int i = 0; i < sets.length; i++) live[i] = sets[i].next();
                started = true;
            }
            Labels min = null;
            for (int i = 0; i < sets.length; i++) {
                if (live[i] && (min == null || sets[i].at().labels().compareTo(min) < 0)) min = sets[i].at().labels();
            }
            if (min == null) {
                cur = null;
                return false;
            }
            List<Series> same = new ArrayList<>(2);
            for (int i = 0; i < sets.length; i++) {
                if (live[i] && sets[i].at().labels().equals(min)) {
                    same.add(sets[i].at());
                    live[i] = sets[i].next();
                }
            }
            cur = same.size() == 1 ? same.getFirst() : new MergedSeries(min, same);
            return true;
        }

        @Override
        public Series at() { return cur; }

        @Override
        public Throwable err() {
            for (SeriesSet s : sets) if (s.err() != null) return s.err();
            return null;
        }

        @Override
        public List<String> warnings() {
            List<String> w = new ArrayList<>();
            for (SeriesSet s : sets) w.addAll(s.warnings());
            return w;
        }
    }

    /** Several series with the same labels read as one. */
    record MergedSeries(Labels labels, List<Series> parts) implements Series {
        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            SampleIterator[] its = new SampleIterator[parts.size()];
            for (int i = 0; i < its.length; i++) its[i] = parts.get(i).iterator(null);
            MergeSampleIterator m = reuse instanceof MergeSampleIterator x ? x : new MergeSampleIterator();
            return m.reset(its);
        }
    }
}
