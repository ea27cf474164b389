package io.pyrometer.cli;

/** The {@code alertmanager} role's flags: Alertmanager 0.25's names and defaults. */
final class AlertmanagerFlags {
    private AlertmanagerFlags() {}

    static Flags declare() {
        return new Flags("pyrometer alertmanager", "The Pyrometer alert router: receives, groups, inhibits and silences alerts and sends notifications, Alertmanager-compatible.")
                .string("config.file", "alertmanager.yml", "Alertmanager configuration file name.")
                .string("storage.path", "data/", "Base path for data storage (silences and notification log snapshots).")
                .string("data.retention", "120h", "How long to keep data for: expired silences and notification log entries.")
                .string("data.maintenance-interval", "15m", "Interval between garbage collection and snapshotting to disk of the silences and the notification log.")
                .string("alerts.gc-interval", "30m", "Interval between alert GC.")
                .string("web.listen-address", ":9093", "Address to listen on for the web interface and API.")
                .string("web.external-url", "", "The URL under which Alertmanager is externally reachable (for example, if Alertmanager is served via a reverse proxy). Used for generating relative and absolute links back to Alertmanager itself. If the URL has a path portion, it will be used to prefix all HTTP endpoints served by Alertmanager. If omitted, relevant URL components will be derived automatically.")
                .string("web.route-prefix", "", "Prefix for the internal routes of web endpoints. Defaults to path of --web.external-url.")
                .string("web.config.file", "", "[EXPERIMENTAL] Path to configuration file that can enable TLS or authentication. Not supported yet.")
                .string("cluster.listen-address", "0.0.0.0:9094", "Listen address for cluster. Set to empty string to disable HA mode. Pyrometer exchanges state over the HTTP API port; a non-empty value enables the exchange with --cluster.peer.")
                .string("cluster.advertise-address", "", "Explicit address to advertise in cluster (the web address peers reach this replica at).")
                .string("cluster.peer", "", "Initial peers: web addresses (host:port) of the other replicas, comma separated or repeated.")
                .string("cluster.peer-timeout", "15s", "Time to wait between peers to send notifications.")
                .string("cluster.gossip-interval", "200ms", "Interval between sending state to peers (Pyrometer pushes each change at once and every interval re-sends everything).")
                .string("cluster.pushpull-interval", "1m0s", "Interval for full state syncs with peers.")
                .string("cluster.settle-timeout", "1m0s", "Maximum time to wait for cluster connections to settle before evaluating notifications.")
                .string("log.level", "info", "Only log messages with the given severity or above. One of: [debug, info, warn, error]")
                .string("log.format", "logfmt", "Output format of log messages. One of: [logfmt, json]");
    }
}
