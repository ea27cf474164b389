package io.pyrometer.rules;

/** An alert's state (Prometheus's {@code rules.AlertState}); {@link #apiName()} is the {@code alertstate} label value. */
public enum AlertState {
    INACTIVE("inactive"), PENDING("pending"), FIRING("firing");

    private final String apiName;

    AlertState(String apiName) { this.apiName = apiName; }

    public String apiName() { return apiName; }
}
