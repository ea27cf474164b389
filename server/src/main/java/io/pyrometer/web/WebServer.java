package io.pyrometer.web;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.SelfMetricFamily;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The HTTP server: Vert.x for sockets and routing; every API handler runs on a virtual thread so
 * handlers may block (queries, disk). Routes are added by the API classes before {@link #start}.
 */
public final class WebServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WebServer.class.getName());

    /** What the web layer is configured with. */
    public record Options(String listenAddress, boolean enableLifecycle, boolean enableAdminApi,
                          long maxRequestBodyBytes, int maxConnections) {}

    /** A JSON API handler: returns the full response body or throws {@link ApiError}. */
    @FunctionalInterface
    public interface JsonHandler {
        byte[] handle(Request req) throws Exception;
    }

    /** A plain handler that writes its own response on a virtual thread. */
    @FunctionalInterface
    public interface RawHandler {
        void handle(RoutingContext ctx) throws Exception;
    }

    private final Options options;
    private final Vertx vertx;
    private final Router router;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final PrometheusRegistry registry;
    private final Counter requests;
    private final Histogram duration;
    private final List<SelfMetricFamily> selfMetrics = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile int boundPort = -1;

    public WebServer(Options options, PrometheusRegistry registry) {
        this.options = options;
        this.registry = registry;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4)
                .setBlockedThreadCheckInterval(60_000));
        this.router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(options.maxRequestBodyBytes()));
        this.requests = Counter.builder().name("prometheus_http_requests_total")
                .help("Counter of HTTP requests.").labelNames("handler", "code").register(registry);
        this.duration = Histogram.builder().name("prometheus_http_request_duration_seconds")
                .help("Histogram of latencies for HTTP requests.").labelNames("handler")
                .classicUpperBounds(0.1, 0.2, 0.4, 1, 3, 8, 20, 60, 120).register(registry);
    }

    public Options options() { return options; }

    /** Registers a JSON API route for GET (and form POST when {@code post}). */
    public void json(String path, boolean post, JsonHandler h) {
        router.get(path).handler(ctx -> dispatchJson(path, ctx, h));
        if (post) router.post(path).handler(ctx -> dispatchJson(path, ctx, h));
    }

    /** Registers a JSON API route for one method. */
    public void json(HttpMethod method, String path, JsonHandler h) {
        router.route(method, path).handler(ctx -> dispatchJson(path, ctx, h));
    }

    /** Registers a raw route on a virtual thread. */
    public void raw(HttpMethod method, String path, RawHandler h) {
        router.route(method, path).handler(ctx -> handlers.execute(() -> {
            long start = System.nanoTime();
            try {
                h.handle(ctx);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "handler failed path={0} err=\"{1}\"", path, e.toString());
                if (!ctx.response().ended()) ctx.response().setStatusCode(500).end(String.valueOf(e.getMessage()));
            } finally {
                observe(path, ctx.response().getStatusCode(), start);
            }
        }));
    }

    private void dispatchJson(String path, RoutingContext ctx, JsonHandler h) {
        handlers.execute(() -> {
            long start = System.nanoTime();
            int status = 200;
            byte[] body;
            try {
                body = h.handle(new Request(ctx));
            } catch (ApiError e) {
                status = e.status();
                body = Json.error(e);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "api handler failed path={0} err=\"{1}\"", path, e.toString());
                ApiError err = ApiError.internal(String.valueOf(e.getMessage()));
                status = err.status();
                body = Json.error(err);
            }
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
            } else {
                status = ctx.response().getStatusCode(); // the handler answered itself (204 No Content)
            }
            observe(path, status, start);
        });
    }

    private void observe(String handler, int code, long startNanos) {
        requests.labelValues(handler, Integer.toString(code)).inc();
        duration.labelValues(handler).observe((System.nanoTime() - startNanos) / 1e9);
    }

    /** Health, readiness, lifecycle and /metrics: the routes every role has. */
    public void addStandardRoutes(BooleanSupplier ready, Runnable reload, Runnable quit) {
        router.get("/-/healthy").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("Prometheus Server is Healthy.\n"));
        router.head("/-/healthy").handler(ctx -> ctx.response().end());
        router.get("/-/ready").handler(ctx -> {
            if (ready.getAsBoolean()) {
                ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("Prometheus Server is Ready.\n");
            } else {
                ctx.response().setStatusCode(503).end("Service Unavailable");
            }
        });
        for (HttpMethod m : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT}) {
            raw(m, "/-/reload", ctx -> {
                if (!options.enableLifecycle()) {
                    ctx.response().setStatusCode(403).end("Lifecycle API is not enabled.");
                    return;
                }
                try {
                    reload.run();
                    ctx.response().end();
                } catch (RuntimeException e) {
                    ctx.response().setStatusCode(500).end("failed to reload config: " + e.getMessage());
                }
            });
            raw(m, "/-/quit", ctx -> {
                if (!options.enableLifecycle()) {
                    ctx.response().setStatusCode(403).end("Lifecycle API is not enabled.");
                    return;
                }
                ctx.response().end("Requesting termination... Goodbye!");
                quit.run();
            });
        }
        raw(HttpMethod.GET, "/metrics", this::serveMetrics);
    }

    /**
     * Adds families written on {@code /metrics} after the registry's, for names client_java refuses
     * ({@link SelfMetricFamily}); the caller must not add a name the registry also has.
     */
    public void addSelfMetrics(List<SelfMetricFamily> families) {
        selfMetrics.addAll(families);
    }

    private void serveMetrics(RoutingContext ctx) throws IOException {
        String accept = ctx.request().getHeader("Accept");
        ExpositionFormatWriter writer = ExpositionFormats.init().findWriter(accept);
        ByteArrayOutputStream fromRegistry = new ByteArrayOutputStream(32 * 1024);
        writer.write(fromRegistry, registry.scrape());
        ByteArrayOutputStream out = new ByteArrayOutputStream(fromRegistry.size() + 1024);
        SelfMetricsExposition.write(out, SelfMetricsExposition.Format.of(writer.getContentType()), fromRegistry.toByteArray(), selfMetrics);
        // gzip is Vert.x's (compressionSupported), on HTTP/1.1 and h2c alike: compressing here as
        // well made h2c clients receive the body gzipped twice
        ctx.response().putHeader("Content-Type", writer.getContentType()).end(Buffer.buffer(out.toByteArray()));
    }

    /** Binds the listen address; fails with Prometheus-like wording when it cannot. */
    public void start() throws Exception {
        String addr = options.listenAddress();
        int colon = addr.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("invalid --web.listen-address \"" + addr + "\": missing port (use host:port, e.g. 0.0.0.0:9090)");
        String host = addr.substring(0, colon);
        if (host.isEmpty()) host = "0.0.0.0";
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(addr.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid --web.listen-address \"" + addr + "\": port is not a number");
        }
        router.route().last().handler(ctx -> ctx.response().setStatusCode(404).end("404 page not found\n"));
        HttpServerOptions so = new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(true)
                .setDecompressionSupported(true).setIdleTimeout(300).setIdleTimeoutUnit(TimeUnit.SECONDS);
        try {
            server = vertx.createHttpServer(so).requestHandler(router).listen().toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("listen tcp " + addr + ": " + e.getCause().getMessage()
                    + " (is another server on that port? choose another with --web.listen-address)", e.getCause());
        }
        boundPort = server.actualPort();
        LOG.log(System.Logger.Level.INFO, "listening address={0}", host + ":" + boundPort);
    }

    /** The bound port (useful when listening on :0). */
    public int port() { return boundPort; }

    @Override
    public void close() {
        try {
            if (server != null) server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // shutting down anyway
        }
        handlers.shutdownNow();
        vertx.close();
    }
}
