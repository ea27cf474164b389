package io.pyrometer.alerting.notify;

import java.util.List;

/**
 * One configured notifier of a receiver ({@code notify.Integration}): one entry of
 * {@code webhook_configs}, {@code slack_configs}, ... Implementations are thread-safe; the router
 * may call {@link #notify} for different groups at once.
 */
public interface Integration {
    /** The integration kind as Alertmanager names it: "webhook", "slack", "email", "pagerduty", "msteams", "discord". */
    String name();

    /** Position within the receiver's configs of this kind (0-based), part of the notification log key. */
    int index();

    /** {@code send_resolved}: whether resolved alerts are sent to this integration. */
    boolean sendResolved();

    /**
     * Sends one notification for {@code alerts} (already sorted and filtered by the router; resolved
     * ones only when {@link #sendResolved()}). Returns normally on success.
     *
     * @throws NotifyException saying whether a retry may succeed
     */
    void notify(NotificationContext ctx, List<NotifyAlert> alerts) throws NotifyException;

    /** {@code webhook[0]}: how Alertmanager names an integration in logs and metrics labels. */
    default String describe() {
        return name() + "[" + index() + "]";
    }
}
