package io.pyrometer.notifier;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.AlertingConfig;
import io.pyrometer.config.AlertingConfig.AlertmanagerConfig;
import io.pyrometer.discovery.TargetGroup;
import io.pyrometer.model.BuildInfo;
import io.pyrometer.model.Labels;
import io.pyrometer.model.relabel.RelabelConfig;
import io.pyrometer.model.relabel.Relabeler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Queues alerts and posts them to every Alertmanager, as Prometheus 3.0-3.3's
 * {@code notifier.Manager} (notifier/notifier.go): {@link #send} relabels (external labels first,
 * never overriding an alert's own labels, then {@code alerting.alert_relabel_configs}) and appends to
 * a bounded queue, dropping the oldest alerts when it is full; one sender thread takes batches of at
 * most {@link Options#maxBatchSize} alerts and posts each batch concurrently to every Alertmanager of
 * every set (after that set's {@code alert_relabel_configs}). A batch counts as dropped when some set
 * that was sent to had no Alertmanager accept it. There are no retries: the rules engine resends
 * active alerts.
 *
 * <pre>{@code
 * var n = new NotificationManager(NotificationManager.Options.defaults(), registry);
 * n.applyConfig(cfg.global().externalLabels(), cfg.alerting());  // again on every reload
 * n.sync(groupsBySet);                                            // from the notify discovery manager
 * n.send(alerts);                                                 // from the rules engine; never blocks on I/O
 * n.close();                                                      // drains (or drops) the queue
 * }</pre>
 */
public final class NotificationManager implements AlertSender, AlertmanagerRetriever, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NotificationManager.class.getName());

    /** Prometheus's {@code maxBatchSize} in 3.0-3.3. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 64;
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    static final String USER_AGENT = "Pyrometer/" + BuildInfo.VERSION;

    /**
     * @param queueCapacity   {@code --alertmanager.notification-queue-capacity}
     * @param drainOnShutdown {@code --alertmanager.drain-notification-queue-on-shutdown}
     * @param maxBatchSize    alerts per request
     */
    public record Options(int queueCapacity, boolean drainOnShutdown, int maxBatchSize) {
        public Options {
            if (queueCapacity <= 0) throw new IllegalArgumentException("notification queue capacity must be positive, got " + queueCapacity);
            if (maxBatchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + maxBatchSize);
        }

        public static Options defaults() {
            return new Options(DEFAULT_QUEUE_CAPACITY, true, DEFAULT_MAX_BATCH_SIZE);
        }
    }

    /** What a config (re)load sets; replaced whole, read without the lock. */
    private record State(Labels externalLabels, List<RelabelConfig> relabelConfigs, Map<String, AlertmanagerSet> sets) {}

    private final Options options;
    private final NotifierMetrics metrics;
    private final AlertPoster poster;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition more = lock.newCondition();
    /** Alerts waiting to be sent, oldest first; guarded by {@link #lock}. */
    private final ArrayDeque<Alert> queue;
    private boolean stopRequested; // guarded by lock
    private volatile State state = new State(Labels.EMPTY, List.of(), Map.of());
    /** Serialises config applies and target syncs (Prometheus's write lock); never taken by send. */
    private final Object configLock = new Object();
    /** URLs whose per-Alertmanager metrics exist; guarded by configLock. */
    private final Set<String> metricUrls = new HashSet<>();
    /** The last groups the discovery manager delivered, by set name; guarded by configLock. */
    private Map<String, List<TargetGroup>> lastGroups = Map.of();
    private final Thread sender;

    public NotificationManager(Options options, PrometheusRegistry registry) {
        this.options = options;
        this.queue = new ArrayDeque<>(Math.min(options.queueCapacity(), 1024));
        this.metrics = new NotifierMetrics(registry, this::queueLength, () -> alertmanagers().size());
        metrics.queueCapacity.set(options.queueCapacity());
        this.poster = new AlertPoster(metrics, USER_AGENT);
        this.sender = Thread.ofPlatform().daemon().name("notifier-sender").start(this::sendLoop);
    }

    /**
     * Applies a (re)loaded configuration: external labels, alert relabeling and the Alertmanager sets
     * ({@code config-0}, {@code config-1}, ... in config order, as Prometheus names them). A set whose
     * configuration is unchanged keeps the Alertmanagers it knew without waiting for discovery.
     *
     * @throws IllegalArgumentException when a set's HTTP client cannot be set up; nothing is applied
     */
    public void applyConfig(Labels externalLabels, AlertingConfig alerting) {
        synchronized (configLock) {
            State old = state;
            Map<String, AlertmanagerSet> sets = new LinkedHashMap<>();
            Set<AlertmanagerSet> reused = new HashSet<>();
            try {
                List<AlertmanagerConfig> cfgs = alerting.alertmanagers();
                for (int i = 0; i < cfgs.size(); i++) {
                    String name = setName(i);
                    AlertmanagerSet prev = sameConfig(old.sets(), cfgs.get(i), reused);
                    if (prev != null) {
                        reused.add(prev);
                        prev.name = name;
                        sets.put(name, prev);
                    } else {
                        AlertmanagerSet s = new AlertmanagerSet(name, cfgs.get(i));
                        // our discovery manager does not resend unchanged groups on reload: start from
                        // what it last delivered for this name (a restarted pool delivers its own soon)
                        List<TargetGroup> last = lastGroups.get(name);
                        if (last != null) s.sync(last);
                        sets.put(name, s);
                    }
                }
            } catch (IllegalArgumentException e) {
                for (AlertmanagerSet s : sets.values()) if (!reused.contains(s)) s.close();
                throw e;
            }
            state = new State(externalLabels, alerting.alertRelabelConfigs(), java.util.Collections.unmodifiableMap(sets));
            for (AlertmanagerSet s : old.sets().values()) if (!reused.contains(s)) retire(s);
            reconcileMetrics();
        }
    }

    private static String setName(int i) { return "config-" + i; }

    /**
     * Closes a set a reload replaced once a batch that may still be using it is done: the sender can
     * hold the old sets for one batch, and no request outlives its set's timeout.
     */
    private static void retire(AlertmanagerSet s) {
        long graceMs = (s.cfg.timeoutMs() > 0 ? s.cfg.timeoutMs() : AlertmanagerConfig.DEFAULT_TIMEOUT_MS) + 1_000;
        Thread.ofVirtual().name("notifier-retire-" + s.name).start(() -> {
            try {
                Thread.sleep(graceMs);
            } catch (InterruptedException e) {
                // closing now is fine too
            }
            s.close();
        });
    }

    private static AlertmanagerSet sameConfig(Map<String, AlertmanagerSet> sets, AlertmanagerConfig cfg, Set<AlertmanagerSet> taken) {
        for (AlertmanagerSet s : sets.values()) if (!taken.contains(s) && s.cfg.equals(cfg)) return s;
        return null;
    }

    /**
     * Takes the discovery manager's full picture (set name to groups) and recomputes each set's
     * Alertmanagers. Names of sets no longer configured are ignored.
     */
    public void sync(Map<String, List<TargetGroup>> groupsBySet) {
        synchronized (configLock) {
            lastGroups = Map.copyOf(groupsBySet);
            Map<String, AlertmanagerSet> sets = state.sets();
            for (Map.Entry<String, List<TargetGroup>> e : groupsBySet.entrySet()) {
                AlertmanagerSet s = sets.get(e.getKey());
                if (s == null) {
                    LOG.log(System.Logger.Level.DEBUG, "msg=\"couldn''t sync alert manager set\" set={0}", e.getKey());
                    continue;
                }
                s.sync(e.getValue());
            }
            reconcileMetrics();
        }
    }

    /** Per-Alertmanager counters exist (from 0) exactly for the Alertmanagers currently active. */
    private void reconcileMetrics() {
        Set<String> now = new HashSet<>(alertmanagers());
        for (String u : now) if (metricUrls.add(u)) metrics.initAlertmanager(u);
        for (var it = metricUrls.iterator(); it.hasNext(); ) {
            String u = it.next();
            if (!now.contains(u)) {
                metrics.removeAlertmanager(u);
                it.remove();
            }
        }
    }

    /**
     * Relabels and queues {@code alerts}; returns at once. When the queue would exceed its capacity
     * the oldest queued alerts are dropped and counted in {@code prometheus_notifications_dropped_total}.
     * After {@link #close} alerts are ignored.
     */
    @Override
    public void send(List<Alert> alerts) {
        if (alerts.isEmpty()) return;
        State st = state;
        List<Alert> relabeled = relabel(st.relabelConfigs(), st.externalLabels(), alerts);
        if (relabeled.isEmpty()) return;
        int cap = options.queueCapacity();
        lock.lock();
        try {
            if (stopRequested) return;
            int from = 0;
            if (relabeled.size() > cap) {
                from = relabeled.size() - cap;
                metrics.dropped.inc(from);
                LOG.log(System.Logger.Level.WARNING, "msg=\"Alert batch larger than queue capacity, dropping alerts\" num_dropped={0}", from);
            }
            int overflow = queue.size() + (relabeled.size() - from) - cap;
            if (overflow > 0) {
                for (int i = 0; i < overflow; i++) queue.pollFirst();
                metrics.dropped.inc(overflow);
                LOG.log(System.Logger.Level.WARNING, "msg=\"Alert notification queue full, dropping alerts\" num_dropped={0}", overflow);
            }
            for (int i = from; i < relabeled.size(); i++) queue.addLast(relabeled.get(i));
            more.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Prometheus's {@code relabelAlerts}: external labels the alert does not set, then the relabel
     * steps; alerts a step drops are left out. Unchanged alerts are passed through as they are.
     */
    static List<Alert> relabel(List<RelabelConfig> cfgs, Labels externalLabels, List<Alert> alerts) {
        if (cfgs.isEmpty() && externalLabels.isEmpty()) return alerts;
        List<Alert> out = new ArrayList<>(alerts.size());
        Labels.Builder lb = Labels.builder();
        Relabeler relabeler = new Relabeler();
        for (Alert a : alerts) {
            lb.reset(a.labels());
            for (int i = 0; i < externalLabels.size(); i++) {
                if (a.labels().get(externalLabels.name(i)).isEmpty()) lb.set(externalLabels.name(i), externalLabels.value(i));
            }
            if (!relabeler.apply(lb, cfgs)) continue;
            Labels l = lb.build();
            out.add(l.equals(a.labels()) ? a : new Alert(l, a.annotations(), a.startsAtMs(), a.endsAtMs(), a.generatorUrl()));
        }
        return out;
    }

    int queueLength() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code maxBatchSize} alerts off the queue head, waiting for some; null once stopped. */
    private List<Alert> nextBatch(boolean wait) throws InterruptedException {
        lock.lock();
        try {
            while (wait && queue.isEmpty() && !stopRequested) more.await();
            if (wait && stopRequested) return null;
            int n = Math.min(queue.size(), options.maxBatchSize());
            List<Alert> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) batch.add(queue.pollFirst());
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void sendLoop() {
        try {
            List<Alert> batch;
            while ((batch = nextBatch(true)) != null) sendOneBatch(batch);
            drainQueue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "msg=\"Notification sender stopped unexpectedly\" err=\"{0}\"", String.valueOf(e));
        }
    }

    private void sendOneBatch(List<Alert> batch) throws InterruptedException {
        if (!poster.sendAll(state.sets().values(), batch)) metrics.dropped.inc(batch.size());
    }

    /** Prometheus's {@code drainQueue}: send what is left, or count it as dropped. */
    private void drainQueue() throws InterruptedException {
        int left = queueLength();
        if (!options.drainOnShutdown()) {
            if (left > 0) {
                LOG.log(System.Logger.Level.WARNING,
                        "msg=\"Draining remaining notifications on shutdown is disabled, and some notifications have been dropped\" count={0}", left);
                metrics.dropped.inc(left);
                lock.lock();
                try {
                    queue.clear();
                } finally {
                    lock.unlock();
                }
            }
            return;
        }
        if (left > 0) LOG.log(System.Logger.Level.INFO, "msg=\"Draining any remaining notifications...\" count={0}", left);
        List<Alert> batch;
        while (!(batch = nextBatch(false)).isEmpty()) sendOneBatch(batch);
        if (left > 0) LOG.log(System.Logger.Level.INFO, "msg=\"Remaining notifications drained\"");
    }

    /** Active Alertmanager URLs of every set, in config order (Prometheus's {@code Alertmanagers()}). */
    @Override
    public List<String> alertmanagers() {
        List<String> out = new ArrayList<>();
        for (AlertmanagerSet s : state.sets().values()) out.addAll(s.active());
        return out;
    }

    /** URLs of Alertmanagers that relabeling dropped (Prometheus's {@code DroppedAlertmanagers()}). */
    @Override
    public List<String> droppedAlertmanagers() {
        List<String> out = new ArrayList<>();
        for (AlertmanagerSet s : state.sets().values()) out.addAll(s.dropped());
        return out;
    }

    /**
     * Stops accepting alerts, then drains the queue (or drops it, per {@link Options#drainOnShutdown})
     * and waits for the sender; every send is bounded by its set's {@code timeout}. A second call does
     * nothing.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (stopRequested) return;
            stopRequested = true;
            more.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.INFO, "msg=\"Stopping notification manager...\"");
        try {
            sender.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (configLock) {
            for (AlertmanagerSet s : state.sets().values()) s.close();
        }
        LOG.log(System.Logger.Level.INFO, "msg=\"Notification manager stopped\"");
    }
}
