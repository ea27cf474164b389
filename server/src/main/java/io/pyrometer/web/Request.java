package io.pyrometer.web;

import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Request parameters from the query string and, for form POSTs, the body (BodyHandler merges form
 * attributes into the parameters), as Prometheus reads them.
 */
public final class Request {
    private final RoutingContext ctx;

    Request(RoutingContext ctx) { this.ctx = ctx; }

    public RoutingContext context() { return ctx; }

    /** First value of {@code name}, or null. */
    public String param(String name) { return ctx.request().getParam(name); }

    /** All values of {@code name} (e.g. {@code match[]}). */
    public List<String> params(String name) { return ctx.request().params().getAll(name); }

    public String pathParam(String name) { return ctx.pathParam(name); }
}
