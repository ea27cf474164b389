package io.pyrometer.notifier;

import io.pyrometer.config.AlertingConfig.AlertmanagerConfig;
import io.pyrometer.discovery.HttpClients;
import io.pyrometer.model.Labels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Posts one batch to every Alertmanager of every set, concurrently, and waits for all of them
 * (Prometheus's {@code sendAll}/{@code sendOne}). The v2 JSON body is encoded once and shared by
 * every set without {@code alert_relabel_configs}; a set with them gets its own. Each request is
 * bounded by its set's {@code timeout} (connect, request and response together); any 2xx status
 * is success. Per Alertmanager: latency observed, alerts counted as sent (also on error, as
 * Prometheus does) and, on error, as errors. Used by the sender thread only.
 */
final class AlertPoster {
    private static final System.Logger LOG = System.getLogger(AlertPoster.class.getName());

    private final NotifierMetrics metrics;
    private final String userAgent;
    private final AlertsJson json = new AlertsJson();

    AlertPoster(NotifierMetrics metrics, String userAgent) {
        this.metrics = metrics;
        this.userAgent = userAgent;
    }

    /** One request in flight. */
    private record Pending(AlertmanagerSet set, String url, int count, CompletableFuture<HttpResponse<Void>> response,
                           AtomicBoolean covered) {}

    /**
     * @return false when some set that had Alertmanagers (and alerts left after its relabeling)
     *         got the batch accepted by none of them: the caller counts the batch as dropped
     */
    boolean sendAll(Collection<AlertmanagerSet> sets, List<Alert> alerts) throws InterruptedException {
        if (alerts.isEmpty()) return true;
        long begin = System.nanoTime();
        byte[] shared = null;
        List<Pending> pending = new ArrayList<>();
        List<AtomicBoolean> attempted = new ArrayList<>();
        for (AlertmanagerSet set : sets) {
            List<String> ams = set.active();
            if (ams.isEmpty()) continue;
            List<Alert> amAlerts = alerts;
            byte[] payload;
            if (!set.cfg.alertRelabelConfigs().isEmpty()) {
                amAlerts = NotificationManager.relabel(set.cfg.alertRelabelConfigs(), Labels.EMPTY, alerts);
                if (amAlerts.isEmpty()) continue;
                payload = json.encode(amAlerts);
            } else {
                if (shared == null) shared = json.encode(alerts);
                payload = shared;
            }
            AtomicBoolean covered = new AtomicBoolean();
            attempted.add(covered);
            for (String url : ams) {
                pending.add(new Pending(set, url, amAlerts.size(), post(set, url, payload), covered));
            }
        }
        for (Pending p : pending) await(p, begin);
        for (AtomicBoolean c : attempted) if (!c.get()) return false;
        return true;
    }

    private CompletableFuture<HttpResponse<Void>> post(AlertmanagerSet set, String url, byte[] payload) {
        try {
            AlertmanagerConfig cfg = set.cfg;
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMillis(timeoutMs(cfg)))
                    .header("User-Agent", userAgent)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
            // Go's client speaks HTTP/2 only over TLS: no h2c upgrade attempts on plain http
            if (url.startsWith("http:")) req.version(HttpClient.Version.HTTP_1_1);
            HttpClients.applyHeaders(req, cfg.http());
            return set.client.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static long timeoutMs(AlertmanagerConfig cfg) {
        return cfg.timeoutMs() > 0 ? cfg.timeoutMs() : AlertmanagerConfig.DEFAULT_TIMEOUT_MS;
    }

    private void await(Pending p, long beginNanos) throws InterruptedException {
        String err = null;
        long deadlineNanos = beginNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMs(p.set().cfg));
        try {
            HttpResponse<Void> r = p.response().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r.statusCode() / 100 != 2) err = "bad response status " + Statuses.text(r.statusCode());
        } catch (TimeoutException e) {
            p.response().cancel(true);
            err = "Post \"" + p.url() + "\": context deadline exceeded";
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            err = "Post \"" + p.url() + "\": " + (c instanceof HttpTimeoutException ? "context deadline exceeded" : describe(c));
        } catch (java.util.concurrent.CancellationException e) {
            err = "Post \"" + p.url() + "\": context canceled";
        } catch (InterruptedException e) {
            p.response().cancel(true);
            throw e;
        }
        if (err != null) {
            LOG.log(System.Logger.Level.ERROR, "msg=\"Error sending alerts\" alertmanager={0} count={1} err=\"{2}\"",
                    p.url(), p.count(), err);
            metrics.errors.labelValues(p.url()).inc(p.count());
        } else {
            p.covered().set(true);
        }
        metrics.latency.labelValues(p.url()).observe((System.nanoTime() - beginNanos) / 1e9);
        metrics.sent.labelValues(p.url()).inc(p.count());
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        String kind = t.getClass().getSimpleName();
        return m == null || m.isEmpty() ? kind : kind + ": " + m;
    }

    /** Go's {@code resp.Status}: the code and its reason phrase. */
    static final class Statuses {
        private Statuses() {}

        static String text(int code) {
            String reason = switch (code) {
                case 300 -> "Multiple Choices";
                case 301 -> "Moved Permanently";
                case 302 -> "Found";
                case 304 -> "Not Modified";
                case 307 -> "Temporary Redirect";
                case 308 -> "Permanent Redirect";
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                case 408 -> "Request Timeout";
                case 413 -> "Request Entity Too Large";
                case 415 -> "Unsupported Media Type";
                case 422 -> "Unprocessable Entity";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 502 -> "Bad Gateway";
                case 503 -> "Service Unavailable";
                case 504 -> "Gateway Timeout";
                default -> "";
            };
            return reason.isEmpty() ? Integer.toString(code) : code + " " + reason;
        }
    }
}
