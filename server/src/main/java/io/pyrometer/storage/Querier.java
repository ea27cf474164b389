package io.pyrometer.storage;

import io.pyrometer.model.LabelMatcher;
import java.util.List;

/** Reads series over a fixed time range. Close it to release resources (mmaps, locks). */
public interface Querier extends AutoCloseable {
    /**
     * Series matching all matchers. When {@code sortSeries} is true the set is sorted by labels.
     * At least one matcher must not match the empty string, or the result may be everything.
     */
    SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers);

    /** Sorted distinct values of {@code name} among series matching {@code matchers} (all if empty). */
    List<String> labelValues(String name, List<LabelMatcher> matchers);

    /** Sorted distinct label names among series matching {@code matchers} (all if empty). */
    List<String> labelNames(List<LabelMatcher> matchers);

    @Override
    void close();
}
