package io.pyrometer.cli;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.ConfigException;
import io.pyrometer.config.ConfigLoader;
import io.pyrometer.config.ConfigRenderer;
import io.pyrometer.config.PrometheusConfig;
import io.pyrometer.config.ScrapeConfig;
import io.pyrometer.config.ServiceDiscoveryConfigs;
import io.pyrometer.discovery.DiscoveryManager;
import io.pyrometer.discovery.DiscoveryMetrics;
import io.pyrometer.model.ByteSizes;
import io.pyrometer.model.Durations;
import io.pyrometer.notifier.AlertSender;
import io.pyrometer.notifier.NotificationManager;
import io.pyrometer.notifier.Notifier;
import io.pyrometer.scrape.ScrapeManager;
import io.pyrometer.scrape.ScrapeMetrics;
import io.pyrometer.tsdb.DB;
import io.pyrometer.tsdb.DbOptions;
import io.pyrometer.promql.engine.Engine;
import io.pyrometer.promql.engine.EngineOptions;
import io.pyrometer.web.AlertmanagersApi;
import io.pyrometer.promql.parser.ParserOptions;
import io.pyrometer.rules.EngineQueries;
import io.pyrometer.rules.RuleFileException;
import io.pyrometer.rules.RuleManager;
import io.pyrometer.rules.RuleMetrics;
import io.pyrometer.web.RulesApi;
import io.pyrometer.web.QueryApi;
import io.pyrometer.web.SeriesApi;
import io.pyrometer.web.ServerState;
import io.pyrometer.web.StatusApi;
import io.pyrometer.web.TargetsApi;
import io.pyrometer.web.TsdbApi;
import io.pyrometer.web.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running server: config, storage, discovery, scraping and the web API wired together, with
 * reload on SIGHUP, {@code POST /-/reload} and config file changes. A bad new config keeps the old
 * one running.
 */
