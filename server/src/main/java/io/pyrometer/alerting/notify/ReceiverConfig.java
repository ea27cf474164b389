package io.pyrometer.alerting.notify;

import java.util.List;

/** One parsed {@code receivers:} entry: the name and its integration configs in Alertmanager's build order. */
public record ReceiverConfig(String name, List<IntegrationConfig> integrations) {
    public ReceiverConfig {
        integrations = List.copyOf(integrations);
    }
}
