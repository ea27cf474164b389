package io.pyrometer.config;

import io.pyrometer.config.HttpClientConfig.Authorization;
import io.pyrometer.config.HttpClientConfig.BasicAuth;
import io.pyrometer.config.HttpClientConfig.HttpHeader;
import io.pyrometer.config.HttpClientConfig.OAuth2;
import io.pyrometer.config.HttpClientConfig.ProxyConfig;
import io.pyrometer.config.HttpClientConfig.TlsConfig;
import io.pyrometer.config.YamlNode.Entry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the HTTP client keys Prometheus inlines into other sections ({@code common/config.HTTPClientConfig})
 * and validates them as its {@code Validate()} does, with the same messages.
 */
public final class HttpClientDecoder {
    private HttpClientDecoder() {}

    static final String REF_HINT = "secret references need a secret provider; use the inline value or the _file form";

    /** Keys Prometheus knows inside HTTP client sections that Pyrometer refuses, with what to do instead. */
    static final Map<String, String> UNSUPPORTED_REFS = Map.of(
            "username_ref", REF_HINT, "password_ref", REF_HINT, "credentials_ref", REF_HINT,
            "client_secret_ref", REF_HINT, "ca_ref", REF_HINT, "cert_ref", REF_HINT, "key_ref", REF_HINT);

    private static final Set<String> RESERVED_HEADERS = Set.of("Authorization", "Host", "Content-Encoding",
            "Content-Length", "Content-Type", "User-Agent", "Connection", "Keep-Alive", "Proxy-Authenticate",
            "Proxy-Authorization", "Www-Authenticate", "Accept-Encoding", "X-Prometheus-Remote-Write-Version",
            "X-Prometheus-Remote-Read-Version", "X-Prometheus-Scrape-Timeout-Seconds", "X-Amz-Date",
            "X-Amz-Security-Token", "X-Amz-Content-Sha256");

