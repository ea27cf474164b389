package io.pyrometer.discovery;

import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.HttpClientConfig.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
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
 * Builds a JDK {@link HttpClient} and request headers from Prometheus's {@code http_client_config}:
 * {@code basic_auth}, {@code authorization} (and bearer tokens), {@code http_headers},
 * {@code tls_config} (CA, client certificate, {@code insecure_skip_verify}, {@code server_name} as
 * SNI, min/max version), {@code follow_redirects}, {@code enable_http2}, {@code proxy_url}.
 * Credential files are read on every request, so rotating them needs no reload, as in Prometheus.
 *
 * <p>Not supported: {@code oauth2} (rejected with an error), {@code proxy_from_environment},
 * {@code server_name} for certificate verification (it is sent as SNI only), EC keys in SEC1
 * ({@code BEGIN EC PRIVATE KEY}) form: use PKCS#8.
 */
public final class HttpClients {
    private HttpClients() {}

    /**
     * @throws GeneralSecurityException when TLS material does not load
     * @throws IOException              when a TLS file cannot be read
     * @throws IllegalArgumentException for unsupported settings
     */
    public static HttpClient newClient(HttpClientConfig c, Duration connectTimeout) throws GeneralSecurityException, IOException {
        return newBuilder(c, connectTimeout).build();
    }

    /**
     * A builder with every setting of {@code c} applied and validated (TLS files are read now), for
     * callers that build the client only when they first need it: building one without TLS
     * settings loads the JDK's whole default trust store and starts a selector thread.
     *
     * @throws GeneralSecurityException when TLS material does not load
     * @throws IOException              when a TLS file cannot be read
     * @throws IllegalArgumentException for unsupported settings
     */
    public static HttpClient.Builder newBuilder(HttpClientConfig c, Duration connectTimeout) throws GeneralSecurityException, IOException {
        if (c.oauth2() != null) throw new IllegalArgumentException("oauth2 is not supported yet; use authorization or basic_auth");
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(c.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
                .version(c.enableHttp2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        TlsConfig tls = c.tls() == null ? TlsConfig.EMPTY : c.tls();
        if (!tls.equals(TlsConfig.EMPTY)) {
            b.sslContext(sslContext(tls));
            b.sslParameters(sslParameters(tls));
        }
        if (c.proxy() != null && !c.proxy().proxyUrl().isEmpty()) {
            URI p = URI.create(c.proxy().proxyUrl());
            int port = p.getPort() > 0 ? p.getPort() : ("https".equals(p.getScheme()) ? 443 : 80);
            b.proxy(ProxySelector.of(InetSocketAddress.createUnresolved(p.getHost(), port)));
        }
        return b;
    }

    /** Adds authentication and configured headers to a request, reading credential files now. */
    public static void applyHeaders(HttpRequest.Builder req, HttpClientConfig c) throws IOException {
        for (Map.Entry<String, HttpClientConfig.HttpHeader> h : c.httpHeaders().entrySet()) {
            for (String v : h.getValue().values()) req.header(h.getKey(), v);
            for (String v : h.getValue().secrets()) req.header(h.getKey(), v);
            for (String f : h.getValue().files()) req.header(h.getKey(), readTrimmed(f));
        }
        HttpClientConfig.BasicAuth ba = c.basicAuth();
        if (ba != null) {
            String user = nonEmpty(ba.usernameFile()) ? readTrimmed(ba.usernameFile()) : orEmpty(ba.username());
            String pass = nonEmpty(ba.passwordFile()) ? readTrimmed(ba.passwordFile()) : orEmpty(ba.password());
            String token = Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
            req.setHeader("Authorization", "Basic " + token);
        }
        HttpClientConfig.Authorization auth = c.authorization();
        if (auth != null) {
            String type = nonEmpty(auth.type()) ? auth.type() : HttpClientConfig.Authorization.DEFAULT_TYPE;
            String cred = nonEmpty(auth.credentialsFile()) ? readTrimmed(auth.credentialsFile()) : orEmpty(auth.credentials());
            req.setHeader("Authorization", type + " " + cred);
        }
    }

    private static boolean nonEmpty(String s) { return s != null && !s.isEmpty(); }
    private static String orEmpty(String s) { return s == null ? "" : s; }

    /** Prometheus trims surrounding whitespace from secret files. */
    private static String readTrimmed(String file) throws IOException {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    }

    static SSLContext sslContext(TlsConfig tls) throws GeneralSecurityException, IOException {
        TrustManager[] tms;
        if (tls.insecureSkipVerify()) {
            tms = new TrustManager[]{new TrustAll()};
        } else if (nonEmpty(tls.ca()) || nonEmpty(tls.caFile())) {
            String pem = nonEmpty(tls.ca()) ? tls.ca() : Files.readString(Path.of(tls.caFile()));
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate cert : certificates(pem)) ks.setCertificateEntry("ca" + i++, cert);
            if (i == 0) throw new GeneralSecurityException("unable to use specified CA cert: no certificate found");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            tms = tmf.getTrustManagers();
        } else {
            tms = null; // the JDK's default trust store
        }
        javax.net.ssl.KeyManager[] kms = null;
        boolean hasCert = nonEmpty(tls.cert()) || nonEmpty(tls.certFile());
        boolean hasKey = nonEmpty(tls.key()) || nonEmpty(tls.keyFile());
        if (hasCert != hasKey) throw new GeneralSecurityException("client certificate and key must both be set");
        if (hasCert) {
            String certPem = nonEmpty(tls.cert()) ? tls.cert() : Files.readString(Path.of(tls.certFile()));
            String keyPem = nonEmpty(tls.key()) ? tls.key() : Files.readString(Path.of(tls.keyFile()));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = new char[0];
            ks.setKeyEntry("client", privateKey(keyPem), pw, certificates(certPem).toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            kms = kmf.getKeyManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kms, tms, null);
        return ctx;
    }

    static SSLParameters sslParameters(TlsConfig tls) {
        SSLParameters p = new SSLParameters();
        if (nonEmpty(tls.serverName())) p.setServerNames(List.of(new SNIHostName(tls.serverName())));
        List<String> versions = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
        int min = nonEmpty(tls.minVersion()) ? TlsConfig.VERSIONS.indexOf(tls.minVersion()) : 2; // Prometheus default TLS12
        int max = nonEmpty(tls.maxVersion()) ? TlsConfig.VERSIONS.indexOf(tls.maxVersion()) : 3;
        if (min >= 0 && max >= min) p.setProtocols(versions.subList(min, max + 1).toArray(new String[0]));
        return p;
    }

    private static Collection<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        return cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** PKCS#8 ({@code PRIVATE KEY}: RSA, EC, Ed25519) or PKCS#1 ({@code RSA PRIVATE KEY}) PEM. */
    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        if (pkcs1) der = pkcs1ToPkcs8(der);
        for (String alg : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next one
            }
        }
        throw new GeneralSecurityException("unsupported private key: use PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 RSA");
    }

    /** Wraps an RSAPrivateKey (PKCS#1) into a PrivateKeyInfo (PKCS#8). */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = derWrap(0x04, pkcs1);
        byte[] body = new byte[version.length + algId.length + octet.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algId, 0, body, version.length, algId.length);
        System.arraycopy(octet, 0, body, version.length + algId.length, octet.length);
        return derWrap(0x30, body);
    }

    private static byte[] derWrap(int tag, byte[] content) {
        int n = content.length;
        byte[] len = n < 0x80 ? new byte[]{(byte) n}
                : n < 0x100 ? new byte[]{(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[]{(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[]{(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + len.length + n];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(content, 0, out, 1 + len.length, n);
        return out;
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
