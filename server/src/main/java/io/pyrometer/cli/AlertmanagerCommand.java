package io.pyrometer.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.alerting.AlertRouter;
import io.pyrometer.alerting.RouterMetrics;
import io.pyrometer.alerting.api.AlertmanagerApi;
import io.pyrometer.alerting.cluster.Cluster;
import io.pyrometer.alerting.config.AlertmanagerConfig;
import io.pyrometer.alerting.config.AlertmanagerConfigLoader;
import io.pyrometer.alerting.types.Scheduler;
import io.pyrometer.config.ConfigException;
import io.pyrometer.model.BuildInfo;
import io.pyrometer.model.Durations;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pyrometer alertmanager}: the alert router role. Loads {@code --config.file} (a bad file at
 * start exits 1), restores silences and the notification log from {@code --storage.path}, serves
 * the Alertmanager API, and reloads on SIGHUP and {@code POST /-/reload} (a bad file keeps the old
 * configuration and sets {@code alertmanager_config_last_reload_successful} to 0).
 */
final class AlertmanagerCommand {
    private static final System.Logger LOG = System.getLogger(AlertmanagerCommand.class.getName());

    private AlertmanagerCommand() {}

    /** A running router: for tests and for {@link #run}. */
    static final class Running implements AutoCloseable {
        final AlertRouter router;
        final AlertmanagerApi api;
        final int port;
        final Path configFile;
        final RouterMetrics metrics;

        final Cluster cluster;

        Running(AlertRouter router, AlertmanagerApi api, int port, Path configFile, RouterMetrics metrics, Cluster cluster) {
            this.cluster = cluster;
            this.router = router;
            this.api = api;
            this.port = port;
            this.configFile = configFile;
            this.metrics = metrics;
        }

        /** Reloads the config file; null on success, else the error. */
        synchronized String reload(String trigger) {
            try {
                AlertmanagerConfig c = AlertmanagerConfigLoader.load(configFile);
                router.apply(c);
                metrics.configSuccess.set(1);
                metrics.configSuccessTime.set(System.currentTimeMillis() / 1000.0);
                metrics.configHash.set(Long.parseUnsignedLong(c.sha256().substring(0, 12), 16));
                LOG.log(System.Logger.Level.INFO, "Completed loading of configuration file trigger=" + trigger + " file=" + configFile);
                return null;
            } catch (Exception e) {
                metrics.configSuccess.set(0);
                LOG.log(System.Logger.Level.ERROR, "Loading configuration file failed trigger=" + trigger + " file=" + configFile
                        + " err=\"" + e.getMessage() + "\"");
                return e.getMessage();
            }
        }

        @Override
        public void close() {
            if (cluster != null) cluster.close();
            api.close();
            router.close();
            router.scheduler().close();
        }
    }

