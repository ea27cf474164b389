package io.pyrometer.operator.desired;

/**
 * Operator-wide settings ({@code pyrometer-operator} flags / {@code application.properties}).
 *
 * @param defaultImage   image repository used when a Prometheus sets no image, tagged with its version
 * @param defaultVersion version used when a Prometheus sets none
 */
public record Settings(String defaultImage, String defaultVersion) {
    public static final Settings DEFAULT = new Settings("ghcr.io/pyrometer/pyrometer", "0.1.0");
}
