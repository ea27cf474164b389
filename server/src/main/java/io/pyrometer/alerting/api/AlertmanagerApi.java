package io.pyrometer.alerting.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.alerting.AlertRouter;
import io.pyrometer.alerting.config.Matcher;
import io.pyrometer.alerting.config.Matchers;
import io.pyrometer.alerting.dispatch.AggregationGroup;
import io.pyrometer.alerting.silence.Silence;
import io.pyrometer.alerting.silence.SilenceJson;
import io.pyrometer.alerting.silence.Silences;
import io.pyrometer.alerting.types.Alert;
import io.pyrometer.model.Labels;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Alertmanager's HTTP API v2 (upstream {@code api/v2/openapi.yaml}, {@code api/v2/api.go}) and its
 * operational endpoints ({@code /-/healthy}, {@code /-/ready}, {@code /-/reload}, {@code /metrics}),
 * served by Vert.x Web under the route prefix. Handlers run on virtual threads.
 */
public final class AlertmanagerApi implements AutoCloseable {
    /** Reloads the configuration; returns null on success or the error to show. */
    @FunctionalInterface
    public interface Reloader { String reload(); }

    /** What {@code /api/v2/status} says about the cluster. */
    public record ClusterStatus(String name, String status, List<String[]> peers) {}

    private static final System.Logger LOG = System.getLogger(AlertmanagerApi.class.getName());
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AlertRouter router;
    private final PrometheusRegistry registry;
    private final Reloader reloader;
    private final Supplier<ClusterStatus> cluster;
    private final String version;
    private final Instant started = Instant.now();
    private final Vertx vertx;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final Router root;
    private HttpServer server;

