package io.pyrometer.notifier;

import io.pyrometer.config.AlertingConfig.AlertmanagerConfig;
import io.pyrometer.discovery.TargetGroup;
import io.pyrometer.model.Labels;
import io.pyrometer.model.relabel.Relabeler;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns discovered targets of an {@code alertmanagers:} entry into Alertmanager URLs, as Prometheus's
 * {@code notifier.AlertmanagerFromGroup} (notifier/notifier.go in 3.0-3.3, alertmanager.go later):
 * target labels, then {@code __scheme__} from the config (overriding the target's),
 * {@code __alerts_path__} = {@code path.Join("/", path_prefix, "/api/v2/alerts")}, then group labels
 * the target does not set; {@code relabel_configs}; a dropped target is listed with its labels
 * from before relabeling. The URL is {@code __scheme__://__address____alerts_path__}.
 */
public final class AlertmanagerTargets {
    public static final String ADDRESS = "__address__";
    public static final String SCHEME = "__scheme__";
    public static final String ALERTS_PATH = "__alerts_path__";

    private AlertmanagerTargets() {}

    /** Active and dropped Alertmanager URLs of one target group. */
    public record Result(List<String> active, List<String> dropped) {}

    /**
     * @throws IllegalArgumentException when a kept target's address contains a {@code /}: Prometheus
     *                                  then ignores the whole group ({@code config.CheckTargetAddress})
     */
    public static Result fromGroup(TargetGroup group, AlertmanagerConfig cfg) {
        List<String> active = new ArrayList<>(group.targets().size());
        List<String> dropped = new ArrayList<>(0);
        Labels.Builder lb = Labels.builder();
        Relabeler relabeler = new Relabeler();
        String alertsPath = postPath(cfg.pathPrefix());
        for (Labels target : group.targets()) {
            lb.reset(Labels.EMPTY);
            for (int i = 0; i < target.size(); i++) lb.set(target.name(i), target.value(i));
            lb.set(SCHEME, cfg.scheme());
            lb.set(ALERTS_PATH, alertsPath);
            Labels groupLabels = group.labels();
            for (int i = 0; i < groupLabels.size(); i++) {
                if (!target.has(groupLabels.name(i))) lb.set(groupLabels.name(i), groupLabels.value(i));
            }
            Labels pre = lb.build();
            if (!relabeler.apply(lb, cfg.relabelConfigs())) {
                dropped.add(url(pre.get(SCHEME), pre.get(ADDRESS), pre.get(ALERTS_PATH)));
                continue;
            }
            String addr = lb.get(ADDRESS);
            if (addr.indexOf('/') >= 0) {
                throw new IllegalArgumentException("\"" + addr + "\" is not a valid hostname");
            }
            active.add(url(lb.get(SCHEME), addr, lb.get(ALERTS_PATH)));
        }
        return new Result(active, dropped);
    }

    /** Prometheus's {@code postPath}: {@code path.Join("/", prefix, "/api/v2/alerts")}. */
    public static String postPath(String prefix) {
        return clean("/" + (prefix == null ? "" : prefix) + "/api/v2/alerts");
    }

    /** Go's {@code path.Clean} for an absolute path: no empty, {@code .} or {@code ..} elements. */
    static String clean(String p) {
        List<String> out = new ArrayList<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (!out.isEmpty()) out.removeLast();
                continue;
            }
            out.add(part);
        }
        return "/" + String.join("/", out);
    }

    /** Go's {@code (&url.URL{Scheme, Host, Path}).String()}. */
    public static String url(String scheme, String host, String path) {
        StringBuilder sb = new StringBuilder(scheme.length() + host.length() + path.length() + 4);
        if (!scheme.isEmpty()) sb.append(scheme).append(':');
        if (!scheme.isEmpty() || !host.isEmpty()) {
            if (!host.isEmpty() || !path.isEmpty()) sb.append("//");
            escape(sb, host, true);
        }
        if (!path.isEmpty() && path.charAt(0) != '/' && !host.isEmpty()) sb.append('/');
        escape(sb, path, false);
        return sb.toString();
    }

    /** Go's {@code url.escape} in {@code encodeHost} / {@code encodePath} mode. */
    private static void escape(StringBuilder sb, String s, boolean host) {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (keep(c, host)) {
                sb.append((char) c);
            } else {
                sb.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 0xf));
            }
        }
    }

    private static boolean keep(int c, boolean host) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') return true;
        if (c == '-' || c == '_' || c == '.' || c == '~') return true;
        if (host) {
            // sub-delims, ':' for ports, '[' ']' for IPv6 literals, and what Go leaves for hosts
            return "!$&'()*+,;=:[]<>\"".indexOf(c) >= 0;
        }
        return "$&+,/:;=@".indexOf(c) >= 0;
    }
}
