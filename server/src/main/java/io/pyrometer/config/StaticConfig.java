package io.pyrometer.config;

import io.pyrometer.model.Labels;
import java.util.List;

/** One target group of {@code static_configs:}: {@code host:port} addresses and labels added to each. */
public record StaticConfig(List<String> targets, Labels labels) {
    public StaticConfig {
        targets = List.copyOf(targets);
    }
}
