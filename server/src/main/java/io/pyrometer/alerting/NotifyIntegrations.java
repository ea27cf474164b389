package io.pyrometer.alerting;

import io.pyrometer.alerting.config.AlertmanagerConfig;
import io.pyrometer.alerting.config.AlertmanagerConfig.ReceiverConfig;
import io.pyrometer.alerting.dispatch.Integration;
import io.pyrometer.alerting.dispatch.NotifyContext;
import io.pyrometer.alerting.notify.NotificationContext;
import io.pyrometer.alerting.notify.NotifyAlert;
import io.pyrometer.alerting.notify.Receivers;
import io.pyrometer.alerting.types.Alert;
import io.pyrometer.model.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a receiver's integrations with {@code alerting.notify} and adapts them to the dispatcher's
 * {@link Integration}: the router's alerts become {@link NotifyAlert}s (end time hidden unless
 * resolved, as {@code types.Alerts} does) and its context a {@link NotificationContext}.
 */
public final class NotifyIntegrations {
    private NotifyIntegrations() {}

    /** The default {@link AlertRouter.IntegrationFactory}. */
    public static List<Integration> build(ReceiverConfig r, AlertmanagerConfig c) {
        List<Integration> out = new ArrayList<>();
        for (io.pyrometer.alerting.notify.Integration i : Receivers.build(r.integrations(), c.notifyTemplates()).integrations()) {
            out.add(adapt(i));
        }
        return out;
    }

    public static Integration adapt(io.pyrometer.alerting.notify.Integration in) {
        return new Integration() {
            public String name() { return in.name(); }
            public int index() { return in.index(); }
            public boolean sendResolved() { return in.sendResolved(); }

            public void notify(NotifyContext ctx, List<Alert> alerts) throws Integration.NotifyException {
                Instant now = Instant.ofEpochMilli(ctx.nowMs());
                List<NotifyAlert> na = new ArrayList<>(alerts.size());
                for (Alert a : alerts) {
                    na.add(NotifyAlert.of(map(a.labels()), map(a.annotations()), Instant.ofEpochMilli(a.startsAtMs()),
                            a.endsAtMs() == 0 ? null : Instant.ofEpochMilli(a.endsAtMs()), a.generatorUrl()));
                }
                try {
                    in.notify(NotificationContext.of(ctx.receiver(), ctx.groupKey(), map(ctx.groupLabels()), ctx.externalUrl(), now), na);
                } catch (io.pyrometer.alerting.notify.NotifyException e) {
                    throw new Integration.NotifyException(e.getMessage(), e.retry(), e);
                }
            }

            @Override
            public String toString() { return in.describe(); }
        };
    }

    private static Map<String, String> map(Labels l) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < l.size(); i++) m.put(l.name(i), l.value(i));
        return m;
    }
}
