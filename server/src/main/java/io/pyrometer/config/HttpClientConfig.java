package io.pyrometer.config;

import java.util.List;
import java.util.Map;

/**
 * The HTTP client settings Prometheus inlines into scrape, Alertmanager, remote and HTTP SD configs
 * ({@code common/config.HTTPClientConfig}). As in Prometheus, {@code bearer_token} and
 * {@code bearer_token_file} are folded into {@link #authorization()} with type {@code Bearer}.
 * {@code toString()} of every part hides secret values.
 *
 * @param basicAuth     null when not configured
 * @param authorization null when not configured
 * @param oauth2        null when not configured
 * @param httpHeaders   extra request headers by name
 */
public record HttpClientConfig(
        BasicAuth basicAuth,
        Authorization authorization,
        OAuth2 oauth2,
        TlsConfig tls,
        ProxyConfig proxy,
        boolean followRedirects,
        boolean enableHttp2,
        Map<String, HttpHeader> httpHeaders) {

    /** follow_redirects and enable_http2 default to true (Prometheus's DefaultHTTPClientConfig). */
    public static final HttpClientConfig DEFAULT = new HttpClientConfig(null, null, null, TlsConfig.EMPTY,
            ProxyConfig.EMPTY, true, true, Map.of());

    public HttpClientConfig {
        httpHeaders = Maps.copyOf(httpHeaders);
    }

    /** {@code basic_auth:}; at most one of each value and its {@code _file} is set. */
    public record BasicAuth(String username, String usernameFile, String password, String passwordFile) {
        @Override
        public String toString() {
            return "BasicAuth[username=" + username + ", usernameFile=" + usernameFile + ", password=" + mask(password)
                    + ", passwordFile=" + passwordFile + "]";
        }
    }

    /** {@code authorization:}; type defaults to {@code Bearer}. */
    public record Authorization(String type, String credentials, String credentialsFile) {
        public static final String DEFAULT_TYPE = "Bearer";

        @Override
        public String toString() {
            return "Authorization[type=" + type + ", credentials=" + mask(credentials) + ", credentialsFile=" + credentialsFile + "]";
        }
    }

    /** {@code oauth2:} client-credentials flow. */
    public record OAuth2(String clientId, String clientSecret, String clientSecretFile, List<String> scopes,
                         String tokenUrl, Map<String, String> endpointParams, TlsConfig tls, ProxyConfig proxy) {
        public OAuth2 {
            scopes = List.copyOf(scopes);
            endpointParams = Maps.copyOf(endpointParams);
        }

        @Override
        public String toString() {
            return "OAuth2[clientId=" + clientId + ", clientSecret=" + mask(clientSecret) + ", clientSecretFile="
                    + clientSecretFile + ", scopes=" + scopes + ", tokenUrl=" + tokenUrl + ", endpointParams="
                    + endpointParams + ", tls=" + tls + ", proxy=" + proxy + "]";
        }
    }

    /** {@code tls_config:}; inline PEM ({@code ca}, {@code cert}, {@code key}) or files. Empty strings mean unset. */
    public record TlsConfig(String ca, String caFile, String cert, String certFile, String key, String keyFile,
                            String serverName, boolean insecureSkipVerify, String minVersion, String maxVersion) {
        public static final TlsConfig EMPTY = new TlsConfig("", "", "", "", "", "", "", false, "", "");
        public static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");

        @Override
        public String toString() {
            return "TlsConfig[caFile=" + caFile + ", certFile=" + certFile + ", key=" + mask(key) + ", keyFile=" + keyFile
                    + ", serverName=" + serverName + ", insecureSkipVerify=" + insecureSkipVerify + ", minVersion="
                    + minVersion + ", maxVersion=" + maxVersion + "]";
        }
    }

    /** Proxy settings; empty strings mean unset. */
    public record ProxyConfig(String proxyUrl, String noProxy, boolean proxyFromEnvironment,
                              Map<String, List<String>> proxyConnectHeader) {
        public static final ProxyConfig EMPTY = new ProxyConfig("", "", false, Map.of());

        public ProxyConfig {
            proxyConnectHeader = Maps.copyOfListMap(proxyConnectHeader);
        }

        @Override
        public String toString() {
            return "ProxyConfig[proxyUrl=" + proxyUrl + ", noProxy=" + noProxy + ", proxyFromEnvironment="
                    + proxyFromEnvironment + ", proxyConnectHeader=" + proxyConnectHeader.keySet() + "]";
        }
    }

    /** One entry of {@code http_headers:}: plain values, secret values and files holding values. */
    public record HttpHeader(List<String> values, List<String> secrets, List<String> files) {
        public HttpHeader {
            values = List.copyOf(values);
            secrets = List.copyOf(secrets);
            files = List.copyOf(files);
        }

        @Override
        public String toString() {
            return "HttpHeader[values=" + values + ", secrets=" + secrets.size() + " hidden, files=" + files + "]";
        }
    }

    /** Secrets never reach logs through {@code toString()}: Prometheus prints them as {@code <secret>}. */
    static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "" : "<secret>";
    }
}
