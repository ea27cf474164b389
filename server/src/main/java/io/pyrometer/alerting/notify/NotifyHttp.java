package io.pyrometer.alerting.notify;

import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.HttpClientConfig.TlsConfig;
import io.pyrometer.model.BuildInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Sends an integration's HTTP requests with its {@code http_config} ({@code basic_auth},
 * {@code authorization}, {@code http_headers}, {@code tls_config}, {@code follow_redirects},
 * {@code enable_http2}, {@code proxy_url}) and classifies the outcome as Alertmanager's
 * {@code notify.Retrier} does: 2xx is success, 5xx and network errors are retried, anything else
 * is not. Credential files are read on every request, as Prometheus's client does.
 *
 * <p>The client is built on first use: a JDK client without TLS settings loads the default trust
 * store and starts a selector thread, which a router with many receivers should not pay up front.
 * Not supported (refused when the integration is built): {@code oauth2}.
 */
final class NotifyHttp {
    static final String USER_AGENT = "Pyrometer-Alertmanager/" + BuildInfo.VERSION;
    /** Bounds one request; the router's own context deadline (group_interval) is usually shorter. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClientConfig config;
    private volatile HttpClient client;

    NotifyHttp(HttpClientConfig config) {
        if (config.oauth2() != null) {
            throw new IllegalArgumentException("http_config.oauth2 is not supported by Pyrometer's alert router yet; use authorization or basic_auth");
        }
        this.config = config;
    }

    HttpClientConfig config() { return config; }

    /** A response the caller inspects: status and body text. */
    record Response(int status, String body) {}

    /**
     * POSTs {@code body}; returns the response whatever its status.
     *
     * @param what names the integration in error messages, e.g. {@code webhook[0]}
     * @throws NotifyException retryable for network errors and timeouts, permanent for bad TLS material
     */
    Response post(String what, String url, String contentType, byte[] body) throws NotifyException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw NotifyException.permanent(what + ": bad URL [error=" + e.getMessage() + "]");
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("User-Agent", USER_AGENT)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            applyHeaders(req);
            HttpResponse<String> r = client().send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NotifyException.retryable(what + ": interrupted while sending", e);
        } catch (GeneralSecurityException e) {
            throw NotifyException.permanent(what + ": TLS configuration does not load [error=" + e.getMessage() + "]", e);
        } catch (IOException e) {
            // Go's url.Error with the URL redacted (notify.RedactURL): URLs often carry tokens
            throw NotifyException.retryable(what + ": request failed [host=" + uri.getHost() + ", error="
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "]", e);
        }
    }

    /**
     * {@code notify.Retrier.Check}: null for 2xx, otherwise the exception to throw, retryable for 5xx,
     * with Alertmanager's {@code unexpected status code N} and the response body.
     */
    static NotifyException check(String what, Response r) {
        int code = r.status();
        if (code / 100 == 2) return null;
        String msg = what + ": unexpected status code " + code;
        String body = r.body() == null ? "" : r.body().strip();
        if (!body.isEmpty()) msg += ": " + (body.length() > 512 ? body.substring(0, 512) + "…" : body);
        return code / 100 == 5 ? NotifyException.retryable(msg) : NotifyException.permanent(msg);
    }

    /** POSTs and throws unless the response is 2xx. */
    void postChecked(String what, String url, String contentType, byte[] body) throws NotifyException {
        NotifyException e = check(what, post(what, url, contentType, body));
        if (e != null) throw e;
    }

    private HttpClient client() throws GeneralSecurityException, IOException {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) client = c = build();
            }
        }
        return c;
    }

    private HttpClient build() throws GeneralSecurityException, IOException {
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(config.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
                .version(config.enableHttp2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        TlsConfig tls = config.tls() == null ? TlsConfig.EMPTY : config.tls();
        if (!tls.equals(TlsConfig.EMPTY)) {
            b.sslContext(sslContext(tls));
            SSLParameters p = new SSLParameters();
            if (!tls.serverName().isEmpty()) p.setServerNames(List.of(new SNIHostName(tls.serverName())));
            b.sslParameters(p);
        }
        if (config.proxy() != null && !config.proxy().proxyUrl().isEmpty()) {
            URI p = URI.create(config.proxy().proxyUrl());
            int port = p.getPort() > 0 ? p.getPort() : ("https".equals(p.getScheme()) ? 443 : 80);
            b.proxy(ProxySelector.of(InetSocketAddress.createUnresolved(p.getHost(), port)));
        }
        return b.build();
    }

    private void applyHeaders(HttpRequest.Builder req) throws IOException {
        for (Map.Entry<String, HttpClientConfig.HttpHeader> h : config.httpHeaders().entrySet()) {
            for (String v : h.getValue().values()) req.header(h.getKey(), v);
            for (String v : h.getValue().secrets()) req.header(h.getKey(), v);
            for (String f : h.getValue().files()) req.header(h.getKey(), readTrimmed(f));
        }
        HttpClientConfig.BasicAuth ba = config.basicAuth();
        if (ba != null) {
            String user = !ba.usernameFile().isEmpty() ? readTrimmed(ba.usernameFile()) : ba.username();
            String pass = !ba.passwordFile().isEmpty() ? readTrimmed(ba.passwordFile()) : ba.password();
            req.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8)));
        }
        HttpClientConfig.Authorization auth = config.authorization();
        if (auth != null) {
            String type = auth.type().isEmpty() ? HttpClientConfig.Authorization.DEFAULT_TYPE : auth.type();
            String cred = !auth.credentialsFile().isEmpty() ? readTrimmed(auth.credentialsFile()) : auth.credentials();
            req.setHeader("Authorization", type + " " + cred);
        }
    }

    /** Secret files are trimmed of surrounding white space, as Alertmanager and Prometheus do. */
    static String readTrimmed(String file) throws IOException {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    }

    static SSLContext sslContext(TlsConfig tls) throws GeneralSecurityException, IOException {
        TrustManager[] tms = null; // the JDK's default trust store
        if (tls.insecureSkipVerify()) {
            tms = new TrustManager[]{new TrustAll()};
        } else if (!tls.ca().isEmpty() || !tls.caFile().isEmpty()) {
            String pem = !tls.ca().isEmpty() ? tls.ca() : Files.readString(Path.of(tls.caFile()));
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate cert : certificates(pem)) ks.setCertificateEntry("ca" + i++, cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            tms = tmf.getTrustManagers();
        }
        javax.net.ssl.KeyManager[] kms = null;
        if (!tls.cert().isEmpty() || !tls.certFile().isEmpty()) {
            String certPem = !tls.cert().isEmpty() ? tls.cert() : Files.readString(Path.of(tls.certFile()));
            String keyPem = !tls.key().isEmpty() ? tls.key() : Files.readString(Path.of(tls.keyFile()));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", privateKey(keyPem), new char[0], certificates(certPem).toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            kms = kmf.getKeyManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kms, tms, null);
        return ctx;
    }

    private static List<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
        return List.copyOf(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    }

    /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) with an RSA, EC or Ed25519 key. */
    private static java.security.PrivateKey privateKey(String pem) throws GeneralSecurityException {
        byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        for (String alg : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next one
            }
        }
        throw new GeneralSecurityException("unsupported private key: use PKCS#8 (BEGIN PRIVATE KEY)");
    }

    /** {@code insecure_skip_verify}: an extended trust manager, so the JDK skips hostname checks too. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}
        @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}
        @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
