package io.pyrometer.config.http;

import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.HttpClientConfig.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Turns an {@link HttpClientConfig} (auth, TLS, proxy, redirects, headers) into a JDK
 * {@link HttpClient} and a per-request header supplier: what Prometheus's common/config does for
 * scrapes, HTTP SD, Alertmanager and remote endpoints. Credential files are re-read on every
 * request, so rotated tokens are picked up without a reload.
 */
public final class HttpClients {
    private HttpClients() {}

    /** A configured client and the headers to add to each of its requests. */
    public record Configured(HttpClient client, Supplier<Map<String, String>> headers) {}

    /**
     * Builds the client.
     *
     * @throws IllegalArgumentException naming the setting when TLS material cannot be loaded or a
     *                                  setting is not supported
     */
    public static Configured build(HttpClientConfig cfg, Duration connectTimeout) {
        if (cfg.oauth2() != null) {
            throw new IllegalArgumentException("oauth2 is not supported by Pyrometer yet: use authorization with a credentials_file");
        }
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // h2c upgrade headers on plain http confuse some exporters
                .connectTimeout(connectTimeout)
                .followRedirects(cfg.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
        TlsConfig tls = cfg.tls() == null ? TlsConfig.EMPTY : cfg.tls();
        try {
            b.sslContext(sslContext(tls));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("unable to load TLS configuration: " + e.getMessage(), e);
        }
        SSLParameters params = new SSLParameters();
        if (!tls.serverName().isEmpty()) params.setServerNames(List.of(new SNIHostName(tls.serverName())));
        List<String> protocols = protocols(tls.minVersion(), tls.maxVersion());
        if (!protocols.isEmpty()) params.setProtocols(protocols.toArray(String[]::new));
        b.sslParameters(params);
        if (cfg.proxy() != null && !cfg.proxy().proxyUrl().isEmpty()) {
            URI p = URI.create(cfg.proxy().proxyUrl());
            b.proxy(ProxySelector.of(new InetSocketAddress(p.getHost(), p.getPort() < 0 ? 80 : p.getPort())));
        } else if (cfg.proxy() != null && cfg.proxy().proxyFromEnvironment()) {
            b.proxy(ProxySelector.getDefault());
        }
        return new Configured(b.build(), () -> headers(cfg));
    }

    private static List<String> protocols(String min, String max) {
        if (min.isEmpty() && max.isEmpty()) return List.of();
        List<String> all = List.of("TLS10", "TLS11", "TLS12", "TLS13");
        int lo = min.isEmpty() ? 2 : all.indexOf(min); // Prometheus defaults to TLS 1.2 minimum
        int hi = max.isEmpty() ? 3 : all.indexOf(max);
        List<String> out = new ArrayList<>();
        for (int i = Math.max(lo, 0); i <= hi; i++) out.add("TLSv1." + all.get(i).charAt(4));
        return out;
    }

    /** The Authorization and custom headers for one request. */
    static Map<String, String> headers(HttpClientConfig cfg) {
        Map<String, String> h = new LinkedHashMap<>();
        if (cfg.httpHeaders() != null) {
            for (Map.Entry<String, HttpClientConfig.HttpHeader> e : cfg.httpHeaders().entrySet()) {
                List<String> vals = new ArrayList<>(e.getValue().values());
                vals.addAll(e.getValue().secrets());
                for (String f : e.getValue().files()) vals.add(readSecret(f));
                if (!vals.isEmpty()) h.put(e.getKey(), String.join(",", vals));
            }
        }
        HttpClientConfig.BasicAuth ba = cfg.basicAuth();
        if (ba != null) {
            String user = ba.usernameFile() == null || ba.usernameFile().isEmpty() ? nz(ba.username()) : readSecret(ba.usernameFile());
            String pass = ba.passwordFile() == null || ba.passwordFile().isEmpty() ? nz(ba.password()) : readSecret(ba.passwordFile());
            h.put("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8)));
        }
        HttpClientConfig.Authorization a = cfg.authorization();
        if (a != null) {
            String creds = a.credentialsFile() == null || a.credentialsFile().isEmpty() ? nz(a.credentials()) : readSecret(a.credentialsFile());
            String type = a.type() == null || a.type().isEmpty() ? HttpClientConfig.Authorization.DEFAULT_TYPE : a.type();
            h.put("Authorization", type + " " + creds);
        }
        return h;
    }

    private static String nz(String s) { return s == null ? "" : s; }

    private static String readSecret(String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            throw new IllegalStateException("unable to read credentials file " + file + ": " + e.getMessage(), e);
        }
    }

    static SSLContext sslContext(TlsConfig tls) throws GeneralSecurityException, IOException {
        TrustManager[] tms = null;
        if (tls.insecureSkipVerify()) {
            tms = new TrustManager[] {new InsecureTrustManager()};
        } else {
            String ca = pem(tls.ca(), tls.caFile());
            if (ca != null) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                for (Certificate c : certificates(ca)) ks.setCertificateEntry("ca" + i++, c);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                tms = tmf.getTrustManagers();
            }
        }
        javax.net.ssl.KeyManager[] kms = null;
        String cert = pem(tls.cert(), tls.certFile());
        String key = pem(tls.key(), tls.keyFile());
        if (cert != null && key != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            Collection<? extends Certificate> chain = certificates(cert);
            ks.setKeyEntry("client", privateKey(key, chain.iterator().next()), new char[0], chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            kms = kmf.getKeyManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kms, tms, new SecureRandom());
        return ctx;
    }

    private static String pem(String inline, String file) throws IOException {
        if (inline != null && !inline.isEmpty()) return inline;
        if (file != null && !file.isEmpty()) return Files.readString(Path.of(file));
        return null;
    }

    private static Collection<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        if (certs.isEmpty()) throw new GeneralSecurityException("no certificate found in PEM data");
        return certs;
    }

    private static PrivateKey privateKey(String pem, Certificate cert) throws GeneralSecurityException {
        String type;
        if (pem.contains("BEGIN PRIVATE KEY")) type = "PRIVATE KEY";
        else if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
            throw new GeneralSecurityException("key is in PKCS#1/SEC1 form; convert it to PKCS#8 with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
        } else throw new GeneralSecurityException("no PRIVATE KEY block found in PEM data");
        String b64 = pem.substring(pem.indexOf("-----BEGIN " + type + "-----") + ("-----BEGIN " + type + "-----").length(),
                pem.indexOf("-----END " + type + "-----")).replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        String alg = ((X509Certificate) cert).getPublicKey().getAlgorithm();
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** insecure_skip_verify: accepts any server certificate and host name, as Go's InsecureSkipVerify. */
    private static final class InsecureTrustManager extends javax.net.ssl.X509ExtendedTrustManager {
        public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s) {}
        public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s) {}
        public void checkClientTrusted(X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {}
        public void checkServerTrusted(X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {}
        public void checkClientTrusted(X509Certificate[] c, String a) {}
        public void checkServerTrusted(X509Certificate[] c, String a) {}
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
