package io.pyrometer.cli;

/** The {@code server} role's flags: Prometheus's names and defaults. */
final class ServerFlags {
    private ServerFlags() {}

    static Flags declare() {
        return new Flags("pyrometer server", "The Pyrometer monitoring server: scrapes, stores and serves metrics, Prometheus-compatible.")
                .string("config.file", "prometheus.yml", "Prometheus configuration file path. When not given and ./prometheus.yml does not exist, a built-in config that scrapes this server is used.")
                .string("config.auto-reload-interval", "5s", "How often the config file is checked for changes and reloaded (0s disables the watch; SIGHUP and /-/reload always work).")
                .string("web.listen-address", "0.0.0.0:9090", "Address to listen on for UI, API, and telemetry.")
                .string("web.external-url", "", "The URL under which Pyrometer is externally reachable (for example, if Pyrometer is served via a reverse proxy). Used for generating relative and absolute links back to Pyrometer itself (alert generator URLs, $externalURL). When empty: http://<hostname>:<listen port>/.")
                .string("web.config.file", "", "[EXPERIMENTAL] Path to configuration file that can enable TLS or authentication. Not supported yet.")
                .string("web.max-request-body-size", "16MiB", "Largest request body the HTTP API accepts (form POSTs, remote write).")
                .string("web.max-connections", "512", "Maximum number of simultaneous connections.")
                .bool("web.enable-lifecycle", "Enable shutdown and reload via HTTP request.")
                .bool("web.enable-admin-api", "Enable API endpoints for admin control actions.")
                .bool("web.enable-remote-write-receiver", "Enable API endpoint accepting remote write requests. Not supported yet.")
                .string("storage.tsdb.path", "data/", "Base path for metrics storage.")
                .string("storage.tsdb.retention.time", "15d", "How long to retain samples in storage.")
                .string("storage.tsdb.retention.size", "0B", "Maximum number of bytes that can be stored for blocks (0 = no limit). Units: B, KB, MB, GB, TB, PB, EB.")
                .string("query.lookback-delta", "5m", "The maximum lookback duration for retrieving metrics during expression evaluations and federation.")
                .string("query.timeout", "2m", "Maximum time a query may take before being aborted.")
                .string("query.max-concurrency", "20", "Maximum number of queries executed concurrently.")
                .string("query.max-samples", "50000000", "Maximum number of samples a single query can load into memory.")
                .string("alertmanager.notification-queue-capacity", "10000", "The capacity of the queue for pending Alertmanager notifications.")
                .bool("alertmanager.drain-notification-queue-on-shutdown", true, "Send any outstanding Alertmanager notifications when shutting down. If false, any outstanding Alertmanager notifications will be dropped when shutting down.")

                .string("rules.alert.for-outage-tolerance", "1h", "Max time to tolerate prometheus outage for restoring \"for\" state of alert.")
                .string("rules.alert.for-grace-period", "10m", "Minimum duration between alert and restored \"for\" state. This is maintained only for alerts with configured \"for\" time greater than grace period.")
                .string("rules.alert.resend-delay", "1m", "Minimum amount of time to wait before resending an alert to Alertmanager.")
                .string("scrape.timestamp-tolerance", "2ms", "Snap sample timestamps to the scrape schedule when within this tolerance (0s disables).")
                .string("enable-feature", "", "Comma separated feature names to enable: promql-experimental-functions, promql-delayed-name-removal.")
                .string("log.level", "info", "Only log messages with the given severity or above. One of: [debug, info, warn, error]")
                .string("log.format", "logfmt", "Output format of log messages. One of: [logfmt, json]");
    }
}
