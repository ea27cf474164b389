package io.pyrometer.notifier;

import io.pyrometer.model.Labels;

/**
 * An alert as sent to Alertmanagers (Prometheus's {@code notifier.Alert}): the rules engine makes
 * them, the notifier relabels, queues and posts them as Alertmanager API v2 JSON.
 *
 * @param endsAtMs 0 when unset (a firing alert whose end Alertmanager infers from resends)
 */
public record Alert(Labels labels, Labels annotations, long startsAtMs, long endsAtMs, String generatorUrl) {
    /** Prometheus's {@code Alert.Resolved()} at {@code nowMs}: has an end time in the past. */
    public boolean resolvedAt(long nowMs) {
        return endsAtMs != 0 && endsAtMs <= nowMs;
    }
}
