package io.pyrometer.alerting.inhibit;

import io.pyrometer.alerting.config.AlertmanagerConfig.InhibitRule;
import io.pyrometer.alerting.config.Matchers;
import io.pyrometer.alerting.types.Alert;
import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Inhibition ({@code inhibit/inhibit.go}): an alert matching a rule's target matchers is muted while
 * an unresolved alert matching its source matchers has the same values for the {@code equal} labels
 * (absent counts as empty). When the muted alert also matches the source side, sources that also
 * match the target side are ignored, so an alert never inhibits itself or its peers.
 */
public final class Inhibitor {
    private final List<InhibitRule> rules;
    private final List<ConcurrentHashMap<Long, Alert>> sources = new ArrayList<>();

    public Inhibitor(List<InhibitRule> rules) {
        this.rules = List.copyOf(rules);
        for (int i = 0; i < rules.size(); i++) sources.add(new ConcurrentHashMap<>());
    }

    /** Sees every alert the store receives (the store's listener). */
    public void onAlert(Alert a) {
        for (int i = 0; i < rules.size(); i++) {
            if (Matchers.matches(rules.get(i).sourceMatchers(), a.labels())) sources.get(i).put(a.fingerprint(), a);
        }
    }

    /** Fingerprints of the alerts inhibiting {@code labels} now; empty when not inhibited. */
    public List<Long> inhibitedBy(Labels labels, long nowMs) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            InhibitRule r = rules.get(i);
            if (!Matchers.matches(r.targetMatchers(), labels)) continue;
            boolean twoSided = Matchers.matches(r.sourceMatchers(), labels);
            for (Alert s : sources.get(i).values()) {
                if (s.resolvedAt(nowMs)) continue;
                if (twoSided && Matchers.matches(r.targetMatchers(), s.labels())) continue;
                if (equal(r.equal(), s.labels(), labels)) {
                    out.add(s.fingerprint());
                    break;
                }
            }
        }
        return out;
    }

    private static boolean equal(List<String> names, Labels a, Labels b) {
        for (String n : names) {
            if (!Objects.equals(orEmpty(a.get(n)), orEmpty(b.get(n)))) return false;
        }
        return true;
    }

    private static String orEmpty(String s) { return s == null ? "" : s; }

    /** Drops resolved source alerts (called with the store's GC). */
    public void gc(long nowMs) {
        for (var m : sources) m.values().removeIf(a -> a.resolvedAt(nowMs));
    }
}
