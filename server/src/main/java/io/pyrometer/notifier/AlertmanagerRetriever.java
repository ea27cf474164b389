package io.pyrometer.notifier;

import java.util.List;

/** What {@code /api/v1/alertmanagers} shows (Prometheus's {@code AlertmanagerRetriever}). */
public interface AlertmanagerRetriever {
    /** URLs of the Alertmanagers alerts are sent to, e.g. {@code http://127.0.0.1:9093/api/v2/alerts}. */
    List<String> alertmanagers();

    /** URLs (as before relabeling) of discovered Alertmanagers that relabeling dropped. */
    List<String> droppedAlertmanagers();
}
