package io.pyrometer.model.textparse;

import io.pyrometer.model.Labels;

/**
 * A mutable, reusable OpenMetrics exemplar ({@code # {trace_id="x"} 1.0 123.456}) filled in by
 * {@link ExpositionParser#exemplar(Exemplar)}. Keep one per scrape loop and copy what you keep.
 */
public final class Exemplar {
    private Labels labels = Labels.EMPTY;
    private double value;
    private boolean hasTimestamp;
    private long timestampMs;

    public Labels labels() { return labels; }
    public double value() { return value; }
    public boolean hasTimestamp() { return hasTimestamp; }
    /** Milliseconds since the epoch; meaningful only when {@link #hasTimestamp()}. */
    public long timestampMs() { return timestampMs; }

    void set(Labels labels, double value, boolean hasTimestamp, long timestampMs) {
        this.labels = labels;
        this.value = value;
        this.hasTimestamp = hasTimestamp;
        this.timestampMs = hasTimestamp ? timestampMs : 0;
    }

    @Override
    public String toString() {
        return labels + " " + value + (hasTimestamp ? " @" + timestampMs : "");
    }
}
