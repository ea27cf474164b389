package io.pyrometer.alerting;

import io.pyrometer.alerting.config.AlertmanagerConfig;
import io.pyrometer.alerting.config.AlertmanagerConfig.ReceiverConfig;
import io.pyrometer.alerting.dispatch.Dispatcher;
import io.pyrometer.alerting.dispatch.Integration;
import io.pyrometer.alerting.dispatch.Pipeline;
import io.pyrometer.alerting.dispatch.Route;
import io.pyrometer.alerting.inhibit.Inhibitor;
import io.pyrometer.alerting.nflog.NotificationLog;
import io.pyrometer.alerting.provider.AlertStore;
import io.pyrometer.alerting.silence.Silences;
import io.pyrometer.alerting.types.Alert;
import io.pyrometer.alerting.types.Scheduler;
import io.pyrometer.model.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The alert router's core, wired as Alertmanager's {@code cmd/alertmanager/main.go} does: the alert
 * store feeds the inhibitor and the dispatcher; the dispatcher's groups flush through the
 * notification pipeline (inhibition, time intervals, silences, dedup against the notification
 * log, retries). {@link #apply} swaps in a new configuration: a new route tree, inhibitor and
 * dispatcher that are fed every stored alert again (the notification log keeps them from
 * re-sending what was already sent).
 *
 * <pre>{@code
 * AlertRouter r = new AlertRouter(options, Scheduler.system(), metrics, NotifyIntegrations::build);
 * r.apply(AlertmanagerConfigLoader.load(Path.of("alertmanager.yml")));
 * r.receive(List.of(alert));
 * }</pre>
 */
public final class AlertRouter implements AutoCloseable {
    /** Builds the integrations of one receiver ({@code alerting.notify} provides the real ones). */
    @FunctionalInterface
    public interface IntegrationFactory {
        List<Integration> build(ReceiverConfig receiver, AlertmanagerConfig config) throws Exception;
    }

    /**
     * @param storagePath where {@code silences} and {@code nflog} snapshots live; null keeps state in memory
     * @param peerWaitMs this replica's wait before sending (position x peer timeout); 0 alone
     */
    public record Options(Path storagePath, long retentionMs, String externalUrl, LongSupplier peerWaitMs,
                          Pipeline.Sleeper sleeper) {
        public Options(Path storagePath, long retentionMs, String externalUrl) {
            this(storagePath, retentionMs, externalUrl, () -> 0, Thread::sleep);
        }
    }

    private static final System.Logger LOG = System.getLogger(AlertRouter.class.getName());
    static final long ALERT_GC_INTERVAL_MS = 30 * 60_000, MAINTENANCE_INTERVAL_MS = 15 * 60_000;

    private final Options options;
    private final Scheduler scheduler;
    private final RouterMetrics metrics;
    private final IntegrationFactory integrations;
    private final AlertStore store = new AlertStore();
    private final Silences silences;
    private final NotificationLog nflog;
    private final List<Scheduler.Cancellable> maintenance = new ArrayList<>();
    private volatile AlertmanagerConfig config;
    private volatile Dispatcher dispatcher;
    private volatile Inhibitor inhibitor = new Inhibitor(List.of());

    public AlertRouter(Options options, Scheduler scheduler, RouterMetrics metrics, IntegrationFactory integrations) throws IOException {
        this.options = options;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.integrations = integrations;
        Path dir = options.storagePath();
        if (dir != null) Files.createDirectories(dir);
        this.silences = new Silences(scheduler, options.retentionMs(), dir == null ? null : dir.resolve("silences"));
        this.nflog = new NotificationLog(options.retentionMs(), dir == null ? null : dir.resolve("nflog"));
        store.subscribe(a -> {
            inhibitor.onAlert(a);
            Dispatcher d = dispatcher;
            if (d != null) d.onAlert(a);
        });
        scheduleMaintenance();
    }

    /** Switches to {@code c}; on a receiver that cannot be built the old configuration stays. */
    public synchronized void apply(AlertmanagerConfig c) throws Exception {
        Map<String, List<Integration>> receivers = new LinkedHashMap<>();
        for (ReceiverConfig r : c.receivers()) receivers.put(r.name(), List.copyOf(integrations.build(r, c)));
        Route root = Route.tree(c.route());
        Inhibitor inh = new Inhibitor(c.inhibitRules());
        Pipeline p = new Pipeline(receivers, inh, silences, c.timeIntervals(), nflog, metrics, options.externalUrl(),
                options.peerWaitMs(), options.sleeper(), scheduler::nowMs);
        Dispatcher d = new Dispatcher(root, scheduler, p);
        Dispatcher old = dispatcher;
        if (old != null) old.close();
        config = c;
        inhibitor = inh;
        for (Alert a : store.list()) inh.onAlert(a);
        dispatcher = d;
        for (Alert a : store.list()) d.onAlert(a);
    }

    /** Result of {@link #receive}: how many alerts were taken and the validation errors of the others. */
    public record Received(int accepted, List<String> errors) {}

    /**
     * Takes posted alerts as the API v2 handler does: stamps {@code updatedAt}, fills a missing start
     * (the end, or now) and a missing end (now + resolve_timeout, marked as inferred), validates, and
     * stores the valid ones.
     */
    public Received receive(List<Alert> posted) {
        long now = scheduler.nowMs();
        long resolveTimeout = config == null ? AlertmanagerConfig.Global.DEFAULT_RESOLVE_TIMEOUT_MS : config.global().resolveTimeoutMs();
        List<Alert> valid = new ArrayList<>(posted.size());
        List<String> errors = new ArrayList<>();
        for (Alert a : posted) {
            long starts = a.startsAtMs(), ends = a.endsAtMs();
            boolean timeout = false;
            if (starts == 0) starts = ends == 0 ? now : ends;
            if (ends == 0) {
                timeout = true;
                ends = now + resolveTimeout;
            }
            Alert s = new Alert(a.labels(), a.annotations(), starts, ends, a.generatorUrl(), now, timeout, a.fingerprint());
            String err = validate(s);
            if (err != null) {
                errors.add(err);
                metrics.alertsInvalid.inc();
                continue;
            }
            metrics.alertsReceived.labelValues(s.resolvedAt(now) ? "resolved" : "firing").inc();
            valid.add(s);
        }
        store.put(valid, now);
        return new Received(valid.size(), errors);
    }

    /** {@code types.Alert.Validate} and {@code model.Alert.Validate}. */
    private static String validate(Alert a) {
        if (a.startsAtMs() == 0) return "start time missing";
        if (a.endsAtMs() != 0 && a.endsAtMs() < a.startsAtMs()) return "start time must be before end time";
        if (a.labels().isEmpty()) return "at least one label pair required";
        for (int i = 0; i < a.labels().size(); i++) {
            String n = a.labels().name(i);
            if (!io.pyrometer.alerting.config.Matchers.isValidLabelName(n)) return "invalid label set: invalid name \"" + n + "\"";
        }
        for (int i = 0; i < a.annotations().size(); i++) {
            String n = a.annotations().name(i);
            if (!io.pyrometer.alerting.config.Matchers.isValidLabelName(n)) return "invalid annotations: invalid name \"" + n + "\"";
        }
        return null;
    }

    /** Alert status as the API shows it: silenced and inhibited by whom; {@code suppressed} when either. */
    public record Status(String state, List<String> silencedBy, List<String> inhibitedBy) {}

    public Status status(Alert a) {
        long now = scheduler.nowMs();
        List<String> sil = silences.mutedBy(a.labels(), now);
        List<String> inh = new ArrayList<>();
        for (long fp : inhibitor.inhibitedBy(a.labels(), now)) inh.add(io.pyrometer.alerting.types.Fingerprints.hex(fp));
        return new Status(sil.isEmpty() && inh.isEmpty() ? "active" : "suppressed", sil, inh);
    }

    public List<Alert> alerts() { return store.list(); }

    public List<io.pyrometer.alerting.dispatch.AggregationGroup> groups() {
        Dispatcher d = dispatcher;
        return d == null ? List.of() : d.groups();
    }

    public List<String> receiversFor(Labels labels) {
        Dispatcher d = dispatcher;
        return d == null ? List.of() : d.receiversFor(labels);
    }

    public Silences silences() { return silences; }

    public NotificationLog nflog() { return nflog; }

    public AlertmanagerConfig config() { return config; }

    public Scheduler scheduler() { return scheduler; }

    public RouterMetrics metrics() { return metrics; }

    /** Sets the state gauges; call before each /metrics scrape. */
    public void refreshGauges() {
        long now = scheduler.nowMs();
        int active = 0, suppressed = 0;
        for (Alert a : store.list()) {
            if (a.resolvedAt(now)) continue;
            if (status(a).state().equals("active")) active++;
            else suppressed++;
        }
        metrics.alerts.labelValues("active").set(active);
        metrics.alerts.labelValues("suppressed").set(suppressed);
        metrics.alerts.labelValues("unprocessed").set(0);
        silences.countByState().forEach((st, n) -> metrics.silences.labelValues(st.api()).set(n));
        metrics.nflogEntries.set(nflog.size());
        metrics.aggrGroups.set(groups().size());
    }

    private void scheduleMaintenance() {
        maintenance.add(repeat(() -> {
            long now = scheduler.nowMs();
            store.gc(now);
            inhibitor.gc(now);
        }, ALERT_GC_INTERVAL_MS));
        maintenance.add(repeat(() -> {
            silences.gc();
            metrics.silencesGc.inc();
            nflog.gc(scheduler.nowMs());
        }, MAINTENANCE_INTERVAL_MS));
    }

    private Scheduler.Cancellable repeat(Runnable r, long everyMs) {
        Scheduler.Cancellable[] self = new Scheduler.Cancellable[1];
        Runnable loop = new Runnable() {
            public void run() {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "maintenance failed err=\"" + e + "\"");
                }
                synchronized (self) { self[0] = scheduler.schedule(this, everyMs); }
            }
        };
        synchronized (self) { self[0] = scheduler.schedule(loop, everyMs); }
        return () -> { synchronized (self) { self[0].cancel(); } };
    }

    @Override
    public void close() {
        for (Scheduler.Cancellable c : maintenance) c.cancel();
        Dispatcher d = dispatcher;
        if (d != null) d.close();
    }
}
