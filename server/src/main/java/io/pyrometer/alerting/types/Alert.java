package io.pyrometer.alerting.types;

import io.pyrometer.model.Labels;

/**
 * An alert held by the router ({@code types.Alert}): Prometheus's alert plus when it was last
 * received and whether its end time was inferred ({@code timeout}: posted without {@code endsAt},
 * so it resolves {@code resolve_timeout} after the last receipt unless re-sent).
 *
 * @param endsAtMs 0 when unknown
 */
public record Alert(Labels labels, Labels annotations, long startsAtMs, long endsAtMs, String generatorUrl,
                    long updatedAtMs, boolean timeout, long fingerprint) {

    public static Alert of(Labels labels, Labels annotations, long startsAtMs, long endsAtMs, String generatorUrl,
                           long updatedAtMs, boolean timeout) {
        return new Alert(labels, annotations, startsAtMs, endsAtMs, generatorUrl, updatedAtMs, timeout, Fingerprints.of(labels));
    }

    /** {@code Alert.ResolvedAt}: has an end time not after {@code nowMs}. */
    public boolean resolvedAt(long nowMs) { return endsAtMs != 0 && endsAtMs <= nowMs; }

    public String fingerprintHex() { return Fingerprints.hex(fingerprint); }

    public Alert withEndsAt(long ms, boolean timeout) {
        return new Alert(labels, annotations, startsAtMs, ms, generatorUrl, updatedAtMs, timeout, fingerprint);
    }

    /**
     * {@code types.Alert.Merge}: the most recently updated alert wins, keeping the earliest start;
     * an explicit end time beats an inferred one when it is later.
     */
    public Alert merge(Alert o, long nowMs) {
        if (o.updatedAtMs < updatedAtMs) return o.merge(this, nowMs);
        long starts = Math.min(startsAtMs, o.startsAtMs);
        long ends = o.endsAtMs;
        if (o.resolvedAt(nowMs)) {
            if (resolvedAt(nowMs) && endsAtMs > o.endsAtMs) ends = endsAtMs;
        } else if (endsAtMs > o.endsAtMs && !timeout) {
            ends = endsAtMs;
        }
        return new Alert(o.labels, o.annotations, starts, ends, o.generatorUrl, o.updatedAtMs, o.timeout, o.fingerprint);
    }
}
