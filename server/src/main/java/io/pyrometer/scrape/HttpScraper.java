package io.pyrometer.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.discovery.HttpClients;
import java.util.zip.GZIPInputStream;

/**
 * Fetches one target's exposition over HTTP the way Prometheus does: Accept by protocol
 * preference, gzip, {@code X-Prometheus-Scrape-Timeout-Seconds}, body size limit.
 */
final class HttpScraper {
    /** Why a scrape failed, worded as Prometheus words it in {@code lastError}. */
    static final class ScrapeException extends Exception {
        final boolean bodySizeExceeded;

        ScrapeException(String message, boolean bodySizeExceeded) {
            super(message, null, false, false);
            this.bodySizeExceeded = bodySizeExceeded;
        }
    }

    static final String USER_AGENT = "Pyrometer/" + io.pyrometer.model.BuildInfo.VERSION;

    /** Settings for the JDK client, built on first use: plain http targets never need it. */
    private final HttpClient.Builder clientBuilder;
    private volatile HttpClient client;
    /** Auth and header settings, applied per request: credential files may rotate. */
    private final HttpClientConfig http;

    /** Whether plain http targets are scraped over {@link PlainHttpConnection} (no proxy configured). */
    private final boolean direct;

    HttpScraper(HttpClient.Builder clientBuilder, HttpClientConfig http) {
        this.clientBuilder = clientBuilder;
        this.http = http;
        this.direct = http.proxy() == null || http.proxy().proxyUrl().isEmpty();
    }

    /** Reads the body into {@code out}; returns the response Content-Type. */
    String scrape(URI url, ScrapeOptions opts, ScrapeBuffer out) throws ScrapeException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(url).GET()
                .timeout(Duration.ofMillis(opts.timeoutMs()))
                .header("Accept", opts.acceptHeader())
                .header("User-Agent", USER_AGENT)
                .header("X-Prometheus-Scrape-Timeout-Seconds", Double.toString(opts.timeoutMs() / 1000.0));
        if (opts.enableCompression()) rb.header("Accept-Encoding", "gzip");
        // plain http stays on HTTP/1.1 as in Prometheus (no h2c upgrade); https negotiates via ALPN
        if ("http".equals(url.getScheme())) rb.version(HttpClient.Version.HTTP_1_1);
        HttpResponse<InputStream> resp;
        try {
            HttpClients.applyHeaders(rb, http);
        } catch (IOException e) {
            throw new ScrapeException("Get \"" + url + "\": " + describe(e), false);
        }
        HttpRequest req = rb.build();
        if (direct && "http".equals(url.getScheme())) {
            String contentType = scrapeDirect(url, req, opts, out);
            if (contentType != null) return contentType;
        }
        try {
            resp = client().send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ScrapeException("Get \"" + url + "\": context deadline exceeded", false);
        } catch (IOException e) {
            throw new ScrapeException("Get \"" + url + "\": " + describe(e), false);
        }
        try (InputStream raw = resp.body()) {
            int code = resp.statusCode();
            if (code != 200) {
                throw new ScrapeException("server returned HTTP status " + code + " " + reason(code), false);
            }
            String enc = resp.headers().firstValue("Content-Encoding").orElse("").toLowerCase(Locale.ROOT);
            InputStream in = enc.equals("gzip") ? new GZIPInputStream(raw, 16 * 1024) : raw;
            if (!out.readFrom(in, opts.bodySizeLimitBytes())) {
                throw new ScrapeException("body size limit exceeded", true);
            }
            return resp.headers().firstValue("Content-Type").orElse("");
        } catch (HttpTimeoutException e) {
            throw new ScrapeException("Get \"" + url + "\": context deadline exceeded", false);
        } catch (IOException e) {
            throw new ScrapeException("reading body of \"" + url + "\": " + describe(e), false);
        }
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) client = c = clientBuilder.build();
            }
        }
        return c;
    }

    /**
     * Scrapes a plain http target over the loop's own connection; returns null for a redirect the
     * config says to follow, which the JDK client then handles.
     */
    private String scrapeDirect(URI url, HttpRequest req, ScrapeOptions opts, ScrapeBuffer out) throws ScrapeException {
        PlainHttpConnection conn = out.connection();
        PlainHttpConnection.Head head;
        try {
            head = conn.get(url, req.headers().map(), opts.timeoutMs());
        } catch (SocketTimeoutException e) {
            throw new ScrapeException("Get \"" + url + "\": context deadline exceeded", false);
        } catch (IOException e) {
            throw new ScrapeException("Get \"" + url + "\": " + describe(e), false);
        }
        int code = head.status();
        if (code != 200) {
            conn.close();
            if (code >= 300 && code < 400 && http.followRedirects()) return null;
            throw new ScrapeException("server returned HTTP status " + code + " " + reason(code), false);
        }
        try {
            InputStream raw = conn.body();
            InputStream in = head.contentEncoding().equals("gzip") ? new GZIPInputStream(raw, 16 * 1024) : raw;
            if (!out.readFrom(in, opts.bodySizeLimitBytes())) {
                conn.close();
                throw new ScrapeException("body size limit exceeded", true);
            }
            conn.finish(64 * 1024);
            return head.contentType();
        } catch (SocketTimeoutException e) {
            conn.close();
            throw new ScrapeException("Get \"" + url + "\": context deadline exceeded", false);
        } catch (IOException e) {
            conn.close();
            throw new ScrapeException("reading body of \"" + url + "\": " + describe(e), false);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.net.ConnectException) return "dial tcp: connection refused";
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    private static String reason(int code) {
        return switch (code) {
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
    }
}
