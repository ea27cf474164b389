package io.pyrometer.alerting.notify;

import io.pyrometer.config.ConfigException;
import io.pyrometer.config.Fields;
import io.pyrometer.config.HttpClientConfig.TlsConfig;
import io.pyrometer.config.YamlNode;
import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code email_configs}: one multipart/alternative message over SMTP, as {@code notify/email/email.go}
 * (v0.25.0) sends it: implicit TLS on port 465, else STARTTLS when {@code require_tls} (the
 * default; a server without STARTTLS is then an error), AUTH with the first mechanism the server
 * offers that has credentials (CRAM-MD5 with {@code auth_secret}, PLAIN, LOGIN; PLAIN only over TLS
 * or to localhost, as Go's {@code smtp.PlainAuth}), headers from templates (Subject, To and From by
 * default), a text part when {@code text} is set and the HTML part, both quoted-printable. Failures
 * before the message is accepted are retried; template and address errors are not.
 */
final class EmailNotifier implements Integration {
    static final int TIMEOUT_MS = 30_000;
    private static final DateTimeFormatter RFC1123Z = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@code EmailConfig} with defaults and globals applied; {@code send_resolved} defaults to false. */
    record Config(boolean sendResolved, String to, String from, String hello, String smarthostHost, int smarthostPort,
                  String authUsername, String authPassword, String authPasswordFile, String authSecret, String authIdentity,
                  Map<String, String> headers, String html, String text, boolean requireTls, TlsConfig tls)
            implements IntegrationConfig {
        @Override public String kind() { return "email"; }

        @Override
        public String toString() {
            return "EmailConfig[sendResolved=" + sendResolved + ", to=" + to + ", from=" + from + ", smarthost=" + smarthostHost + ":"
                    + smarthostPort + ", authUsername=" + authUsername + ", authPassword=" + (authPassword.isEmpty() ? "" : "<secret>")
                    + ", requireTls=" + requireTls + "]";
        }

        static Config read(Fields f, NotifyGlobals g) throws ConfigException {
            boolean sendResolved = f.bool("send_resolved", false);
            String to = f.string("to", "");
            String from = f.string("from", "");
            String hello = f.string("hello", "");
            String smarthost = Receivers.hostPort(f, "smarthost");
            String user = f.string("auth_username", "");
            String password = f.string("auth_password", "");
            String passwordFile = f.string("auth_password_file", "");
            String secret = f.string("auth_secret", "");
            String identity = f.string("auth_identity", "");
            Map<String, String> headers = new LinkedHashMap<>();
            for (YamlNode.Entry e : f.entries("headers", "map[string]string")) {
                String canonical = Receivers.canonicalHeader(e.key());
                if (headers.containsKey(canonical)) {
                    throw new ConfigException(f.file, e.line(), e.column(), f.path("headers") + "." + e.key(),
                            "duplicate header " + Receivers.quote(canonical) + " in email config");
                }
                headers.put(canonical, Fields.scalarText(f.file, f.path("headers") + "." + e.key(), e.value(), "string"));
            }
            String html = f.string("html", "{{ template \"email.default.html\" . }}");
            String text = f.string("text", "");
            Boolean requireTls = f.has("require_tls") ? f.bool("require_tls", true) : null;
            TlsConfig tls = f.has("tls_config") ? tls(Fields.of(f.file, f.path("tls_config"), f.get("tls_config"), "tls_config")) : TlsConfig.EMPTY;
            f.finish();
            if (to.isEmpty()) throw f.error("missing to address in email config");
            if (!password.isEmpty() && !passwordFile.isEmpty()) {
                throw f.error("auth_password_file", "at most one of auth_password & auth_password_file must be configured");
            }
            // Config.UnmarshalYAML's global fill-in
            if (smarthost.isEmpty()) {
                if (g.smtpSmarthost().isEmpty()) throw f.error("no global SMTP smarthost set; set smarthost here or smtp_smarthost in global");
                smarthost = g.smtpSmarthost();
            }
            if (from.isEmpty()) {
                if (g.smtpFrom().isEmpty()) throw f.error("no global SMTP from set; set from here or smtp_from in global");
                from = g.smtpFrom();
            }
            if (hello.isEmpty()) hello = g.smtpHello();
            if (user.isEmpty()) user = g.smtpAuthUsername();
            if (password.isEmpty() && passwordFile.isEmpty()) {
                password = g.smtpAuthPassword();
                passwordFile = g.smtpAuthPasswordFile();
            }
            if (secret.isEmpty()) secret = g.smtpAuthSecret();
            if (identity.isEmpty()) identity = g.smtpAuthIdentity();
            int colon = smarthost.lastIndexOf(':');
            String host = smarthost.substring(0, colon);
            if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
            int port;
            try {
                port = Integer.parseInt(smarthost.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw f.error("smarthost", "address " + smarthost + ": invalid port; write host:port with a numeric port");
            }
            // email.New: Subject, To and From headers unless the config sets them
            headers.putIfAbsent("Subject", "{{ template \"email.default.subject\" . }}");
            headers.putIfAbsent("To", to);
            headers.putIfAbsent("From", from);
            return new Config(sendResolved, to, from, hello, host, port, user, password, passwordFile, secret, identity,
                    Map.copyOf(headers), html, text, requireTls != null ? requireTls : g.smtpRequireTls(), tls);
        }

        private static TlsConfig tls(Fields t) throws ConfigException {
            TlsConfig c = new TlsConfig(t.string("ca", ""), t.string("ca_file", ""), t.string("cert", ""), t.string("cert_file", ""),
                    t.string("key", ""), t.string("key_file", ""), t.string("server_name", ""), t.bool("insecure_skip_verify", false),
                    t.string("min_version", ""), t.string("max_version", ""));
            t.finish();
            boolean cert = !c.cert().isEmpty() || !c.certFile().isEmpty(), key = !c.key().isEmpty() || !c.keyFile().isEmpty();
            if (cert != key) throw t.error("exactly one of key or key_file and one of cert or cert_file must be configured together");
            return c;
        }
    }

    private final Config config;
    private final int index;
    private final NotifyTemplates templates;

    /** The host name for Message-Id, looked up once on first use (a lookup can block on DNS). */
    private static final class Hostname {
        static final String VALUE = lookup();

        private static String lookup() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "localhost.localdomain"; // what Alertmanager uses when os.Hostname fails
            }
        }
    }

    EmailNotifier(Config config, int index, NotifyTemplates templates) {
        this.config = config;
        this.index = index;
        this.templates = templates;
    }

    @Override public String name() { return "email"; }
    @Override public int index() { return index; }
    @Override public boolean sendResolved() { return config.sendResolved(); }

    @Override
    public void notify(NotificationContext ctx, List<NotifyAlert> alerts) throws NotifyException {
        String w = describe();
        TemplateData.Data d = TemplateData.of(ctx, alerts);
        // Templates first (Alertmanager renders them after connecting; failing before connecting is kinder to the server).
        String from = templates.render(w, "from", config.from(), d);
        String to = templates.render(w, "to", config.to(), d);
        List<String> fromAddrs = MailAddresses.parseList(w, "from", from);
        if (fromAddrs.size() != 1) throw NotifyException.permanent(w + ": must be exactly one 'from' address (got: " + fromAddrs.size() + ")");
        List<String> toAddrs = MailAddresses.parseList(w, "to", to);
        String message = message(d, ctx.now());
        String server = config.smarthostHost() + ":" + config.smarthostPort();
        try (SmtpClient c = SmtpClient.connect(config.smarthostHost(), config.smarthostPort(), config.smarthostPort() == 465,
                config.tls(), TIMEOUT_MS)) {
            c.hello(config.hello());
            if (config.requireTls() && !c.tls()) {
                if (c.extension("STARTTLS") == null) {
                    throw NotifyException.retryable(w + ": 'require_tls' is true (default) but \"" + server
                            + "\" does not advertise the STARTTLS extension");
                }
                c.startTls(config.hello(), config.tls());
            }
            String mechs = c.extension("AUTH");
            if (mechs != null) auth(c, mechs);
            c.mail(fromAddrs.getFirst());
            for (String a : toAddrs) c.rcpt(a);
            c.data(message);
        } catch (SmtpClient.SmtpException e) {
            // Go's smtp client errors are all retried by Alertmanager (true, err)
            throw NotifyException.retryable(w + ": SMTP conversation failed [server=" + server + ", error=" + e.getMessage() + "]", e);
        } catch (GeneralSecurityException e) {
            throw NotifyException.retryable(w + ": TLS with the SMTP server failed [server=" + server + ", error=" + e.getMessage() + "]", e);
        } catch (IOException e) {
            throw NotifyException.retryable(w + ": establish connection to server [server=" + server + ", error=" + e.getMessage() + "]", e);
        }
    }

    /** {@code Email.auth}: the first advertised mechanism we have credentials for; no user name means no AUTH. */
    private void auth(SmtpClient c, String mechs) throws IOException, NotifyException {
        if (config.authUsername().isEmpty()) return;
        List<String> problems = new ArrayList<>();
        for (String mech : mechs.split(" ")) {
            switch (mech.toUpperCase(Locale.ROOT)) {
                case "CRAM-MD5" -> {
                    if (config.authSecret().isEmpty()) {
                        problems.add("missing secret for CRAM-MD5 auth mechanism");
                        continue;
                    }
                    c.authCramMd5(config.authUsername(), config.authSecret());
                    return;
                }
                case "PLAIN" -> {
                    String password = password();
                    if (password.isEmpty()) {
                        problems.add("missing password for PLAIN auth mechanism");
                        continue;
                    }
                    if (!c.tls() && !isLocalhost(config.smarthostHost())) {
                        throw NotifyException.retryable(describe() + ": *smtp.plainAuth auth: unencrypted connection; enable require_tls or use port 465");
                    }
                    c.authPlain(config.authIdentity(), config.authUsername(), password);
                    return;
                }
                case "LOGIN" -> {
                    String password = password();
                    if (password.isEmpty()) {
                        problems.add("missing password for LOGIN auth mechanism");
                        continue;
                    }
                    c.authLogin(config.authUsername(), password);
                    return;
                }
                default -> { }
            }
        }
        if (problems.isEmpty()) problems.add("unknown auth mechanism: " + mechs);
        throw NotifyException.retryable(describe() + ": find auth mechanism: " + String.join("; ", problems));
    }

    private String password() throws NotifyException {
        if (config.authPasswordFile().isEmpty()) return config.authPassword();
        try {
            return NotifyHttp.readTrimmed(config.authPasswordFile());
        } catch (IOException e) {
            throw NotifyException.permanent(describe() + ": could not read auth_password_file [file=" + config.authPasswordFile() + ", error=" + e.getMessage() + "]", e);
        }
    }

    private static boolean isLocalhost(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1");
    }

    /** Headers and the multipart/alternative body with CRLF line ends, as email.go writes them. */
    String message(TemplateData.Data d, Instant now) throws NotifyException {
        String w = describe();
        StringBuilder sb = new StringBuilder(4096);
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String first : List.of("Subject", "From", "To")) if (config.headers().containsKey(first)) ordered.put(first, config.headers().get(first));
        ordered.putAll(new TreeMap<>(config.headers()));
        for (Map.Entry<String, String> h : ordered.entrySet()) {
            String value = templates.render(w, "header " + h.getKey(), h.getValue(), d);
            sb.append(h.getKey()).append(": ").append(MimeEncoding.qEncodeHeader(value)).append("\r\n");
        }
        if (!config.headers().containsKey("Message-Id")) {
            sb.append("Message-Id: <").append(now.getEpochSecond() * 1_000_000_000L + now.getNano()).append('.')
                    .append(Long.toUnsignedString(RANDOM.nextLong())).append('@').append(Hostname.VALUE).append(">\r\n");
        }
        String boundary = MimeEncoding.boundary(RANDOM);
        sb.append("Date: ").append(RFC1123Z.format(now.atZone(ZoneId.systemDefault()))).append("\r\n");
        sb.append("Content-Type: multipart/alternative;  boundary=").append(boundary).append("\r\n");
        sb.append("MIME-Version: 1.0\r\n\r\n");
        boolean first = true;
        if (!config.text().isEmpty()) {
            part(sb, boundary, first, "text/plain; charset=UTF-8", templates.render(w, "text", config.text(), d));
            first = false;
        }
        if (!config.html().isEmpty()) {
            String html;
            try {
                html = templates.html(config.html(), d);
            } catch (io.pyrometer.template.TemplateException e) {
                throw NotifyException.permanent(w + ": template for html failed [error=" + e.getMessage() + "]", e);
            }
            part(sb, boundary, first, "text/html; charset=UTF-8", html);
        }
        sb.append("\r\n--").append(boundary).append("--\r\n");
        return sb.toString();
    }

    /** Go's {@code multipart.Writer.CreatePart}: headers in sorted order, then a quoted-printable body. */
    private static void part(StringBuilder sb, String boundary, boolean first, String contentType, String body) {
        sb.append(first ? "--" : "\r\n--").append(boundary).append("\r\n");
        sb.append("Content-Transfer-Encoding: quoted-printable\r\n");
        sb.append("Content-Type: ").append(contentType).append("\r\n\r\n");
        sb.append(MimeEncoding.quotedPrintable(body));
    }
}
