package io.pyrometer.promql.engine;

import io.pyrometer.model.Labels;
import java.util.List;

/** What a node evaluates to over a {@link Grid}: a column per step. */
sealed interface EvalValue permits EvalValue.ScalarCol, EvalValue.Str, EvalValue.Vec {

    /** A scalar at every step. */
    record ScalarCol(double[] v) implements EvalValue {}

    record Str(String s) implements EvalValue {}

    /** An instant vector at every step; the list order is the instant-query result order. */
    record Vec(List<StepSeries> series) implements EvalValue {}

    /**
     * The raw samples of one series of a range-vector argument (a matrix selector or a
     * subquery), sorted by time, stale markers removed.
     */
    record RawSeries(Labels labels, boolean dropName, long[] ts, double[] vs, int n) {}
}
