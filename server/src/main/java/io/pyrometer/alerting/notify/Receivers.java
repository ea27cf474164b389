package io.pyrometer.alerting.notify;

import io.pyrometer.config.ConfigException;
import io.pyrometer.config.Fields;
import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.YamlNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code receivers:} entries of {@code alertmanager.yml} as Alertmanager's
 * {@code config.Receiver} and the {@code *Config.UnmarshalYAML} of each integration do (their
 * defaults, their checks and words, {@code config/notifiers.go}), then fills what a receiver leaves
 * unset from {@code global:} as {@code Config.UnmarshalYAML} does. Every error names file, line and
 * column.
 *
 * <pre>{@code
 * Fields r = Fields.of(file, "receivers[0]", node, "receiver");
 * Receiver receiver = Receivers.parse(r, globals, templates); // or parseConfig(...) then build(...)
 * }</pre>
 */
public final class Receivers {
    private Receivers() {}

    /** Integration lists Alertmanager has and Pyrometer does not, with what to do instead. */
    static final Map<String, String> UNSUPPORTED;

    static {
        String hint = "use webhook_configs with a bridge, or slack_configs, email_configs, pagerduty_configs, msteams_configs or discord_configs";
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : List.of("opsgenie_configs", "wechat_configs", "pushover_configs", "victorops_configs", "sns_configs",
                "telegram_configs", "webex_configs", "msteamsv2_configs", "jira_configs", "rocketchat_configs",
                "mattermost_configs", "incidentio_configs")) {
            m.put(k, hint);
        }
        UNSUPPORTED = Map.copyOf(m);
    }

    /** Integration kinds in the order Alertmanager builds them ({@code buildReceiverIntegrations}). */
    enum Kind { WEBHOOK, EMAIL, PAGERDUTY, SLACK, DISCORD, MSTEAMS }

    /**
     * Parses and builds one receiver.
     *
     * @param receiver  a {@code Fields} over one {@code receivers:} item (path e.g. {@code receivers[0]})
     * @param templates the notification templates (defaults plus the config's {@code templates:} files)
     */
    public static Receiver parse(Fields receiver, NotifyGlobals globals, NotifyTemplates templates) throws ConfigException {
        ReceiverConfig c = parseConfig(receiver, globals);
        try {
            return build(c, templates);
        } catch (IllegalArgumentException e) {
            throw receiver.error(e.getMessage());
        }
    }

    /** Parses one receiver entry without building integrations (for checks and the status API). */
    public static ReceiverConfig parseConfig(Fields f, NotifyGlobals g) throws ConfigException {
        String name = f.string("name", "");
        Map<Kind, List<IntegrationConfig>> byKind = new EnumMap<>(Kind.class);
        byKind.put(Kind.WEBHOOK, list(f, "webhook_configs", "webhook config", g, WebhookNotifier.Config::read));
        byKind.put(Kind.EMAIL, list(f, "email_configs", "email config", g, EmailNotifier.Config::read));
        byKind.put(Kind.PAGERDUTY, list(f, "pagerduty_configs", "PagerDuty config", g, PagerDutyNotifier.Config::read));
        byKind.put(Kind.SLACK, list(f, "slack_configs", "Slack config", g, SlackNotifier.Config::read));
        byKind.put(Kind.DISCORD, list(f, "discord_configs", "Discord config", g, DiscordNotifier.Config::read));
        byKind.put(Kind.MSTEAMS, list(f, "msteams_configs", "Microsoft Teams config", g, MsTeamsNotifier.Config::read));
        f.finish(UNSUPPORTED);
        if (name.isEmpty()) throw f.error("missing name in receiver");
        List<IntegrationConfig> all = new ArrayList<>();
        for (List<IntegrationConfig> l : byKind.values()) all.addAll(l);
        return new ReceiverConfig(name, all);
    }

    /**
     * Builds the integrations of a parsed receiver, indexed per kind.
     *
     * @throws IllegalArgumentException for settings that cannot be used (e.g. {@code oauth2})
     */
    public static Receiver build(ReceiverConfig c, NotifyTemplates templates) {
        List<Integration> out = new ArrayList<>();
        Map<String, Integer> next = new LinkedHashMap<>();
        for (IntegrationConfig ic : c.integrations()) {
            int i = next.merge(ic.kind(), 1, Integer::sum) - 1;
            out.add(switch (ic) {
                case WebhookNotifier.Config w -> new WebhookNotifier(w, i);
                case SlackNotifier.Config s -> new SlackNotifier(s, i, templates);
                case EmailNotifier.Config e -> new EmailNotifier(e, i, templates);
                case PagerDutyNotifier.Config p -> new PagerDutyNotifier(p, i, templates);
                case MsTeamsNotifier.Config m -> new MsTeamsNotifier(m, i, templates);
                case DiscordNotifier.Config d -> new DiscordNotifier(d, i, templates);
            });
        }
        return new Receiver(c.name(), out);
    }

    @FunctionalInterface
    interface Reader {
        IntegrationConfig read(Fields f, NotifyGlobals g) throws ConfigException;
    }

    private static List<IntegrationConfig> list(Fields f, String key, String what, NotifyGlobals g, Reader reader)
            throws ConfigException {
        List<YamlNode> items = f.list(key, "[]*config." + what.replace(" ", ""));
        List<IntegrationConfig> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String path = Fields.index(f.path(key), i);
            YamlNode n = items.get(i);
            if (YamlNode.isEmptyItem(n)) throw Fields.error(f.file, n, path, "empty or null " + what + "; remove the empty list item");
            out.add(reader.read(Fields.of(f.file, path, n, what), g));
        }
        return out;
    }

    // ---- value helpers shared by the integration configs

    /** An integration's {@code http_config}, or the global one when absent (Alertmanager's fill-in). */
    static HttpClientConfig httpConfig(Fields f, String key, HttpClientConfig global) throws ConfigException {
        if (!f.has(key)) return global;
        Fields h = Fields.of(f.file, f.path(key), f.get(key), "http_config");
        HttpClientConfig c = NotifyGlobals.readHttp(h);
        h.finish();
        if (c.oauth2() != null) {
            throw f.error(key, "oauth2 is not supported by Pyrometer's alert router yet; use authorization or basic_auth");
        }
        return c;
    }

    /**
     * Alertmanager's {@code config.URL}/{@code SecretURL}: an absolute http or https URL with a
     * host ({@code parseURL}); "" when absent.
     */
    static String url(Fields f, String key, String def) throws ConfigException {
        if (!f.has(key)) return def;
        String s = f.string(key, "");
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw f.error(key, "invalid URL " + quote(s) + ": " + e.getReason() + "; write an absolute http:// or https:// URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw f.error(key, "unsupported scheme " + quote(scheme) + " for URL; use http:// or https://");
        }
        if (u.getRawAuthority() == null || u.getRawAuthority().isEmpty()) {
            throw f.error(key, "missing host for URL");
        }
        return s;
    }

    /** Alertmanager's {@code HostPort} ({@code net.SplitHostPort}, port required); "" when absent or empty. */
    static String hostPort(Fields f, String key) throws ConfigException {
        String s = f.string(key, "");
        if (s.isEmpty()) return "";
        String host, port;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) throw f.error(key, "address " + s + ": missing ']' in address");
            host = s.substring(1, end);
            if (end + 1 >= s.length() || s.charAt(end + 1) != ':') throw f.error(key, "address " + s + ": missing port in address");
            port = s.substring(end + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) throw f.error(key, "address " + s + ": missing port in address; write host:port, e.g. smtp.example.org:587");
            host = s.substring(0, colon);
            if (host.indexOf(':') >= 0) throw f.error(key, "address " + s + ": too many colons in address");
            port = s.substring(colon + 1);
        }
        if (port.isEmpty()) throw f.error(key, "address " + quote(s) + ": port cannot be empty");
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** Go's {@code %q} for the ASCII strings in messages. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** Go's {@code textproto.CanonicalMIMEHeaderKey} for ASCII names. */
    static String canonicalHeader(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        boolean upper = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ' ') return name; // Go leaves keys with spaces alone
            sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return sb.toString();
    }
}
