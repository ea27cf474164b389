package io.pyrometer.promql.engine;

/**
 * The evaluation timestamps of a query or subquery: {@code start, start+step, ..., end}. An
 * instant query is a grid of one step.
 */
record Grid(long startMs, long endMs, long stepMs) {
    static Grid instant(long t) { return new Grid(t, t, 0); }

    int steps() { return stepMs == 0 ? 1 : (int) ((endMs - startMs) / stepMs) + 1; }

    long t(int i) { return startMs + i * stepMs; }
}
