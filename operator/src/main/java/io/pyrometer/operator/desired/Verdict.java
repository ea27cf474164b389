package io.pyrometer.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Whether a selected ServiceMonitor/PodMonitor/PrometheusRule/AlertRoute is used, becoming its
 * {@code Accepted} binding condition ({@code reason}: Accepted, UnsupportedFields,
 * InvalidConfiguration, InvalidRules).
 */
public record Verdict(HasMetadata resource, boolean accepted, String reason, String message) {
    public static Verdict accepted(HasMetadata r) { return new Verdict(r, true, "Accepted", ""); }
}
