package io.pyrometer.alerting;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The router's self-metrics with Alertmanager's names and help texts, on the registry passed in.
 * Gauges that mirror state (alerts by state, silences by state) are set at scrape time by the
 * owner ({@link AlertRouter#refreshGauges()}).
 */
public final class RouterMetrics {
    public static final String[] INTEGRATIONS = {"email", "msteams", "opsgenie", "pagerduty", "pushover", "slack", "sns",
            "telegram", "victorops", "webhook", "wechat", "discord", "webex"};

    public final Counter alertsReceived;
    public final Counter alertsInvalid;
    public final Gauge alerts;
    public final Counter notifications;
    public final Counter notificationsFailed;
    public final Counter notificationRequests;
    public final Counter notificationRequestsFailed;
    public final Histogram notificationLatency;
    public final Gauge silences;
    public final Counter silencesGc;
    public final Gauge nflogEntries;
    public final Counter nflogQueries;
    public final Counter nflogQueryErrors;
    public final Gauge configHash;
    public final Gauge configSuccess;
    public final Gauge configSuccessTime;
    public final Gauge aggrGroups;

    public RouterMetrics(PrometheusRegistry r) {
        alertsReceived = Counter.builder().name("alertmanager_alerts_received_total")
                .help("The total number of received alerts.").labelNames("status").register(r);
        alertsInvalid = Counter.builder().name("alertmanager_alerts_invalid_total")
                .help("The total number of received alerts that were invalid.").register(r);
        alerts = Gauge.builder().name("alertmanager_alerts").help("How many alerts by state.").labelNames("state").register(r);
        notifications = Counter.builder().name("alertmanager_notifications_total")
                .help("The total number of attempted notifications.").labelNames("integration").register(r);
        notificationsFailed = Counter.builder().name("alertmanager_notifications_failed_total")
                .help("The total number of failed notifications.").labelNames("integration").register(r);
        notificationRequests = Counter.builder().name("alertmanager_notification_requests_total")
                .help("The total number of attempted notification requests.").labelNames("integration").register(r);
        notificationRequestsFailed = Counter.builder().name("alertmanager_notification_requests_failed_total")
                .help("The total number of failed notification requests.").labelNames("integration").register(r);
        notificationLatency = Histogram.builder().name("alertmanager_notification_latency_seconds")
                .help("The latency of notifications in seconds.").classicUpperBounds(1, 5, 10, 15, 20).labelNames("integration")
                .register(r);
        silences = Gauge.builder().name("alertmanager_silences").help("How many silences by state.").labelNames("state").register(r);
        silencesGc = Counter.builder().name("alertmanager_silences_gc_total")
                .help("How many silence garbage collections were completed.").register(r);
        nflogEntries = Gauge.builder().name("alertmanager_nflog_entries")
                .help("Number of entries in the notification log.").register(r);
        nflogQueries = Counter.builder().name("alertmanager_nflog_queries_total")
                .help("Number of notification log queries were received.").register(r);
        nflogQueryErrors = Counter.builder().name("alertmanager_nflog_query_errors_total")
                .help("Number notification log received queries that failed.").register(r);
        configHash = Gauge.builder().name("alertmanager_config_hash")
                .help("Hash of the currently loaded alertmanager configuration.").register(r);
        configSuccess = Gauge.builder().name("alertmanager_config_last_reload_successful")
                .help("Whether the last configuration reload attempt was successful.").register(r);
        configSuccessTime = Gauge.builder().name("alertmanager_config_last_reload_success_timestamp_seconds")
                .help("Timestamp of the last successful configuration reload.").register(r);
        aggrGroups = Gauge.builder().name("alertmanager_dispatcher_aggregation_groups")
                .help("Number of active aggregation groups").register(r);
        for (String i : INTEGRATIONS) {
            notifications.labelValues(i);
            notificationsFailed.labelValues(i);
            notificationRequests.labelValues(i);
            notificationRequestsFailed.labelValues(i);
        }
        for (String s : new String[] {"active", "suppressed", "unprocessed"}) alerts.labelValues(s);
        for (String s : new String[] {"active", "pending", "expired"}) silences.labelValues(s);
        alertsReceived.labelValues("firing");
        alertsReceived.labelValues("resolved");
    }
}
