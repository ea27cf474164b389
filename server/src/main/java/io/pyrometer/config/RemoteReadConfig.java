package io.pyrometer.config;

import io.pyrometer.model.Labels;
import java.util.Map;

/**
 * One {@code remote_read:} entry with Prometheus's defaults (timeout 1m, chunked read limit 50MB,
 * filter_external_labels true).
 *
 * @param requiredMatchers equality matchers a selector must carry for this endpoint to be queried
 */
public record RemoteReadConfig(
        String url,
        long remoteTimeoutMs,
        long chunkedReadLimitBytes,
        Map<String, String> headers,
        boolean readRecent,
        String name,
        HttpClientConfig http,
        Labels requiredMatchers,
        boolean filterExternalLabels) {

    public static final long DEFAULT_REMOTE_TIMEOUT_MS = 60_000;
    public static final long DEFAULT_CHUNKED_READ_LIMIT = 50_000_000;

    public RemoteReadConfig {
        headers = Maps.copyOf(headers);
    }
}