    /** Extra routes (cluster exchange) are added with {@link #route}. */
    public AlertmanagerApi(AlertRouter router, PrometheusRegistry registry, String routePrefix, Reloader reloader,
                           Supplier<ClusterStatus> cluster, String version) {
        this.router = router;
        this.registry = registry;
        this.reloader = reloader;
        this.cluster = cluster;
        this.version = version;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2).setBlockedThreadCheckInterval(60_000));
        this.root = Router.router(vertx);
        Router api = Router.router(vertx);
        api.route().handler(BodyHandler.create(false).setBodyLimit(32 << 20));
        route(api, HttpMethod.GET, "/-/healthy", ctx -> text(ctx, 200, "OK"));
        route(api, HttpMethod.HEAD, "/-/healthy", ctx -> text(ctx, 200, ""));
        route(api, HttpMethod.GET, "/-/ready", ctx -> text(ctx, 200, "OK"));
        route(api, HttpMethod.HEAD, "/-/ready", ctx -> text(ctx, 200, ""));
        route(api, HttpMethod.POST, "/-/reload", ctx -> {
            String err = reloader.reload();
            if (err == null) text(ctx, 200, "");
            else text(ctx, 500, "failed to reload config: " + err);
        });
        route(api, HttpMethod.GET, "/metrics", this::metrics);
        route(api, HttpMethod.GET, "/api/v2/status", this::status);
        route(api, HttpMethod.GET, "/api/v2/receivers", this::receivers);
        route(api, HttpMethod.GET, "/api/v2/alerts", this::getAlerts);
        route(api, HttpMethod.POST, "/api/v2/alerts", this::postAlerts);
        route(api, HttpMethod.GET, "/api/v2/alerts/groups", this::groups);
        route(api, HttpMethod.GET, "/api/v2/silences", this::getSilences);
        route(api, HttpMethod.POST, "/api/v2/silences", this::postSilence);
        route(api, HttpMethod.GET, "/api/v2/silence/:id", this::getSilence);
        route(api, HttpMethod.DELETE, "/api/v2/silence/:id", this::deleteSilence);
        this.apiRouter = api;
        String prefix = routePrefix == null || routePrefix.equals("/") ? "" : routePrefix.replaceAll("/+$", "");
        if (prefix.isEmpty()) root.route("/*").subRouter(api);
        else {
            root.route(prefix + "/*").subRouter(api);
            root.get("/").handler(ctx -> ctx.response().setStatusCode(302).putHeader("Location", prefix + "/").end());
        }
    }

    private final Router apiRouter;

    /** A handler that may block (runs on a virtual thread). */
    @FunctionalInterface
    public interface Handler { void handle(RoutingContext ctx) throws Exception; }

    /** Adds a route under the prefix (the cluster exchange uses it). */
    public void route(HttpMethod method, String path, Handler h) { route(apiRouter, method, path, h); }

    private void route(Router r, HttpMethod method, String path, Handler h) {
        r.route(method, path).handler(ctx -> handlers.execute(() -> {
            try {
                h.handle(ctx);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "api handler failed path=" + path + " err=\"" + e + "\"");
                if (!ctx.response().ended()) jsonString(ctx, 500, String.valueOf(e.getMessage()));
            }
        }));
    }

    /** Listens on {@code host:port} (port 0 picks one); returns the bound port. */
    public int start(String host, int port) throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(root)
                .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            if (server != null) server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        vertx.close();
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- helpers

    static void text(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }

    /** go-swagger error bodies are JSON strings. */
    static void jsonString(RoutingContext ctx, int status, String msg) {
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(MAPPER.writeValueAsBytes(msg)));
        } catch (IOException e) {
            text(ctx, status, msg);
        }
    }

    interface Body { void write(JsonGenerator g) throws IOException; }

    static void json(RoutingContext ctx, int status, Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g);
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(out.toByteArray()));
    }

    private static void labels(JsonGenerator g, String field, Labels l) throws IOException {
        g.writeObjectFieldStart(field);
        for (int i = 0; i < l.size(); i++) g.writeStringField(l.name(i), l.value(i));
        g.writeEndObject();
    }

    // ---- operational

    private void metrics(RoutingContext ctx) throws IOException {
        router.refreshGauges();
        ExpositionFormatWriter w = ExpositionFormats.init().findWriter(ctx.request().getHeader("Accept"));
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        w.write(out, registry.scrape());
        ctx.response().putHeader("Content-Type", w.getContentType()).end(Buffer.buffer(out.toByteArray()));
    }

    private void status(RoutingContext ctx) throws IOException {
        ClusterStatus cs = cluster.get();
        var cfg = router.config();
        json(ctx, 200, g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("cluster");
            g.writeStringField("name", cs.name());
            g.writeStringField("status", cs.status());
            g.writeArrayFieldStart("peers");
            for (String[] p : cs.peers()) {
                g.writeStartObject();
                g.writeStringField("name", p[0]);
                g.writeStringField("address", p[1]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("config");
            g.writeStringField("original", cfg == null ? "" : cfg.original());
            g.writeEndObject();
            g.writeStringField("uptime", SilenceJson.time(started.toEpochMilli()));
            g.writeObjectFieldStart("versionInfo");
            g.writeStringField("branch", "");
            g.writeStringField("buildDate", "");
            g.writeStringField("buildUser", "");
            g.writeStringField("goVersion", "java" + Runtime.version().feature());
            g.writeStringField("revision", "");
            g.writeStringField("version", version);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private void receivers(RoutingContext ctx) throws IOException {
        var cfg = router.config();
        json(ctx, 200, g -> {
            g.writeStartArray();
            if (cfg != null) {
                for (var r : cfg.receivers()) {
                    g.writeStartObject();
                    g.writeStringField("name", r.name());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
        });
    }

    // ---- alerts

    /** The query's {@code filter} matchers (repeatable); @throws IllegalArgumentException on a bad one */
    private static List<Matcher> filters(RoutingContext ctx) {
        List<Matcher> out = new ArrayList<>();
        for (String f : ctx.queryParam("filter")) out.addAll(Matchers.parseList(f));
        return out;
    }

    private static boolean flag(RoutingContext ctx, String name) {
        List<String> v = ctx.queryParam(name);
        return v.isEmpty() || !v.getFirst().equalsIgnoreCase("false");
    }

    private record AlertFilter(List<Matcher> matchers, boolean silenced, boolean inhibited, boolean active,
                               boolean unprocessed, com.google.re2j.Pattern receiver) {}

    /** The request's filter, or null after answering 400 with the reason (a bad matcher, a bad boolean). */
    private AlertFilter alertFilterOr400(RoutingContext ctx) throws IOException {
        try {
            return alertFilter(ctx);
        } catch (RuntimeException e) {
            jsonString(ctx, 400, e.getMessage());
            return null;
        }
    }

    private AlertFilter alertFilter(RoutingContext ctx) {
        List<String> rcv = ctx.queryParam("receiver");
        com.google.re2j.Pattern re = null;
        if (!rcv.isEmpty() && !rcv.getFirst().isEmpty()) re = com.google.re2j.Pattern.compile("^(?:" + rcv.getFirst() + ")$");
        return new AlertFilter(filters(ctx), flag(ctx, "silenced"), flag(ctx, "inhibited"), flag(ctx, "active"),
                flag(ctx, "unprocessed"), re);
    }

    /** Whether the alert passes the filter; its status and receivers are computed once and handed to {@code out}. */
    private boolean passes(Alert a, AlertFilter f, long now, Object[] out) {
        if (a.resolvedAt(now)) return false;
        if (!Matchers.matches(f.matchers(), a.labels())) return false;
        List<String> receivers = router.receiversFor(a.labels());
        if (f.receiver() != null) {
            boolean any = false;
            for (String r : receivers) any |= f.receiver().matches(r);
            if (!any) return false;
        }
        AlertRouter.Status st = router.status(a);
        if (!f.silenced() && !st.silencedBy().isEmpty()) return false;
        if (!f.inhibited() && !st.inhibitedBy().isEmpty()) return false;
        if (!f.active() && st.state().equals("active")) return false;
        out[0] = st;
        out[1] = receivers;
        return true;
    }

    @SuppressWarnings("unchecked")
    private static void gettableAlert(JsonGenerator g, Alert a, AlertRouter.Status st, List<String> receivers) throws IOException {
        g.writeStartObject();
        labels(g, "annotations", a.annotations());
        g.writeStringField("endsAt", SilenceJson.time(a.endsAtMs()));
        g.writeStringField("fingerprint", a.fingerprintHex());
        g.writeArrayFieldStart("receivers");
        for (String r : receivers) {
            g.writeStartObject();
            g.writeStringField("name", r);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("startsAt", SilenceJson.time(a.startsAtMs()));
        g.writeObjectFieldStart("status");
        g.writeArrayFieldStart("inhibitedBy");
        for (String s : st.inhibitedBy()) g.writeString(s);
        g.writeEndArray();
        g.writeArrayFieldStart("silencedBy");
        for (String s : st.silencedBy()) g.writeString(s);
        g.writeEndArray();
        g.writeStringField("state", st.state());
        g.writeEndObject();
        g.writeStringField("updatedAt", SilenceJson.time(a.updatedAtMs()));
        if (a.generatorUrl() != null && !a.generatorUrl().isEmpty()) g.writeStringField("generatorURL", a.generatorUrl());
        labels(g, "labels", a.labels());
        g.writeEndObject();
    }

    @SuppressWarnings("unchecked")
    private void getAlerts(RoutingContext ctx) throws IOException {
        AlertFilter f = alertFilterOr400(ctx);
        if (f == null) return;
        long now = router.scheduler().nowMs();
        List<Alert> alerts = router.alerts();
        alerts.sort(Comparator.comparing(Alert::fingerprintHex));
        json(ctx, 200, g -> {
            g.writeStartArray();
            Object[] out = new Object[2];
            for (Alert a : alerts) {
                if (passes(a, f, now, out)) gettableAlert(g, a, (AlertRouter.Status) out[0], (List<String>) out[1]);
            }
            g.writeEndArray();
        });
    }

    @SuppressWarnings("unchecked")
    private void groups(RoutingContext ctx) throws IOException {
        AlertFilter f = alertFilterOr400(ctx);
        if (f == null) return;
        long now = router.scheduler().nowMs();
        List<AggregationGroup> groups = router.groups();
        json(ctx, 200, g -> {
            g.writeStartArray();
            Object[] out = new Object[2];
            for (AggregationGroup ag : groups) {
                if (f.receiver() != null && !f.receiver().matches(ag.route().receiver)) continue;
                List<Alert> alerts = ag.alerts();
                alerts.sort(Comparator.comparing(Alert::fingerprintHex));
                List<Object[]> shown = new ArrayList<>();
                for (Alert a : alerts) {
                    if (passes(a, new AlertFilter(f.matchers(), f.silenced(), f.inhibited(), f.active(), f.unprocessed(), null), now, out)) {
                        shown.add(new Object[] {a, out[0], out[1]});
                    }
                }
                if (shown.isEmpty()) continue;
                g.writeStartObject();
                labels(g, "labels", ag.labels());
                g.writeObjectFieldStart("receiver");
                g.writeStringField("name", ag.route().receiver);
                g.writeEndObject();
                g.writeArrayFieldStart("alerts");
                for (Object[] s : shown) gettableAlert(g, (Alert) s[0], (AlertRouter.Status) s[1], (List<String>) s[2]);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private void postAlerts(RoutingContext ctx) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IOException e) {
            jsonString(ctx, 400, "parsing alerts: " + e.getMessage());
            return;
        }
        if (root == null || !root.isArray()) {
            jsonString(ctx, 400, "alerts in body must be of type array");
            return;
        }
        List<Alert> alerts = new ArrayList<>();
        for (JsonNode n : root) {
            try {
                alerts.add(AlertJson.readPostable(n));
            } catch (IllegalArgumentException e) {
                jsonString(ctx, 400, e.getMessage());
                return;
            }
        }
        AlertRouter.Received r = router.receive(alerts);
        if (!r.errors().isEmpty()) {
            jsonString(ctx, 400, String.join(";", r.errors()));
            return;
        }
        ctx.response().setStatusCode(200).end();
    }

    // ---- silences

    private void getSilences(RoutingContext ctx) throws IOException {
        List<Matcher> f;
        try {
            f = filters(ctx);
        } catch (RuntimeException e) {
            jsonString(ctx, 400, e.getMessage());
            return;
        }
        long now = router.scheduler().nowMs();
        List<Silence> list = new ArrayList<>();
        for (Silence s : router.silences().list()) {
            Labels.Builder b = Labels.builder();
            for (Matcher m : s.matchers()) if (m.type() == Matcher.Type.EQ) b.set(m.name(), m.value());
            if (Matchers.matches(f, b.build())) list.add(s);
        }
        // api/v2 SortSilences: active by end, pending by start, expired by end descending
        list.sort(Comparator.<Silence>comparingInt(s -> s.stateAt(now).ordinal() == 1 ? 0 : s.stateAt(now).ordinal() == 0 ? 1 : 2)
                .thenComparingLong(s -> switch (s.stateAt(now)) {
                    case ACTIVE -> s.endsAtMs();
                    case PENDING -> s.startsAtMs();
                    case EXPIRED -> -s.endsAtMs();
                }));
        json(ctx, 200, g -> {
            g.writeStartArray();
            for (Silence s : list) SilenceJson.writeGettable(g, s, now);
            g.writeEndArray();
        });
    }

    private void postSilence(RoutingContext ctx) throws IOException {
        Silence s;
        try {
            s = SilenceJson.read(MAPPER.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes()));
        } catch (IOException | IllegalArgumentException e) {
            jsonString(ctx, 400, e.getMessage());
            return;
        }
        long now = router.scheduler().nowMs();
        if (s.startsAtMs() >= s.endsAtMs()) {
            jsonString(ctx, 400, "Failed to create silence: start time must be before end time");
            return;
        }
        if (s.endsAtMs() < now) {
            jsonString(ctx, 400, "Failed to create silence: end time can't be in the past");
            return;
        }
        String id;
        try {
            id = router.silences().set(s);
        } catch (Silences.NotFound e) {
            jsonString(ctx, 404, e.getMessage());
            return;
        } catch (Silences.SilenceException e) {
            jsonString(ctx, 400, e.getMessage());
            return;
        }
        json(ctx, 200, g -> {
            g.writeStartObject();
            g.writeStringField("silenceID", id);
            g.writeEndObject();
        });
    }

    private void getSilence(RoutingContext ctx) throws IOException {
        Silence s = router.silences().get(ctx.pathParam("id"));
        if (s == null) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        long now = router.scheduler().nowMs();
        json(ctx, 200, g -> SilenceJson.writeGettable(g, s, now));
    }

    private void deleteSilence(RoutingContext ctx) {
        try {
            router.silences().expire(ctx.pathParam("id"));
            ctx.response().setStatusCode(200).end();
        } catch (Silences.NotFound e) {
            ctx.response().setStatusCode(404).end();
        } catch (Silences.SilenceException e) {
            jsonString(ctx, 500, e.getMessage());
        }
    }
}
