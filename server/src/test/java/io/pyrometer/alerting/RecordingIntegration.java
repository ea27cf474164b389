package io.pyrometer.alerting;

import io.pyrometer.alerting.dispatch.Integration;
import io.pyrometer.alerting.dispatch.NotifyContext;
import io.pyrometer.alerting.types.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records notifications; {@link #failNext} makes the next calls fail (retryable). */
public final class RecordingIntegration implements Integration {
    /** What one notification carried: receiver, group key, firing and resolved alertnames at send time. */
    public record Sent(long atMs, String receiver, String groupKey, List<String> firing, List<String> resolved) {}

    public final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final boolean sendResolved;
    public volatile int failNext;

    public RecordingIntegration(boolean sendResolved) { this.sendResolved = sendResolved; }

    @Override public String name() { return "webhook"; }
    @Override public int index() { return 0; }
    @Override public boolean sendResolved() { return sendResolved; }

    @Override
    public void notify(NotifyContext ctx, List<Alert> alerts) throws NotifyException {
        if (failNext > 0) {
            failNext--;
            throw new NotifyException("injected failure", true, null);
        }
        List<String> firing = new ArrayList<>(), resolved = new ArrayList<>();
        for (Alert a : alerts) (a.resolvedAt(ctx.nowMs()) ? resolved : firing).add(a.labels().get("alertname"));
        sent.add(new Sent(ctx.nowMs(), ctx.receiver(), ctx.groupKey(), firing, resolved));
    }
}
