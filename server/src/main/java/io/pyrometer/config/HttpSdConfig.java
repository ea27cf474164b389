package io.pyrometer.config;

/** {@code http_sd_configs:} entry: an http(s) URL returning target groups as JSON. */
public record HttpSdConfig(String url, long refreshIntervalMs, HttpClientConfig http) {
    public static final long DEFAULT_REFRESH_INTERVAL_MS = 60_000;
}
