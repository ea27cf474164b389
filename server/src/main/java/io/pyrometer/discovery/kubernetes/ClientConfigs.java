package io.pyrometer.discovery.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.KubernetesSdConfig;
import io.pyrometer.model.BuildInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the discoverer reaches the API server, as Prometheus's {@code kubernetes.New} decides: a
 * {@code kubeconfig_file}; else, without {@code api_server}, the pod's service account (in-cluster:
 * {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}, the token and CA under
 * {@code /var/run/secrets/kubernetes.io/serviceaccount}); else {@code api_server} with the job's HTTP
 * client settings. Nothing is read from the environment or {@code ~/.kube} otherwise.
 */
final class ClientConfigs {
    private ClientConfigs() {}

    static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

    /** The in-cluster environment; tests substitute their own. */
    record InCluster(String host, String port, Path serviceAccountDir) {
        static final InCluster SYSTEM = new InCluster(System.getenv("KUBERNETES_SERVICE_HOST"),
                System.getenv("KUBERNETES_SERVICE_PORT"), Path.of(SERVICE_ACCOUNT_DIR));
    }

    record Resolved(Config config, String ownNamespace) {}

    static Resolved resolve(KubernetesSdConfig c, InCluster inCluster) {
        Config config;
        String ownNamespace = null;
        if (!c.kubeconfigFile().isEmpty()) {
            try {
                String text = Files.readString(Path.of(c.kubeconfigFile()), StandardCharsets.UTF_8);
                // used as fabric8 builds it (a copy through ConfigBuilder would lose its token refresh)
                config = Config.fromKubeconfig(null, text, c.kubeconfigFile());
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot use kubeconfig_file [file=" + c.kubeconfigFile() + ", err="
                        + e.getMessage() + "]; check the path (relative to the config file) and its contents", e);
            }
        } else if (c.apiServer().isEmpty()) {
            config = inCluster(inCluster).build();
            if (c.namespaces().ownNamespace()) ownNamespace = ownNamespace(inCluster);
        } else {
            ConfigBuilder b = new ConfigBuilder(Config.empty()).withMasterUrl(c.apiServer());
            apply(b, c.http());
            config = b.build();
        }
        config.setUserAgent("Pyrometer/" + BuildInfo.VERSION);
        config.setWatchReconnectInterval(1000);
        config.setWatchReconnectLimit(-1);
        return new Resolved(config, ownNamespace);
    }

    private static ConfigBuilder inCluster(InCluster env) {
        if (env.host() == null || env.host().isEmpty() || env.port() == null || env.port().isEmpty()) {
            throw new IllegalArgumentException("unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and"
                    + " KUBERNETES_SERVICE_PORT must be defined; outside a cluster set api_server or kubeconfig_file");
        }
        Path token = env.serviceAccountDir().resolve("token");
        if (!Files.isReadable(token)) {
            throw new IllegalArgumentException("cannot read the service account token [file=" + token + "]");
        }
        String host = env.host().indexOf(':') >= 0 ? "[" + env.host() + "]" : env.host();
        return new ConfigBuilder(Config.empty())
                .withMasterUrl("https://" + host + ":" + env.port())
                .withCaCertFile(env.serviceAccountDir().resolve("ca.crt").toString())
                .withOauthTokenProvider(new FileToken(token.toString()));
    }

    private static String ownNamespace(InCluster env) {
        Path file = env.serviceAccountDir().resolve("namespace");
        try {
            String ns = Files.readString(file, StandardCharsets.UTF_8);
            if (ns.isEmpty()) throw new IllegalArgumentException("could not read own namespace name (empty file) [file=" + file + "]");
            return ns;
        } catch (IOException e) {
            throw new IllegalArgumentException("could not determine the pod's namespace [file=" + file + ", err=" + e.getMessage() + "]", e);
        }
    }

    /** The HTTP client keys that apply to an API server connection. */
    private static void apply(ConfigBuilder b, HttpClientConfig h) {
        if (h.oauth2() != null) {
            throw new IllegalArgumentException("oauth2 in kubernetes_sd_configs is not supported by Pyrometer yet; use authorization or basic_auth");
        }
        if (h.basicAuth() != null) {
            var a = h.basicAuth();
            b.withUsername(a.usernameFile().isEmpty() ? a.username() : read(a.usernameFile()).strip());
            b.withPassword(a.passwordFile().isEmpty() ? a.password() : read(a.passwordFile()).strip());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (h.authorization() != null) {
            var a = h.authorization();
            if (a.type().equalsIgnoreCase("Bearer")) {
                b.withOauthTokenProvider(a.credentialsFile().isEmpty() ? () -> a.credentials() : new FileToken(a.credentialsFile()));
            } else {
                String cred = a.credentialsFile().isEmpty() ? a.credentials() : read(a.credentialsFile()).strip();
                headers.put("Authorization", a.type() + " " + cred);
            }
        }
        var tls = h.tls();
        if (!tls.caFile().isEmpty()) b.withCaCertFile(tls.caFile());
        if (!tls.ca().isEmpty()) b.withCaCertData(base64(tls.ca()));
        if (!tls.certFile().isEmpty()) b.withClientCertFile(tls.certFile());
        if (!tls.cert().isEmpty()) b.withClientCertData(base64(tls.cert()));
        if (!tls.keyFile().isEmpty()) b.withClientKeyFile(tls.keyFile());
        if (!tls.key().isEmpty()) b.withClientKeyData(base64(tls.key()));
        if (tls.insecureSkipVerify()) b.withTrustCerts(true).withDisableHostnameVerification(true);
        var proxy = h.proxy();
        if (!proxy.proxyUrl().isEmpty()) b.withHttpProxy(proxy.proxyUrl()).withHttpsProxy(proxy.proxyUrl());
        if (!proxy.noProxy().isEmpty()) b.withNoProxy(proxy.noProxy().split(","));
        b.withHttp2Disable(!h.enableHttp2());
        for (var e : h.httpHeaders().entrySet()) {
            var v = e.getValue();
            List<String> values = !v.values().isEmpty() ? v.values() : !v.secrets().isEmpty() ? v.secrets() : List.of();
            if (!values.isEmpty()) headers.put(e.getKey(), values.getFirst());
            else if (!v.files().isEmpty()) headers.put(e.getKey(), read(v.files().getFirst()).strip());
        }
        if (!headers.isEmpty()) b.withCustomHeaders(headers);
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A bearer token read from a file, re-read at most once a minute (service account tokens rotate). */
    private static final class FileToken implements OAuthTokenProvider {
        private final String file;
        private volatile String token;
        private volatile long readAtMs;

        FileToken(String file) {
            this.file = file;
        }

        @Override
        public String getToken() {
            long now = System.currentTimeMillis();
            if (token == null || now - readAtMs > 60_000) {
                try {
                    token = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                    readAtMs = now;
                } catch (IOException e) {
                    if (token == null) token = "";
                }
            }
            return token;
        }
    }
}
