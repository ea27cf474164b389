package io.pyrometer.alerting.notify;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;

/**
 * What Alertmanager keeps in a notification's {@code context.Context} (see {@code notify/notify.go}):
 * the receiver, the aggregation group's key and labels, and the time of the notification. The
 * external URL is the router's {@code --web.external-url}, shown in templates as
 * {@code .ExternalURL}.
 *
 * @param groupKey    the dispatcher's group key, e.g. {@code {}:{alertname="Down"}}; PagerDuty's
 *                    dedup key is its SHA-256
 * @param groupLabels the aggregation group's labels (the {@code group_by} values)
 * @param now         the notification time: alerts whose end is not after it are resolved
 */
public record NotificationContext(String receiverName, String groupKey, SortedMap<String, String> groupLabels,
                                  String externalUrl, Instant now) {
    public NotificationContext {
        groupLabels = NotifyAlert.sortedCopy(groupLabels);
        externalUrl = externalUrl == null ? "" : externalUrl;
        if (now == null) now = Instant.now();
    }

    public static NotificationContext of(String receiverName, String groupKey, Map<String, String> groupLabels,
                                         String externalUrl, Instant now) {
        return new NotificationContext(receiverName, groupKey, NotifyAlert.sortedCopy(groupLabels), externalUrl, now);
    }
}
