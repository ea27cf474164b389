package io.pyrometer.notifier;

import io.pyrometer.config.AlertingConfig.AlertmanagerConfig;
import io.pyrometer.discovery.HttpClients;
import io.pyrometer.discovery.TargetGroup;
import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code alertmanagers:} entry: its configuration, one HTTP client, and the Alertmanagers its
 * discovery currently yields (Prometheus's {@code alertmanagerSet}). The lists are replaced whole by
 * {@link #sync}, so readers take a consistent snapshot without locking.
 */
final class AlertmanagerSet implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AlertmanagerSet.class.getName());

    /** {@code config-<index>}; changes when a reload keeps this set at another index. */
    volatile String name;
    final AlertmanagerConfig cfg;
    final HttpClient client;
    /** Deduplicated active URLs, in discovery order; replaced whole. */
    private volatile List<String> active = List.of();
    /** URLs of targets relabeling dropped (as they were before relabeling); replaced whole. */
    private volatile List<String> dropped = List.of();

    /**
     * @throws IllegalArgumentException when the HTTP client settings cannot be used (TLS files that do
     *                                  not load, {@code oauth2}): Prometheus then rejects the config
     */
    AlertmanagerSet(String name, AlertmanagerConfig cfg) {
        this.name = name;
        this.cfg = cfg;
        try {
            long connectMs = cfg.timeoutMs() > 0 ? cfg.timeoutMs() : AlertmanagerConfig.DEFAULT_TIMEOUT_MS;
            this.client = HttpClients.newClient(cfg.http(), Duration.ofMillis(connectMs));
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("alerting.alertmanagers[" + name.substring(name.indexOf('-') + 1)
                    + "]: cannot set up the HTTP client: " + e.getMessage(), e);
        }
    }

    List<String> active() { return active; }

    List<String> dropped() { return dropped; }

    /**
     * Replaces the Alertmanagers with those of {@code groups}; a group with an invalid address is
     * logged and skipped, as Prometheus does.
     */
    void sync(List<TargetGroup> groups) {
        Set<String> act = new LinkedHashSet<>();
        List<String> drop = new ArrayList<>();
        for (TargetGroup g : groups) {
            try {
                AlertmanagerTargets.Result r = AlertmanagerTargets.fromGroup(g, cfg);
                act.addAll(r.active());
                drop.addAll(r.dropped());
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.ERROR, "msg=\"Creating discovered Alertmanagers failed\" set={0} group={1} err=\"{2}\"",
                        name, g.source(), e.getMessage());
            }
        }
        active = List.copyOf(act);
        dropped = List.copyOf(drop);
    }

    /** Lets requests in flight finish; new ones are refused. */
    @Override
    public void close() {
        client.shutdown();
    }
}