    /**
     * Reads the inlined HTTP client keys of {@code f} (the caller still calls {@code f.finish()}).
     *
     * @param defaults the section's defaults (remote write turns HTTP/2 off)
     */
    public static HttpClientConfig read(Fields f, HttpClientConfig defaults) throws ConfigException {
        BasicAuth basic = f.has("basic_auth") ? basicAuth(sub(f, "basic_auth", "basic_auth")) : null;
        Authorization auth = f.has("authorization") ? authorization(sub(f, "authorization", "authorization")) : null;
        OAuth2 oauth2 = f.has("oauth2") ? oauth2(sub(f, "oauth2", "oauth2")) : null;
        String bearer = f.string("bearer_token", "");
        String bearerFile = f.string("bearer_token_file", "");
        TlsConfig tls = f.has("tls_config") ? tls(sub(f, "tls_config", "tls_config")) : defaults.tls();
        ProxyConfig proxy = proxy(f);
        boolean followRedirects = f.bool("follow_redirects", defaults.followRedirects());
        boolean http2 = f.bool("enable_http2", defaults.enableHttp2());
        Map<String, HttpHeader> headers = httpHeaders(f);

        // common/config.HTTPClientConfig.Validate, in its order and words
        if (!bearer.isEmpty() && !bearerFile.isEmpty()) {
            throw f.error("bearer_token_file", "at most one of bearer_token & bearer_token_file must be configured");
        }
        boolean anyBearer = !bearer.isEmpty() || !bearerFile.isEmpty();
        if ((basic != null || oauth2 != null) && anyBearer) {
            throw f.error(bearer.isEmpty() ? "bearer_token_file" : "bearer_token",
                    "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
        }
        if (auth != null) {
            if (anyBearer) {
                throw f.error("authorization", "authorization is not compatible with bearer_token & bearer_token_file");
            }
            if (basic != null || oauth2 != null) {
                throw f.error("authorization", "at most one of basic_auth, oauth2 & authorization must be configured");
            }
        } else if (!bearer.isEmpty()) {
            auth = new Authorization(Authorization.DEFAULT_TYPE, bearer, "");
        } else if (!bearerFile.isEmpty()) {
            auth = new Authorization(Authorization.DEFAULT_TYPE, "", bearerFile);
        }
        if (oauth2 != null && basic != null) {
            throw f.error("oauth2", "at most one of basic_auth, oauth2 & authorization must be configured");
        }
        validateProxy(f, proxy);
        return new HttpClientConfig(basic, auth, oauth2, tls, proxy, followRedirects, http2, headers);
    }

    private static Fields sub(Fields f, String key, String what) throws ConfigException {
        return Fields.of(f.file, f.path(key), f.get(key), what);
    }

    private static BasicAuth basicAuth(Fields f) throws ConfigException {
        String user = f.string("username", "");
        String userFile = f.string("username_file", "");
        String pass = f.string("password", "");
        String passFile = f.string("password_file", "");
        f.finish(UNSUPPORTED_REFS);
        if (!user.isEmpty() && !userFile.isEmpty()) {
            throw f.error("username_file", "at most one of basic_auth username, username_file & username_ref must be configured");
        }
        if (!pass.isEmpty() && !passFile.isEmpty()) {
            throw f.error("password_file", "at most one of basic_auth password, password_file & password_ref must be configured");
        }
        return new BasicAuth(user, userFile, pass, passFile);
    }

    private static Authorization authorization(Fields f) throws ConfigException {
        String type = f.string("type", "").strip();
        String cred = f.string("credentials", "");
        String credFile = f.string("credentials_file", "");
        f.finish(UNSUPPORTED_REFS);
        if (!cred.isEmpty() && !credFile.isEmpty()) {
            throw f.error("credentials_file", "at most one of authorization credentials & credentials_file must be configured");
        }
        if (type.isEmpty()) type = Authorization.DEFAULT_TYPE;
        if (type.equalsIgnoreCase("basic")) {
            throw f.error("type", "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
        }
        return new Authorization(type, cred, credFile);
    }

    private static OAuth2 oauth2(Fields f) throws ConfigException {
        String clientId = f.string("client_id", "");
        String secret = f.string("client_secret", "");
        String secretFile = f.string("client_secret_file", "");
        List<String> scopes = f.strings("scopes");
        String tokenUrl = f.string("token_url", "");
        Map<String, String> params = f.stringMap("endpoint_params");
        TlsConfig tls = f.has("tls_config") ? tls(sub(f, "tls_config", "tls_config")) : TlsConfig.EMPTY;
        ProxyConfig proxy = proxy(f);
        f.finish(UNSUPPORTED_REFS);
        if (clientId.isEmpty()) throw f.error("oauth2 client_id must be configured");
        if (tokenUrl.isEmpty()) throw f.error("oauth2 token_url must be configured");
        if (!secret.isEmpty() && !secretFile.isEmpty()) {
            throw f.error("client_secret_file", "at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured");
        }
        checkUrl(f, "token_url", tokenUrl);
        validateProxy(f, proxy);
        return new OAuth2(clientId, secret, secretFile, scopes, tokenUrl, params, tls, proxy);
    }

    static TlsConfig tls(Fields f) throws ConfigException {
        String ca = f.string("ca", ""), caFile = f.string("ca_file", "");
        String cert = f.string("cert", ""), certFile = f.string("cert_file", "");
        String key = f.string("key", ""), keyFile = f.string("key_file", "");
        String serverName = f.string("server_name", "");
        boolean insecure = f.bool("insecure_skip_verify", false);
        String min = tlsVersion(f, "min_version"), max = tlsVersion(f, "max_version");
        f.finish(UNSUPPORTED_REFS);
        if (!ca.isEmpty() && !caFile.isEmpty()) throw f.error("ca_file", "at most one of ca, ca_file & ca_ref must be configured");
        if (!cert.isEmpty() && !certFile.isEmpty()) throw f.error("cert_file", "at most one of cert, cert_file & cert_ref must be configured");
        if (!key.isEmpty() && !keyFile.isEmpty()) throw f.error("key_file", "at most one of key and key_file must be configured");
        boolean hasCert = !cert.isEmpty() || !certFile.isEmpty(), hasKey = !key.isEmpty() || !keyFile.isEmpty();
        if (hasCert && !hasKey) {
            throw f.error("exactly one of key or key_file must be configured when a client certificate is configured");
        }
        if (hasKey && !hasCert) {
            throw f.error("exactly one of cert or cert_file must be configured when a client key is configured");
        }
        return new TlsConfig(ca, caFile, cert, certFile, key, keyFile, serverName, insecure, min, max);
    }

    private static String tlsVersion(Fields f, String key) throws ConfigException {
        String v = f.string(key, "");
        if (!v.isEmpty() && !TlsConfig.VERSIONS.contains(v)) {
            throw f.error(key, "unknown TLS version: " + v + " (use one of TLS10, TLS11, TLS12, TLS13)");
        }
        return v;
    }

    private static ProxyConfig proxy(Fields f) throws ConfigException {
        String url = f.string("proxy_url", "");
        if (!url.isEmpty()) checkUrl(f, "proxy_url", url);
        String noProxy = f.string("no_proxy", "");
        boolean fromEnv = f.bool("proxy_from_environment", false);
        Map<String, List<String>> connect = new LinkedHashMap<>();
        for (Entry e : f.entries("proxy_connect_header", "config.ProxyHeader")) {
            connect.put(e.key(), Fields.stringList(f.file, f.path("proxy_connect_header") + "." + e.key(), e.value()));
        }
        return new ProxyConfig(url, noProxy, fromEnv, connect);
    }

    private static void validateProxy(Fields f, ProxyConfig p) throws ConfigException {
        if (!p.proxyConnectHeader().isEmpty() && !p.proxyFromEnvironment() && p.proxyUrl().isEmpty()) {
            throw f.error("proxy_connect_header",
                    "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured");
        }
        if (p.proxyFromEnvironment() && !p.proxyUrl().isEmpty()) {
            throw f.error("proxy_url", "if proxy_from_environment is configured, proxy_url must not be configured");
        }
        if (p.proxyFromEnvironment() && !p.noProxy().isEmpty()) {
            throw f.error("no_proxy", "if proxy_from_environment is configured, no_proxy must not be configured");
        }
        if (p.proxyUrl().isEmpty() && !p.noProxy().isEmpty()) {
            throw f.error("no_proxy", "if no_proxy is configured, proxy_url must also be configured");
        }
    }

    private static Map<String, HttpHeader> httpHeaders(Fields f) throws ConfigException {
        Map<String, HttpHeader> out = new LinkedHashMap<>();
        for (Entry e : f.entries("http_headers", "config.Headers")) {
            String canonical = canonicalHeader(e.key());
            if (RESERVED_HEADERS.contains(canonical)) {
                throw new ConfigException(f.file, e.line(), e.column(), f.path("http_headers") + "." + e.key(),
                        "setting header \"" + canonical + "\" is not allowed");
            }
            Fields h = Fields.of(f.file, f.path("http_headers") + "." + e.key(), e.value(), "header");
            HttpHeader header = new HttpHeader(h.strings("values"), h.strings("secrets"), h.strings("files"));
            h.finish();
            out.put(e.key(), header);
        }
        return out;
    }

    /** Go's {@code http.CanonicalHeaderKey} for ASCII names. */
    static String canonicalHeader(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        boolean upper = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return sb.toString();
    }

    /** Go's {@code url.Parse} is lenient; refuse only what it refuses in practice. */
    static void checkUrl(Fields f, String key, String url) throws ConfigException {
        for (int i = 0; i < url.length(); i++) {
            if (url.charAt(i) < 0x20 || url.charAt(i) == 0x7f) {
                throw f.error(key, "parse \"" + url + "\": net/url: invalid control character in URL");
            }
        }
        int schemeEnd = url.indexOf("://");
        if (schemeEnd >= 0) {
            int hostStart = schemeEnd + 3;
            int hostEnd = hostStart;
            while (hostEnd < url.length() && "/?#".indexOf(url.charAt(hostEnd)) < 0) hostEnd++;
            String host = url.substring(hostStart, hostEnd);
            int at = host.lastIndexOf('@');
            host = host.substring(at + 1);
            if (host.indexOf(' ') >= 0) {
                throw f.error(key, "parse \"" + url + "\": invalid character \" \" in host name");
            }
        }
    }

    /** Scheme of an absolute URL in lower case, or "" when there is none. */
    static String scheme(String url) {
        int i = url.indexOf("://");
        return i <= 0 ? "" : url.substring(0, i).toLowerCase(Locale.ROOT);
    }

    /** Host part of an absolute URL, or "". */
    static String host(String url) {
        int i = url.indexOf("://");
        if (i < 0) return "";
        int end = i + 3;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) end++;
        String h = url.substring(i + 3, end);
        return h.substring(h.lastIndexOf('@') + 1);
    }
}