    static final class StartupException extends Exception {
        StartupException(String m, Throwable cause) { super(m, cause); }
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> peers = new ArrayList<>();
        args = ToolCommand.takeRepeated(args, "cluster.peer", peers);
        Flags flags = AlertmanagerFlags.declare();
        try {
            flags.parse(args);
        } catch (Flags.UsageException e) {
            err.println("pyrometer alertmanager: error: " + e.getMessage());
            return 2;
        }
        if (flags.helpRequested()) {
            flags.printHelp(out);
            return 0;
        }
        if (!flags.positional().isEmpty()) {
            err.println("pyrometer alertmanager: error: unexpected argument \"" + flags.positional().getFirst() + "\"");
            return 2;
        }
        try {
            Logging.configure(flags.get("log.level"), flags.get("log.format"));
        } catch (IllegalArgumentException e) {
            err.println("pyrometer alertmanager: error: " + e.getMessage());
            return 2;
        }
        Running r;
        try {
            r = start(flags, peers);
        } catch (StartupException e) {
            err.println("pyrometer alertmanager: error: " + e.getMessage());
            return 1;
        }
        CountDownLatch quit = new CountDownLatch(1);
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> Thread.ofVirtual().start(() -> r.reload("SIGHUP")));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "SIGHUP reload unavailable err=\"" + e.getMessage() + "\"");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            quit.countDown();
            r.close();
        }, "shutdown"));
        try {
            quit.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static Running start(Flags flags, List<String> peers) throws StartupException {
        Path configFile = Path.of(flags.get("config.file"));
        AlertmanagerConfig cfg;
        try {
            cfg = AlertmanagerConfigLoader.load(configFile);
        } catch (ConfigException e) {
            throw new StartupException("loading configuration file failed: " + e.getMessage(), e);
        }
        long retention;
        try {
            retention = Durations.parseMs(goDuration(flags.get("data.retention")));
        } catch (IllegalArgumentException e) {
            throw new StartupException("invalid --data.retention: " + e.getMessage(), e);
        }
        String listen = flags.get("web.listen-address");
        int colon = listen.lastIndexOf(':');
        if (colon < 0) throw new StartupException("invalid --web.listen-address \"" + listen + "\": missing port", null);
        String host = listen.substring(0, colon);
        if (host.isEmpty()) host = "0.0.0.0";
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new StartupException("invalid --web.listen-address \"" + listen + "\": bad port", e);
        }
        String external = externalUrl(flags.get("web.external-url"), listen);
        String prefix = flags.get("web.route-prefix");
        if (prefix.isEmpty()) prefix = URI.create(external).getPath();
        if (prefix == null || prefix.isEmpty()) prefix = "/";
        PrometheusRegistry registry = new PrometheusRegistry();
        RouterMetrics metrics = new RouterMetrics(registry);
        Scheduler scheduler = Scheduler.system();
        AlertRouter router;
        long[] peerWait = {0};
        try {
            router = new AlertRouter(new AlertRouter.Options(Path.of(flags.get("storage.path")), retention, external,
                    () -> peerWait[0], Thread::sleep), scheduler, metrics, io.pyrometer.alerting.NotifyIntegrations::build);
            router.apply(cfg);
        } catch (Exception e) {
            scheduler.close();
            throw new StartupException("starting the router failed: " + e.getMessage(), e);
        }
        metrics.configSuccess.set(1);
        metrics.configSuccessTime.set(System.currentTimeMillis() / 1000.0);
        metrics.configHash.set(Long.parseUnsignedLong(cfg.sha256().substring(0, 12), 16));
        Running[] self = new Running[1];
        Cluster[] cluster = new Cluster[1];
        AlertmanagerApi api = new AlertmanagerApi(router, registry, prefix, () -> self[0].reload("/-/reload"),
                () -> cluster[0] == null ? new AlertmanagerApi.ClusterStatus("", "disabled", List.of())
                        : new AlertmanagerApi.ClusterStatus(cluster[0].self(), "ready", cluster[0].members()), BuildInfo.VERSION);
        int bound;
        try {
            bound = api.start(host, port);
        } catch (Exception e) {
            api.close();
            router.close();
            scheduler.close();
            throw new StartupException("listening on " + listen + " failed: " + e.getMessage(), e);
        }
        List<String> peerList = new ArrayList<>();
        for (String p : peers) for (String x : p.split(",")) if (!x.isBlank()) peerList.add(x.strip());
        if (!flags.get("cluster.peer").isEmpty() && peers.isEmpty()) {
            for (String x : flags.get("cluster.peer").split(",")) if (!x.isBlank()) peerList.add(x.strip());
        }
        if (!flags.get("cluster.listen-address").isEmpty() && !peerList.isEmpty()) {
            String advertise = flags.get("cluster.advertise-address");
            if (advertise.isEmpty()) advertise = (host.equals("0.0.0.0") ? localAddress() : host) + ":" + bound;
            try {
                cluster[0] = new Cluster(advertise, peerList, Durations.parseMs(goDuration(flags.get("cluster.peer-timeout"))),
                        Durations.parseMs(goDuration(flags.get("cluster.pushpull-interval"))), router.silences(), router.nflog());
            } catch (IllegalArgumentException e) {
                api.close();
                router.close();
                scheduler.close();
                throw new StartupException("invalid cluster flag: " + e.getMessage(), e);
            }
            Cluster c = cluster[0];
            api.route(io.vertx.core.http.HttpMethod.GET, Cluster.STATE_PATH, ctx -> ctx.response()
                    .putHeader("Content-Type", "application/json").end(io.vertx.core.buffer.Buffer.buffer(c.state())));
            api.route(io.vertx.core.http.HttpMethod.POST, Cluster.STATE_PATH, ctx -> {
                c.merge(ctx.body().buffer().getBytes());
                ctx.response().setStatusCode(200).end();
            });
            c.pullAll();
            peerWait[0] = c.waitMs();
            LOG.log(System.Logger.Level.INFO, "cluster enabled self=" + advertise + " peers=" + peerList
                    + " position=" + c.position() + " wait_ms=" + peerWait[0]);
        }
        self[0] = new Running(router, api, bound, configFile, metrics, cluster[0]);
        LOG.log(System.Logger.Level.INFO, "Listening address=" + host + ":" + bound + " external_url=" + external);
        return self[0];
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (Exception e) {
            return "127.0.0.1";
        }
    }

    /** Go durations in flags ({@code 120h}, {@code 1m0s}) as Prometheus durations. */
    static String goDuration(String s) {
        return s.replaceAll("(?<=[a-z])0s$", "").replaceAll("(?<=[a-z])0m$", "");
    }

    static String externalUrl(String flag, String listen) {
        if (!flag.isEmpty()) return flag.replaceAll("/+$", "");
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        String port = listen.substring(listen.lastIndexOf(':') + 1);
        return "http://" + host + ":" + port;
    }
}
