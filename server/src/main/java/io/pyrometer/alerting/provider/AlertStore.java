package io.pyrometer.alerting.provider;

import io.pyrometer.alerting.types.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The alerts the router knows, by fingerprint ({@code provider/mem}): a re-posted alert is merged
 * with the stored one when their active ranges overlap, else replaces it; every stored alert is
 * handed to the listeners (the dispatcher and the inhibitor). Resolved alerts are dropped by
 * {@link #gc(long)}, which the router calls every 30 minutes as Alertmanager does.
 */
public final class AlertStore {
    private final ConcurrentHashMap<Long, Alert> alerts = new ConcurrentHashMap<>();
    private final List<Consumer<Alert>> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(Consumer<Alert> listener) { listeners.add(listener); }

    /** Stores the alerts (already stamped by the API with updatedAt and inferred end times). */
    public void put(List<Alert> batch, long nowMs) {
        for (Alert a : batch) {
            Alert stored = alerts.compute(a.fingerprint(), (fp, old) -> {
                if (old == null) return a;
                boolean overlap = (a.endsAtMs() > old.startsAtMs() && a.endsAtMs() < old.endsAtMs())
                        || (a.startsAtMs() > old.startsAtMs() && a.startsAtMs() < old.endsAtMs());
                return overlap ? old.merge(a, nowMs) : a;
            });
            for (Consumer<Alert> l : listeners) l.accept(stored);
        }
    }

    public Alert get(long fingerprint) { return alerts.get(fingerprint); }

    public List<Alert> list() { return new ArrayList<>(alerts.values()); }

    public int size() { return alerts.size(); }

    /** Drops resolved alerts; returns them. */
    public List<Alert> gc(long nowMs) {
        List<Alert> removed = new ArrayList<>();
        for (Alert a : alerts.values()) {
            if (a.resolvedAt(nowMs) && alerts.remove(a.fingerprint(), a)) removed.add(a);
        }
        return removed;
    }
}
