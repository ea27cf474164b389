package io.pyrometer.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * A status condition in Kubernetes's and prometheus-operator's shape ({@code type}, {@code status}
 * True/False/Unknown, {@code reason}, {@code message}, {@code observedGeneration},
 * {@code lastTransitionTime}). Used by {@code Prometheus.status.conditions} and by the
 * {@code status.bindings[].conditions} written on ServiceMonitors, PodMonitors and PrometheusRules.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    @JsonPropertyDescription("Type of the condition: Reconciled, Available (Prometheus) or Accepted (bindings).")
    public String type;
    @JsonPropertyDescription("Status of the condition: True, False or Unknown.")
    public String status;
    @JsonPropertyDescription("Time (RFC 3339) the condition last changed its status.")
    public String lastTransitionTime;
    @JsonPropertyDescription("A CamelCase reason for the condition's last transition.")
    public String reason;
    @JsonPropertyDescription("A human-readable message: what is wrong and what to do.")
    public String message;
    @JsonPropertyDescription("The metadata.generation of the resource this condition was computed from.")
    public Long observedGeneration;

    public Condition() {}

    public Condition(String type, String status, String reason, String message, Long observedGeneration) {
        this.type = type;
        this.status = status;
        this.reason = reason;
        this.message = message;
        this.observedGeneration = observedGeneration;
    }

    /** Same type, status, reason, message and generation (the transition time is not compared). */
    public boolean sameAs(Condition o) {
        return o != null && Objects.equals(type, o.type) && Objects.equals(status, o.status)
                && Objects.equals(reason, o.reason) && Objects.equals(message, o.message)
                && Objects.equals(observedGeneration, o.observedGeneration);
    }

    @Override
    public String toString() {
        return type + "=" + status + " [reason=" + reason + ", message=" + message + "]";
    }
}
