package io.pyrometer.discovery;

import io.pyrometer.config.HttpSdConfig;
import io.pyrometer.model.Labels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code http_sd_configs}: GETs the URL every {@code refresh_interval} with the job's HTTP client
 * settings; the response must be {@code 200} with {@code application/json} holding a list of target
 * groups. Group {@code i} gets source {@code url:i} and label {@code __meta_url}. A failed refresh
 * (connection, status, content type, JSON) is logged, counted in
 * {@code prometheus_sd_http_failures_total} and keeps the last good groups (Prometheus's discovery/http).
 */
public final class HttpDiscoverer extends RefreshingDiscoverer {
    private static final Pattern JSON_CONTENT_TYPE =
            Pattern.compile("(?i)application/json(;\\s*charset=(\"utf-8\"|utf-8))?");
    static final String USER_AGENT = "Pyrometer/0.1";

    private final HttpSdConfig config;
    private final HttpClient client;
    private final long intervalMs;
    private final DiscoveryMetrics metrics;
    private int lastLength; // groups sent by the previous successful refresh; run thread only

    /**
     * @throws IllegalArgumentException when the client settings cannot be used (bad TLS files, oauth2)
     */
    public HttpDiscoverer(HttpSdConfig config, DiscoveryMetrics metrics) {
        this(config, metrics, config.refreshIntervalMs() > 0 ? config.refreshIntervalMs() : HttpSdConfig.DEFAULT_REFRESH_INTERVAL_MS);
    }

    private HttpDiscoverer(HttpSdConfig config, DiscoveryMetrics metrics, long intervalMs) {
        super("http", intervalMs);
        this.config = config;
        this.intervalMs = intervalMs;
        this.metrics = metrics;
        try {
            this.client = HttpClients.newClient(config.http(), Duration.ofMillis(Math.min(intervalMs, 30_000)));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up the HTTP client for http_sd_configs [url=" + config.url()
                    + ", err=" + e.getMessage() + "]", e);
        }
    }

    @Override
    List<TargetGroup> refresh() throws IOException, InterruptedException {
        try {
            return fetch();
        } catch (IOException | TargetGroupCodec.FormatException | IllegalArgumentException e) {
            metrics.httpFailures.inc();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private List<TargetGroup> fetch() throws IOException, InterruptedException, TargetGroupCodec.FormatException {
        String url = config.url();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMillis(intervalMs))
                .header("User-Agent", USER_AGENT)
                .header("Accept", "application/json")
                .header("X-Prometheus-Refresh-Interval-Seconds", seconds(intervalMs))
                .GET();
        HttpClients.applyHeaders(req, config.http());
        HttpResponse<byte[]> resp = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200) {
            throw new IOException("server returned HTTP status " + status(resp.statusCode()) + " [url=" + url + "]");
        }
        String ct = resp.headers().firstValue("Content-Type").orElse("");
        if (!JSON_CONTENT_TYPE.matcher(ct.strip()).matches()) {
            throw new IOException("unsupported content type \"" + ct + "\" [url=" + url + "]");
        }
        List<TargetGroup> parsed;
        try {
            parsed = TargetGroupCodec.parseJson(resp.body());
        } catch (TargetGroupCodec.FormatException e) {
            throw new IOException(e.getMessage() + " [url=" + url + "]", e);
        }
        List<TargetGroup> out = new ArrayList<>(Math.max(parsed.size(), lastLength));
        for (int i = 0; i < parsed.size(); i++) {
            TargetGroup g = parsed.get(i);
            Labels labels = g.labels().toBuilder().set(TargetLabelNames.URL, url).build();
            out.add(new TargetGroup(source(url, i), g.targets(), labels));
        }
        // empty updates for sources that disappeared
        for (int i = parsed.size(); i < lastLength; i++) out.add(TargetGroup.empty(source(url, i)));
        lastLength = parsed.size();
        return out;
    }

    /** The JDK client owns a selector thread: release it when a reload or shutdown stops this discoverer. */
    @Override
    void stopped() {
        client.shutdownNow();
    }

    static String source(String url, int i) {
        return url + ":" + i;
    }

    /** Go's FormatFloat(seconds, 'f', -1): "60", "0.5". */
    private static String seconds(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
    }

    /** Go's resp.Status: code and reason phrase. */
    private static String status(int code) {
        String reason = switch (code) {
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
        return reason.isEmpty() ? Integer.toString(code) : code + " " + reason;
    }
}
