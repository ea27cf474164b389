package io.pyrometer.config;

import java.util.List;

/**
 * {@code dns_sd_configs:} entry.
 *
 * @param type {@code SRV} (default), {@code A}, {@code AAAA}, {@code MX} or {@code NS}
 * @param port required for every type but SRV; 0 for SRV
 */
public record DnsSdConfig(List<String> names, String type, int port, long refreshIntervalMs) {
    public static final long DEFAULT_REFRESH_INTERVAL_MS = 30_000;
    public static final List<String> TYPES = List.of("SRV", "A", "AAAA", "MX", "NS");

    public DnsSdConfig {
        names = List.copyOf(names);
    }
}