final class Server implements ServerState, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());

    /** Startup failed; the message is what the user sees. */
    static final class StartupException extends Exception {
        StartupException(String message, Throwable cause) { super(message, cause); }
    }

    private final Flags flags;
    private final Path configFile; // null: the built-in config
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final long startTimeMs = System.currentTimeMillis();
    private final DB storage;
    private final ScrapeManager scrape;
    private final DiscoveryManager discovery;
    private final Notifier notifier;
    private final WebServer web;
    private final RuleManager rules;
    private final String externalUrl;
    private final Gauge reloadSuccess;
    private final Gauge reloadSuccessTime;
    private final Gauge readyGauge;
    private final String retention;
    private final Object reloadLock = new Object();

    private volatile PrometheusConfig config;
    private volatile boolean lastReloadOk = true;
    private volatile long lastReloadOkMs;
    private volatile boolean ready;
    private volatile boolean closed;
    private Thread watcher;

    private Server(Flags flags, Runnable quit) throws StartupException {
        this.flags = flags;
        this.configFile = resolveConfigFile(flags);
        long toleranceMs = parseDuration("scrape.timestamp-tolerance");
        long retentionMs = parseDuration("storage.tsdb.retention.time");
        long retentionBytes;
        try {
            retentionBytes = ByteSizes.parse(flags.get("storage.tsdb.retention.size"));
        } catch (IllegalArgumentException e) {
            throw new StartupException("invalid --storage.tsdb.retention.size: " + e.getMessage(), e);
        }
        this.retention = Durations.format(retentionMs) + (retentionBytes > 0 ? " or " + flags.get("storage.tsdb.retention.size") : "");
        refuseUnsupportedFlags();
        JvmMetrics.builder().register(registry);
        reloadSuccess = Gauge.builder().name("prometheus_config_last_reload_successful")
                .help("Whether the last configuration reload attempt was successful.").register(registry);
        reloadSuccessTime = Gauge.builder().name("prometheus_config_last_reload_success_timestamp_seconds")
                .help("Timestamp of the last successful configuration reload.").register(registry);
        readyGauge = Gauge.builder().name("prometheus_ready").help("Whether Prometheus startup was fully completed and the server is ready for normal operation.")
                .register(registry);

        PrometheusConfig first = loadConfig();
        Path dataDir = Path.of(flags.get("storage.tsdb.path"));
        try {
            long cfgRetention = first.storage().retentionTimeMs(), cfgSize = first.storage().retentionSizeBytes();
            DbOptions dbo = DbOptions.defaults().withRegistry(registry)
                    .withRetention(cfgRetention > 0 ? cfgRetention : retentionMs, cfgSize > 0 ? cfgSize : retentionBytes)
                    .withOutOfOrderTimeWindowMs(first.storage().outOfOrderTimeWindowMs());
            this.storage = DB.open(dataDir, dbo);
        } catch (IOException | RuntimeException e) {
            throw new StartupException("opening storage at \"" + dataDir + "\": " + e.getMessage(), e);
        }
        this.scrape = new ScrapeManager(storage, new ScrapeMetrics(registry), toleranceMs);
        Path baseDir = configFile == null ? Path.of("") : configFile.toAbsolutePath().getParent();
        DiscoveryMetrics sdMetrics = new DiscoveryMetrics(registry); // shared: "scrape" and "notify" by the name label
        this.discovery = new DiscoveryManager("scrape", sdMetrics, scrape::updateTargets, DiscoveryManager.Options.defaults(baseDir));
        this.notifier = new Notifier(notifierOptions(), registry, sdMetrics, DiscoveryManager.Options.defaults(baseDir));
        WebServer.Options wo;
        try {
            wo = new WebServer.Options(flags.get("web.listen-address"), flags.getBool("web.enable-lifecycle"),
                    flags.getBool("web.enable-admin-api"), ByteSizes.parse(flags.get("web.max-request-body-size")),
                    Integer.parseInt(flags.get("web.max-connections")));
        } catch (IllegalArgumentException e) {
            throw new StartupException("invalid web flag: " + e.getMessage(), e);
        }
        this.web = new WebServer(wo, registry);
        web.addSelfMetrics(storage.unregistrableMetrics());
        web.addStandardRoutes(() -> ready, () -> {
            String err = reload("api");
            if (err != null) throw new IllegalStateException(err);
        }, quit);
        StatusApi.register(web, this);
        new TargetsApi(scrape, Selectors::parse).register(web);
        new SeriesApi(storage, Selectors::parse).register(web);
        new AlertmanagersApi(notifier).register(web);
        new TsdbApi(storage, wo.enableAdminApi(), Selectors::parse).register(web);
        Engine engine;
        try {
            java.util.Set<String> features = enabledFeatures();
            EngineOptions eo = EngineOptions.defaults()
                    .withExperimentalFunctions(features.contains("promql-experimental-functions"))
                    .withDelayedNameRemoval(features.contains("promql-delayed-name-removal"))
                    .withLookbackDeltaMs(parseDuration("query.lookback-delta"))
                    .withTimeoutMs(parseDuration("query.timeout"))
                    .withMaxSamples(Long.parseLong(flags.get("query.max-samples")))
                    .withNoStepSubqueryIntervalMs(first.global().evaluationIntervalMs());
            engine = new Engine(eo);
            new QueryApi(engine, storage, Integer.parseInt(flags.get("query.max-concurrency"))).register(web);
        } catch (NumberFormatException e) {
            throw new StartupException("invalid query flag: " + e.getMessage(), e);
        }
        this.externalUrl = ExternalUrl.compute(flags.get("web.external-url"), flags.get("web.listen-address"));
        this.rules = new RuleManager(new RuleManager.Options(EngineQueries.of(engine, storage), storage, storage, alertSender(),
                System::currentTimeMillis, new RuleMetrics(registry), parseDuration("rules.alert.resend-delay"),
                parseDuration("rules.alert.for-outage-tolerance"), parseDuration("rules.alert.for-grace-period"), externalUrl,
                engine.options().enableExperimentalFunctions() ? ParserOptions.EXPERIMENTAL : ParserOptions.DEFAULT));
        new RulesApi(rules, Selectors::parse).register(web);
        try {
            updateRules(first); // first: a bad rule file fails the start before anything runs
            applyConfig(first);
        } catch (StartupException e) {
            close();
            throw e;
        }
        rules.start();
        try {
            web.start();
        } catch (Exception e) {
            close();
            throw new StartupException(e.getMessage(), e);
        }
        ready = true;
        readyGauge.set(1);
        installSighup();
        startWatcher(parseDuration("config.auto-reload-interval"));
        LOG.log(System.Logger.Level.INFO, "server is ready to receive web requests");
    }

    static Server start(Flags flags, Runnable quit) throws StartupException {
        return new Server(flags, quit);
    }

    /** Where the rules engine sends its alerts: the notifier (queues, never blocks on the network). */
    AlertSender alertSender() { return notifier; }

    private NotificationManager.Options notifierOptions() throws StartupException {
        String flag = "alertmanager.notification-queue-capacity";
        try {
            return new NotificationManager.Options(Integer.parseInt(flags.get(flag)),
                    flags.getBool("alertmanager.drain-notification-queue-on-shutdown"), NotificationManager.DEFAULT_MAX_BATCH_SIZE);
        } catch (IllegalArgumentException e) {
            throw new StartupException("invalid --" + flag + ": " + e.getMessage(), e);
        }
    }

    /** Feature names Pyrometer knows; others are logged and ignored, as Prometheus does. */
    static final java.util.Set<String> KNOWN_FEATURES = java.util.Set.of("promql-experimental-functions", "promql-delayed-name-removal");

    private java.util.Set<String> enabledFeatures() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String f : flags.get("enable-feature").split(",")) {
            f = f.strip();
            if (f.isEmpty()) continue;
            if (KNOWN_FEATURES.contains(f)) {
                out.add(f);
                LOG.log(System.Logger.Level.INFO, "experimental feature enabled feature={0}", f);
            } else {
                LOG.log(System.Logger.Level.WARNING, "unknown option for --enable-feature option={0} known={1}", f, KNOWN_FEATURES);
            }
        }
        return out;
    }

    private long parseDuration(String flag) throws StartupException {
        try {
            return Durations.parseMs(flags.get(flag));
        } catch (IllegalArgumentException e) {
            throw new StartupException("invalid --" + flag + ": " + e.getMessage(), e);
        }
    }

    private void refuseUnsupportedFlags() throws StartupException {
        if (!flags.get("web.config.file").isEmpty()) {
            throw new StartupException("--web.config.file is not supported by Pyrometer yet: terminate TLS in a proxy for now", null);
        }
        if (flags.getBool("web.enable-remote-write-receiver")) {
            throw new StartupException("--web.enable-remote-write-receiver is not supported by Pyrometer yet", null);
        }
    }

    /** --config.file if given; else ./prometheus.yml if present; else null (built-in config). */
    private static Path resolveConfigFile(Flags flags) {
        if (flags.isSet("config.file")) return Path.of(flags.get("config.file"));
        Path dflt = Path.of("prometheus.yml");
        return Files.exists(dflt) ? dflt : null;
    }

    private PrometheusConfig loadConfig() throws StartupException {
        try {
            PrometheusConfig cfg = configFile == null ? builtIn() : ConfigLoader.load(configFile);
            refuseUnsupportedSections(cfg);
            return cfg;
        } catch (ConfigException e) {
            throw new StartupException("error loading config from \"" + (configFile == null ? "built-in" : configFile) + "\": " + e.getMessage(), e);
        }
    }

    private PrometheusConfig builtIn() throws ConfigException {
        String addr = flags.get("web.listen-address");
        String port = addr.substring(addr.lastIndexOf(':') + 1);
        try (InputStream in = Server.class.getResourceAsStream("default-prometheus.yml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${PORT}", port);
            LOG.log(System.Logger.Level.INFO, "no config file given and no ./prometheus.yml: using the built-in config that scrapes this server");
            return ConfigLoader.parse(yaml, Path.of("built-in prometheus.yml"));
        } catch (IOException e) {
            throw new IllegalStateException("built-in config missing from the jar", e);
        }
    }

    /**
     * Sections parsed and validated but whose features do not exist yet: refusing is better than
     * silently not alerting or not forwarding.
     */
    private static void refuseUnsupportedSections(PrometheusConfig cfg) throws ConfigException {
        List<String> sections = new ArrayList<>();
        if (!cfg.remoteWrite().isEmpty()) sections.add("remote_write");
        if (!cfg.remoteRead().isEmpty()) sections.add("remote_read");
        if (!sections.isEmpty()) {
            throw new ConfigException(cfg.sourceFile(), "section(s) " + String.join(", ", sections)
                    + " are not supported by Pyrometer yet; remove them to run this version (see README, 'Not supported yet')", null);
        }
    }

    private void applyConfig(PrometheusConfig cfg) throws StartupException {
        try {
            notifier.applyConfig(cfg); // first: it is the part that can still reject the config
        } catch (IllegalArgumentException e) {
            throw new StartupException("error applying config from \"" + (configFile == null ? "built-in" : configFile) + "\": "
                    + e.getMessage(), e);
        }
        scrape.applyConfig(cfg);
        Map<String, ServiceDiscoveryConfigs> sd = new LinkedHashMap<>();
        for (ScrapeConfig sc : cfg.scrapeConfigs()) sd.put(sc.jobName(), sc.discovery());
        discovery.applyConfig(sd);
        config = cfg;
        lastReloadOk = true;
        lastReloadOkMs = System.currentTimeMillis();
        reloadSuccess.set(1);
        reloadSuccessTime.set(lastReloadOkMs / 1000.0);
    }

    /** Reloads the config; returns null on success or the error (the old config keeps running). */
    String reload(String trigger) {
        synchronized (reloadLock) {
            if (closed) return "server is shutting down";
            long t0 = System.nanoTime();
            try {
                PrometheusConfig cfg = loadConfig();
                updateRules(cfg); // first: a bad rule file fails the reload before anything changes
                applyConfig(cfg);
                LOG.log(System.Logger.Level.INFO, "completed loading of configuration file file={0} trigger={1} totalDuration={2}ms",
                        configFile == null ? "built-in" : configFile, trigger, (System.nanoTime() - t0) / 1_000_000);
                return null;
            } catch (StartupException e) {
                lastReloadOk = false;
                reloadSuccess.set(0);
                lastFailedSha = fileSha(); // the watcher does not retry (and log) this content again
                LOG.log(System.Logger.Level.ERROR, "error reloading config trigger={0} err=\"{1}\"", trigger, e.getMessage());
                return e.getMessage();
            }
        }
    }

    /** Loads the config's rule files into the rule manager; a bad file changes nothing and fails the (re)load. */
    private void updateRules(PrometheusConfig cfg) throws StartupException {
        try {
            rules.update(cfg.global().evaluationIntervalMs(), cfg.global().ruleQueryOffsetMs(), cfg.global().externalLabels(),
                    cfg.ruleFiles());
            appliedRulesSha = rulesSha(cfg);
        } catch (RuleFileException e) {
            throw new StartupException("error loading rules, previous rule set restored: " + String.join("\n", e.errors()), e);
        }
    }

    /** A hash over the rule files the config names (names and contents), so the watcher sees edits to them too. */
    private static String rulesSha(PrometheusConfig cfg) {
        StringBuilder sb = new StringBuilder();
        try {
            for (Path f : RuleManager.expand(cfg.ruleFiles())) {
                sb.append(f).append('\0');
                try {
                    sb.append(ConfigLoader.sha256(Files.readAllBytes(f)));
                } catch (IOException e) {
                    sb.append("unreadable");
                }
                sb.append('\n');
            }
        } catch (RuleFileException e) {
            sb.append(e.getMessage());
        }
        return ConfigLoader.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private volatile String appliedRulesSha = "";

    @SuppressWarnings("removal")
    private void installSighup() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> Thread.ofVirtual().start(() -> reload("SIGHUP")));
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "SIGHUP reload unavailable on this platform err=\"{0}\"", e.getMessage());
        }
    }

    /** Polls the config file's content hash; a change triggers a reload (no sidecar needed). */
    private void startWatcher(long intervalMs) {
        if (configFile == null || intervalMs <= 0) return;
        watcher = Thread.ofVirtual().name("config-watcher").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(intervalMs);
                    PrometheusConfig cur = config;
                    // the config file and every rule file it names: editing either reloads
                    String sha = ConfigLoader.sha256(Files.readAllBytes(configFile)) + rulesSha(cur);
                    if (sha.equals(cur.sha256() + appliedRulesSha)) {
                        if (!lastReloadOk) restoredToRunningConfig();
                    } else if (!sha.equals(lastFailedSha)) {
                        reload("file-change"); // a failure is logged once per content of the files
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "config file unreadable err=\"{0}\"", e.getMessage());
                }
            }
        });
    }

    /** Content hash of the config and rule files whose reload failed last ("" when none or unreadable). */
    private volatile String lastFailedSha = "";

    /** The watcher's view of the files: the config file's hash plus the running config's rule files' hash. */
    private String fileSha() {
        if (configFile == null) return "";
        try {
            return ConfigLoader.sha256(Files.readAllBytes(configFile)) + rulesSha(config);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The file holds the running configuration again after a failed reload (the user reverted the
     * edit): the failure no longer describes the file, so the reload state is healthy again.
     */
    private void restoredToRunningConfig() {
        synchronized (reloadLock) {
            if (lastReloadOk || closed) return;
            lastReloadOk = true;
            lastFailedSha = "";
            reloadSuccess.set(1);
            LOG.log(System.Logger.Level.INFO, "config file matches the running configuration again; reload state cleared file={0}", configFile);
        }
    }

    /** Open until the first {@link #close} has finished; later callers wait on it. */
    private final java.util.concurrent.CountDownLatch closeDone = new java.util.concurrent.CountDownLatch(1);

    /**
     * Stops everything once; a second caller (the shutdown hook racing the main thread after a
     * signal) waits until the first has finished, so the JVM does not halt mid-close (the TSDB
     * unflushed, its lock file left behind, the last log lines lost).
     */
    @Override
    public void close() {
        boolean first;
        synchronized (reloadLock) {
            first = !closed;
            closed = true;
        }
        if (!first) {
            try {
                closeDone.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            closeOnce();
        } finally {
            closeDone.countDown();
        }
    }

    private void closeOnce() {
        ready = false;
        if (watcher != null) watcher.interrupt();
        if (web != null) web.close();
        if (rules != null) rules.close();
        if (discovery != null) discovery.close();
        if (notifier != null) notifier.close(); // drains queued alerts; stop the rules engine before this
        if (scrape != null) scrape.close();
        if (storage != null) {
            try {
                storage.close();
                LOG.log(System.Logger.Level.INFO, "TSDB closed dir={0}", storage.dir().toAbsolutePath());
            } catch (RuntimeException e) {
                // e.g. the WAL channel closed by an interrupted scrape loop's write (ClosedByInterruptException):
                // what was written is replayed at the next start, as after a crash
                LOG.log(System.Logger.Level.ERROR, "closing the TSDB failed; the next start replays the WAL dir={0} err=\"{1}\"",
                        storage.dir().toAbsolutePath(), String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : ": " + e.getCause()));
            }
        }
        LOG.log(System.Logger.Level.INFO, "see you next time!");
    }

    // ServerState

    @Override
    public String configYaml() { return ConfigRenderer.toYaml(config); }

    @Override
    public Map<String, String> flags() { return flags.effectiveValues(); }

    @Override
    public boolean lastReloadSuccessful() { return lastReloadOk; }

    @Override
    public long lastReloadSuccessMs() { return lastReloadOkMs; }

    @Override
    public long startTimeMs() { return startTimeMs; }

    @Override
    public String storageRetention() { return retention; }

    @Override
    public long corruptionCount() { return storage.head().walCorruptionsTotal(); }

    int port() { return web.port(); }
}
