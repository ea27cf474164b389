package io.pyrometer.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.HttpClientConfig.TlsConfig;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tls_config} against a real HTTPS server on loopback with certificates made by the JDK's
 * keytool: CA file, insecure_skip_verify, and a client certificate the server requires.
 */
class HttpClientsTlsTest {
    @TempDir static Path dir;
    private static HttpsServer server;
    private static String url;
    private static Path caPem, clientCertPem, clientKeyPem;

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("keytool failed: " + out);
    }

    private static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = new FileInputStream(p.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        return ks;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @BeforeAll
    static void start() throws Exception {
        Path serverKs = dir.resolve("server.p12"), clientKs = dir.resolve("client.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", serverKs.toString(),
                "-storepass", "changeit", "-storetype", "PKCS12");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=prometheus",
                "-validity", "2", "-keystore", clientKs.toString(), "-storepass", "changeit", "-storetype", "PKCS12");
        // PEM exports in-process: each keytool run costs a JVM start
        KeyStore client = load(clientKs);
        caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, pem("CERTIFICATE", load(serverKs).getCertificate("server").getEncoded()));
        clientCertPem = dir.resolve("client.pem");
        Files.writeString(clientCertPem, pem("CERTIFICATE", client.getCertificate("client").getEncoded()));
        byte[] pkcs8 = client.getKey("client", "changeit".toCharArray()).getEncoded();
        clientKeyPem = dir.resolve("client.key");
        Files.writeString(clientKeyPem, pem("PRIVATE KEY", pkcs8));

        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(serverKs), "changeit".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("client", client.getCertificate("client"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                var p = ctx.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/sd", ex -> {
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        url = "https://127.0.0.1:" + server.getAddress().getPort() + "/sd";
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop(0);
    }

    private static HttpClientConfig tls(TlsConfig t) {
        return new HttpClientConfig(null, null, null, t, HttpClientConfig.ProxyConfig.EMPTY, true, false, Map.of());
    }

    private static int get(HttpClientConfig c) throws Exception {
        HttpClient client = HttpClients.newClient(c, Duration.ofSeconds(5));
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void caFileAndClientCertificateFiles() throws Exception {
        TlsConfig t = new TlsConfig("", caPem.toString(), "", clientCertPem.toString(), "", clientKeyPem.toString(),
                "", false, "", "");
        assertThat(get(tls(t))).isEqualTo(200);
    }

    @Test
    void inlinePemWorksLikeFiles() throws Exception {
        TlsConfig t = new TlsConfig(Files.readString(caPem), "", Files.readString(clientCertPem), "",
                Files.readString(clientKeyPem), "", "", false, "TLS12", "TLS13");
        assertThat(get(tls(t))).isEqualTo(200);
    }

    @Test
    void insecureSkipVerifyAcceptsAnUnknownServerCertificate() throws Exception {
        TlsConfig t = new TlsConfig("", "", "", clientCertPem.toString(), "", clientKeyPem.toString(), "", true, "", "");
        assertThat(get(tls(t))).isEqualTo(200);
    }

    @Test
    void anUntrustedServerCertificateFails() {
        // the client certificate is fine, but the JDK's default trust store does not know the server's
        TlsConfig t = new TlsConfig("", "", "", clientCertPem.toString(), "", clientKeyPem.toString(), "", false, "", "");
        assertThatThrownBy(() -> get(tls(t))).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void missingClientKeyIsAConfigurationError() {
        TlsConfig t = new TlsConfig("", caPem.toString(), "", clientCertPem.toString(), "", "", "", false, "", "");
        assertThatThrownBy(() -> get(tls(t))).hasMessageContaining("client certificate and key must both be set");
    }

    @Test
    void pkcs1RsaKeysAreAccepted() throws Exception {
        // PKCS#1 is the RSAPrivateKey inside the PKCS#8 PrivateKeyInfo: strip the 26-byte header of a 2048-bit key
        String pem = Files.readString(clientKeyPem);
        byte[] pkcs8 = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        String pkcs1Pem = "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1) + "\n-----END RSA PRIVATE KEY-----\n";
        assertThat(HttpClients.privateKey(pkcs1Pem).getEncoded()).isEqualTo(pkcs8);
    }

}
