package io.pyrometer.alerting.notify;

import io.pyrometer.model.Labels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One alert as a receiver sees it: Alertmanager's {@code types.Alert} reduced to what notifications
 * use. Labels and annotations are kept sorted by name in Go's byte order (what Go's JSON encoder and
 * {@code range} over a map do), empty values included.
 *
 * <p>{@code endsAt} is null for Go's zero time (no end known). Whether the alert is resolved depends
 * on the time of the notification ({@link #resolvedAt}), as in Alertmanager, where a firing alert's
 * future {@code endsAt} is hidden from receivers ({@code types.Alerts} in {@code types/types.go}).
 *
 * <pre>{@code
 * NotifyAlert a = NotifyAlert.of(Map.of("alertname", "Down", "job", "node"), Map.of("summary", "node down"),
 *         Instant.parse("2026-01-01T00:00:00Z"), null, "http://prom:9090/graph?g0.expr=up");
 * }</pre>
 */
public record NotifyAlert(SortedMap<String, String> labels, SortedMap<String, String> annotations,
                          Instant startsAt, Instant endsAt, String generatorUrl) {

    public NotifyAlert {
        labels = sortedCopy(labels);
        annotations = sortedCopy(annotations);
        if (startsAt == null) throw new IllegalArgumentException("startsAt is required");
        generatorUrl = generatorUrl == null ? "" : generatorUrl;
    }

    /** An alert from plain maps (any order); {@code endsAt} null when unknown. */
    public static NotifyAlert of(Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
                                 Instant endsAt, String generatorUrl) {
        return new NotifyAlert(sortedCopy(labels), sortedCopy(annotations), startsAt, endsAt, generatorUrl);
    }

    /** Alertmanager's {@code Alert.ResolvedAt(now)}: an end time is set and not after {@code now}. */
    public boolean resolvedAt(Instant now) {
        return endsAt != null && !endsAt.isAfter(now);
    }

    /** {@code "resolved"} or {@code "firing"} at {@code now}. */
    public String statusAt(Instant now) {
        return resolvedAt(now) ? "resolved" : "firing";
    }

    /**
     * {@code model.LabelSet.Fingerprint()} of prometheus/common: FNV-1a 64 over the label names in
     * sorted order, each name and value followed by the separator byte 0xff.
     */
    public long fingerprint() {
        return fingerprint(labels);
    }

    /** The fingerprint as Alertmanager prints it: 16 lower-case hex digits. */
    public String fingerprintHex() {
        return String.format("%016x", fingerprint());
    }

    static long fingerprint(SortedMap<String, String> labels) {
        long h = 0xcbf29ce484222325L; // FNV-1a 64 offset basis
        for (Map.Entry<String, String> e : labels.entrySet()) {
            h = fnv(h, e.getKey());
            h = (h ^ 0xff) * 0x100000001b3L;
            h = fnv(h, e.getValue());
            h = (h ^ 0xff) * 0x100000001b3L;
        }
        return h;
    }

    private static long fnv(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
        return h;
    }

    /** A sorted, unmodifiable copy in Go's string order. */
    static SortedMap<String, String> sortedCopy(Map<String, String> m) {
        TreeMap<String, String> t = new TreeMap<>(Labels::compareUtf8);
        if (m != null) t.putAll(m);
        return Collections.unmodifiableSortedMap(t);
    }
}
