package io.pyrometer.cli;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * {@code --web.external-url} as Prometheus's {@code computeExternalURL} (cmd/prometheus/main.go)
 * computes it: {@code http://<hostname>:<listen port>/} when empty, and the path without its
 * trailing slash, so {@code externalUrl + "/graph?..."} is a valid link.
 */
final class ExternalUrl {
    private ExternalUrl() {}

    static String compute(String flag, String listenAddress) throws Server.StartupException {
        String u = flag;
        if (u.isEmpty()) {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
            String port = listenAddress.substring(listenAddress.lastIndexOf(':') + 1);
            u = "http://" + host + ":" + port + "/";
        }
        if (u.startsWith("\"") || u.startsWith("'") || u.endsWith("\"") || u.endsWith("'")) {
            throw new Server.StartupException("parse external URL \"" + u + "\": URL must not begin or end with quotes", null);
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw new Server.StartupException("parse external URL \"" + u + "\": " + e.getMessage(), e);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        if (!path.isEmpty() && !path.startsWith("/")) path = "/" + path;
        StringBuilder sb = new StringBuilder();
        if (uri.getScheme() != null) sb.append(uri.getScheme()).append("://");
        if (uri.getRawAuthority() != null) sb.append(uri.getRawAuthority());
        sb.append(path);
        if (uri.getRawQuery() != null) sb.append('?').append(uri.getRawQuery());
        return sb.toString();
    }
}
