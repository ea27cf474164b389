package io.pyrometer.alerting.dispatch;

import io.pyrometer.model.Labels;

/**
 * What a notification is about ({@code notify} context values): the receiver, the aggregation
 * group's key and labels, the router's external URL and the flush time.
 */
public record NotifyContext(String receiver, String groupKey, Labels groupLabels, String externalUrl, long nowMs,
                            long repeatIntervalMs) {}
