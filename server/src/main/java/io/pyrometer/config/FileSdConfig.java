package io.pyrometer.config;

import java.util.List;

/**
 * {@code file_sd_configs:} entry. Patterns end in {@code .json}, {@code .yml} or {@code .yaml} and may
 * glob only in the last path component; relative ones are relative to the config file's directory.
 */
public record FileSdConfig(List<String> files, long refreshIntervalMs) {
    public static final long DEFAULT_REFRESH_INTERVAL_MS = 5 * 60_000;

    public FileSdConfig {
        files = List.copyOf(files);
    }
}
