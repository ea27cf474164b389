package io.pyrometer.notifier;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.AlertingConfig;
import io.pyrometer.config.AlertingConfig.AlertmanagerConfig;
import io.pyrometer.config.PrometheusConfig;
import io.pyrometer.config.ServiceDiscoveryConfigs;
import io.pyrometer.discovery.DiscoveryManager;
import io.pyrometer.discovery.DiscoveryMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notifier as the server runs it: a {@link NotificationManager} fed by its own
 * {@link DiscoveryManager} named {@code notify} (Prometheus's {@code discoveryManagerNotify} in
 * cmd/prometheus/main.go), one discovery pool per {@code alertmanagers:} entry.
 *
 * <pre>{@code
 * Notifier n = new Notifier(NotificationManager.Options.defaults(), registry, sdMetrics,
 *         DiscoveryManager.Options.defaults(configDir));
 * n.applyConfig(cfg);                 // at start and on every reload
 * rules.setSender(n);                 // AlertSender
 * n.close();                          // after the rules engine stopped: drains the queue
 * }</pre>
 */
public final class Notifier implements AlertSender, AlertmanagerRetriever, AutoCloseable {
    private final NotificationManager manager;
    private final DiscoveryManager discovery;

    /**
     * @param sdMetrics the registry's shared discovery metrics (the scrape discovery manager's), told
     *                  apart by {@code name="notify"}
     */
    public Notifier(NotificationManager.Options options, PrometheusRegistry registry, DiscoveryMetrics sdMetrics,
                    DiscoveryManager.Options sdOptions) {
        this.manager = new NotificationManager(options, registry);
        this.discovery = new DiscoveryManager("notify", sdMetrics, manager::sync, sdOptions);
    }

    /**
     * Applies external labels, alert relabeling and the Alertmanager sets, then their discovery.
     *
     * @throws IllegalArgumentException when a set's HTTP client settings cannot be used; the running
     *                                  configuration is left as it was
     */
    public void applyConfig(PrometheusConfig cfg) {
        AlertingConfig alerting = cfg.alerting() == null ? AlertingConfig.EMPTY : cfg.alerting();
        manager.applyConfig(cfg.global().externalLabels(), alerting);
        Map<String, ServiceDiscoveryConfigs> pools = new LinkedHashMap<>();
        List<AlertmanagerConfig> ams = alerting.alertmanagers();
        for (int i = 0; i < ams.size(); i++) pools.put("config-" + i, ams.get(i).discovery());
        discovery.applyConfig(pools);
    }

    @Override
    public void send(List<Alert> alerts) {
        manager.send(alerts);
    }

    @Override
    public List<String> alertmanagers() {
        return manager.alertmanagers();
    }

    @Override
    public List<String> droppedAlertmanagers() {
        return manager.droppedAlertmanagers();
    }

    /** Stops discovery, then the manager (draining or dropping queued alerts). */
    @Override
    public void close() {
        discovery.close();
        manager.close();
    }
}
