package io.pyrometer.config;

import io.pyrometer.model.relabel.RelabelConfig;
import java.util.List;

/** The {@code alerting:} section: relabeling applied to every alert, and where to send alerts. */
public record AlertingConfig(List<RelabelConfig> alertRelabelConfigs, List<AlertmanagerConfig> alertmanagers) {
    public static final AlertingConfig EMPTY = new AlertingConfig(List.of(), List.of());

    public AlertingConfig {
        alertRelabelConfigs = List.copyOf(alertRelabelConfigs);
        alertmanagers = List.copyOf(alertmanagers);
    }

    /**
     * One {@code alertmanagers:} entry.
     *
     * @param apiVersion only {@code v2} is accepted (as in Prometheus 3)
     */
    public record AlertmanagerConfig(
            String scheme,
            String pathPrefix,
            long timeoutMs,
            String apiVersion,
            HttpClientConfig http,
            ServiceDiscoveryConfigs discovery,
            List<RelabelConfig> relabelConfigs,
            List<RelabelConfig> alertRelabelConfigs) {
        public static final long DEFAULT_TIMEOUT_MS = 10_000;

        public AlertmanagerConfig {
            relabelConfigs = List.copyOf(relabelConfigs);
            alertRelabelConfigs = List.copyOf(alertRelabelConfigs);
        }
    }
}
