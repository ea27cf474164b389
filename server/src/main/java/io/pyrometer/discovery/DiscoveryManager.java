package io.pyrometer.discovery;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.DnsSdConfig;
import io.pyrometer.config.FileSdConfig;
import io.pyrometer.config.HttpSdConfig;
import io.pyrometer.config.KubernetesSdConfig;
import io.pyrometer.config.ScrapeConfig;
import io.pyrometer.config.ServiceDiscoveryConfigs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Runs the discoverers of every pool (a scrape job, or an Alertmanager set) on virtual threads,
 * merges their updates by source and hands the listener the full picture,
 * {@code Map<pool, List<TargetGroup>>}, at most once per update interval (Prometheus: 5 s), as
 * Prometheus's discovery.Manager does.
 *
 * <pre>{@code
 * var sd = new DiscoveryManager("scrape", new DiscoveryMetrics(registry), scrapeManager::sync,
 *         DiscoveryManager.Options.defaults(configDir));
 * sd.applyConfig(Map.of("node", job.discovery()));   // again on every reload
 * }</pre>
 *
 * <p>{@link #applyConfig} restarts only pools whose discovery configuration changed; unchanged pools
 * keep running and keep their targets. Every configured pool is in each delivered map (with an empty
 * list until something is discovered); a removed pool is absent from the next one. A discovery
 * config that cannot be started (bad glob, unusable TLS files) is logged and counted in
 * {@code prometheus_sd_failed_configs}; the others run.
 */
public final class DiscoveryManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DiscoveryManager.class.getName());

    /**
     * @param updateIntervalMs minimum time between two deliveries (Prometheus: 5000)
     * @param baseDir          directory relative {@code file_sd_configs} paths are resolved against
     * @param resolvers        DNS resolver configuration for {@code dns_sd_configs}
     */
    public record Options(long updateIntervalMs, Path baseDir, Callable<ResolvConf> resolvers) {
        public static final long DEFAULT_UPDATE_INTERVAL_MS = 5_000;

        public static Options defaults(Path baseDir) {
            return new Options(DEFAULT_UPDATE_INTERVAL_MS, baseDir, DnsDiscoverer.systemResolvers());
        }

        public Options withUpdateIntervalMs(long ms) { return new Options(ms, baseDir, resolvers); }
        public Options withResolvers(Callable<ResolvConf> r) { return new Options(updateIntervalMs, baseDir, r); }
    }

    private final String name;
    private final DiscoveryMetrics metrics;
    private final Consumer<Map<String, List<TargetGroup>>> listener;
    private final Options options;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Pools by name, in config order; guarded by {@link #lock}. */
    private final Map<String, Pool> pools = new LinkedHashMap<>();
    /** A delivery is due; guarded by {@link #lock}. */
    private boolean triggered;
    private boolean closed; // guarded by lock
    private final Thread sender;
    /** What the listener last received; sender thread only. */
    private Map<String, List<TargetGroup>> lastDelivered;

    public DiscoveryManager(String name, DiscoveryMetrics metrics, Consumer<Map<String, List<TargetGroup>>> listener,
                            Options options) {
        this.name = name;
        this.metrics = metrics;
        this.listener = listener;
        this.options = options;
        this.sender = Thread.ofVirtual().name("sd-sender-" + name).start(this::sendLoop);
    }

    /** Convenience: registers fresh {@link DiscoveryMetrics} on {@code registry}. */
    public DiscoveryManager(String name, PrometheusRegistry registry, Consumer<Map<String, List<TargetGroup>>> listener,
                            Options options) {
        this(name, new DiscoveryMetrics(registry), listener, options);
    }

    /** A pool's discoverers and the groups each has sent. */
    private static final class Pool {
        final ServiceDiscoveryConfigs configs;
        final List<Provider> providers = new ArrayList<>();
        int failed;

        Pool(ServiceDiscoveryConfigs configs) { this.configs = configs; }
    }

    /** One running discoverer; {@code groups} and {@code stopped} are guarded by the manager's lock. */
    private static final class Provider {
        final String label;
        final Discoverer discoverer;
        final Map<String, TargetGroup> groups = new LinkedHashMap<>();
        boolean stopped;
        Thread thread;

        Provider(String label, Discoverer discoverer) {
            this.label = label;
            this.discoverer = discoverer;
        }
    }

    /**
     * Applies a (re)loaded configuration: pools are keyed by job name; pools whose configuration is
     * equal to the running one are left alone.
     */
    public void applyConfig(Map<String, ServiceDiscoveryConfigs> config) {
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("discovery manager is closed [name=" + name + "]");
            for (var it = pools.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                ServiceDiscoveryConfigs next = config.get(e.getKey());
                if (next != null && next.equals(e.getValue().configs)) continue;
                stop(e.getValue());
                it.remove();
                metrics.discoveredTargets.remove(e.getKey(), name);
            }
            Map<String, Pool> ordered = new LinkedHashMap<>();
            for (var e : config.entrySet()) {
                Pool p = pools.get(e.getKey());
                if (p == null) p = start(e.getKey(), e.getValue());
                ordered.put(e.getKey(), p);
            }
            pools.clear();
            pools.putAll(ordered);
            int failed = 0;
            for (Pool p : pools.values()) failed += p.failed;
            metrics.failedConfigs.labelValues(name).set(failed);
            trigger();
        } finally {
            lock.unlock();
        }
    }

    /** {@link #applyConfig} for scrape jobs: one pool per {@code job_name}, in config order. */
    public void applyScrapeConfigs(List<ScrapeConfig> jobs) {
        Map<String, ServiceDiscoveryConfigs> pools = new LinkedHashMap<>();
        for (ScrapeConfig job : jobs) pools.put(job.jobName(), job.discovery());
        applyConfig(pools);
    }

    /** The current merged groups of every pool (what the next delivery would carry). */
    public Map<String, List<TargetGroup>> allGroups() {
        lock.lock();
        try {
            return snapshot();
        } finally {
            lock.unlock();
        }
    }

    /** Stops every discoverer and the sender; waits briefly for them. A second call does nothing. */
    @Override
    public void close() {
        List<Thread> threads = new ArrayList<>();
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            for (Pool p : pools.values()) {
                for (Provider pr : p.providers) if (pr.thread != null) threads.add(pr.thread);
                stop(p);
            }
            pools.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        sender.interrupt();
        threads.add(sender);
        for (Thread t : threads) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Pool start(String pool, ServiceDiscoveryConfigs cfg) {
        Pool p = new Pool(cfg);
        if (!cfg.staticConfigs().isEmpty()) p.providers.add(new Provider("static", new StaticDiscoverer(cfg.staticConfigs())));
        for (int i = 0; i < cfg.fileSdConfigs().size(); i++) {
            FileSdConfig c = cfg.fileSdConfigs().get(i);
            add(p, pool, "file/" + i, () -> new FileDiscoverer(c, options.baseDir(), metrics));
        }
        for (int i = 0; i < cfg.httpSdConfigs().size(); i++) {
            HttpSdConfig c = cfg.httpSdConfigs().get(i);
            add(p, pool, "http/" + i, () -> new HttpDiscoverer(c, metrics));
        }
        for (int i = 0; i < cfg.dnsSdConfigs().size(); i++) {
            DnsSdConfig c = cfg.dnsSdConfigs().get(i);
            add(p, pool, "dns/" + i, () -> new DnsDiscoverer(c, options.resolvers(), metrics));
        }
        for (int i = 0; i < cfg.kubernetesSdConfigs().size(); i++) {
            // KubernetesDiscoverer (and with it fabric8) is loaded only here, when a config asks for it
            KubernetesSdConfig c = cfg.kubernetesSdConfigs().get(i);
            add(p, pool, "kubernetes/" + i, () -> kubernetes(c));
        }
        for (Provider pr : p.providers) {
            pr.thread = Thread.ofVirtual().name("sd-" + name + "-" + pool + "-" + pr.label)
                    .start(() -> runProvider(pool, pr));
        }
        return p;
    }

    private Discoverer kubernetes(KubernetesSdConfig c) {
        return new io.pyrometer.discovery.kubernetes.KubernetesDiscoverer(c, metrics);
    }

    private void add(Pool p, String pool, String label, java.util.function.Supplier<Discoverer> factory) {
        try {
            p.providers.add(new Provider(label, factory.get()));
        } catch (RuntimeException e) {
            p.failed++;
            LOG.log(System.Logger.Level.ERROR, "msg=\"Cannot create service discovery\" pool={0} config={1} err=\"{2}\"",
                    pool, label, e.getMessage());
        }
    }

    private void runProvider(String pool, Provider pr) {
        try {
            pr.discoverer.run(groups -> update(pr, groups));
        } catch (InterruptedException e) {
            // stopped by a reload or close
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "msg=\"Service discovery stopped unexpectedly\" pool={0} config={1} err=\"{2}\"",
                    pool, pr.label, String.valueOf(e));
        }
    }

    private void update(Provider pr, List<TargetGroup> groups) {
        lock.lock();
        try {
            if (pr.stopped) return; // a late update from a discoverer a reload replaced
            metrics.receivedUpdates.labelValues(name).inc();
            for (TargetGroup g : groups) {
                if (g == null) continue;
                if (g.targets().isEmpty()) pr.groups.remove(g.source());
                else pr.groups.put(g.source(), g);
            }
            trigger();
        } finally {
            lock.unlock();
        }
    }

    private static void stop(Pool p) {
        for (Provider pr : p.providers) {
            pr.stopped = true;
            if (pr.thread != null) pr.thread.interrupt();
        }
    }

    private void trigger() {
        triggered = true;
        changed.signalAll();
    }

    private Map<String, List<TargetGroup>> snapshot() {
        Map<String, List<TargetGroup>> out = new LinkedHashMap<>();
        for (var e : pools.entrySet()) {
            List<TargetGroup> groups = new ArrayList<>();
            for (Provider pr : e.getValue().providers) groups.addAll(pr.groups.values());
            out.put(e.getKey(), List.copyOf(groups));
        }
        return out;
    }

    /** Delivers at most once per update interval, only when something changed since the last delivery. */
    private void sendLoop() {
        try {
            while (true) {
                Map<String, List<TargetGroup>> snap;
                lock.lock();
                try {
                    while (!triggered && !closed) changed.await();
                    if (closed) return;
                    triggered = false;
                    snap = snapshot();
                } finally {
                    lock.unlock();
                }
                if (deliver(snap)) TimeUnit.MILLISECONDS.sleep(options.updateIntervalMs());
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Hands the snapshot to the listener unless it equals the last one; true when delivered. */
    private boolean deliver(Map<String, List<TargetGroup>> snap) {
        // periodic refreshes mostly resend what is already known: spare the listener a no-op sync
        if (snap.equals(lastDelivered)) return false;
        for (var e : snap.entrySet()) {
            int n = 0;
            for (TargetGroup g : e.getValue()) n += g.targets().size();
            metrics.discoveredTargets.labelValues(e.getKey(), name).set(n);
        }
        metrics.updates.labelValues(name).inc();
        try {
            listener.accept(snap);
            lastDelivered = snap;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "msg=\"Target update listener failed\" name={0} err=\"{1}\"", name, String.valueOf(e));
        }
        return true;
    }
}
