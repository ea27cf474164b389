package io.pyrometer.alerting.notify;

import io.pyrometer.config.HttpClientConfig.TlsConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The part of Go's {@code net/smtp} client Alertmanager's email notifier uses: greeting, EHLO
 * (HELO when EHLO is refused), STARTTLS (then EHLO again), AUTH, MAIL, RCPT, DATA with dot
 * stuffing, QUIT. One instance per connection; not thread-safe.
 */
final class SmtpClient implements AutoCloseable {
    /** A reply other than the expected class; {@code code} 0 for a broken connection. */
    static final class SmtpException extends IOException {
        final int code;

        SmtpException(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;
    private final String host;
    private final int port;
    private final Map<String, String> extensions = new LinkedHashMap<>();
    private boolean tls;

    private SmtpClient(Socket socket, String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        attach(socket);
    }

    /** Connects; {@code implicitTls} for port 465 (SMTPS). Reads the 220 greeting. */
    static SmtpClient connect(String host, int port, boolean implicitTls, TlsConfig tlsConfig, int timeoutMs)
            throws IOException, GeneralSecurityException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), timeoutMs);
        s.setSoTimeout(timeoutMs);
        SmtpClient c;
        if (implicitTls) {
            SSLSocket ssl = upgrade(s, host, port, tlsConfig);
            c = new SmtpClient(ssl, host, port);
            c.tls = true;
        } else {
            c = new SmtpClient(s, host, port);
        }
        c.expect(220);
        return c;
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        out = s.getOutputStream();
    }

    private static SSLSocket upgrade(Socket plain, String host, int port, TlsConfig tlsConfig) throws IOException, GeneralSecurityException {
        SSLSocket ssl = (SSLSocket) NotifyHttp.sslContext(tlsConfig).getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters p = ssl.getSSLParameters();
        String serverName = tlsConfig.serverName().isEmpty() ? host : tlsConfig.serverName();
        if (!Character.isDigit(serverName.charAt(0)) && serverName.indexOf(':') < 0) p.setServerNames(List.of(new SNIHostName(serverName)));
        if (!tlsConfig.insecureSkipVerify()) p.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(p);
        ssl.startHandshake();
        return ssl;
    }

    boolean tls() { return tls; }

    /** EHLO (falling back to HELO); records the advertised extensions. */
    void hello(String localName) throws IOException {
        extensions.clear();
        Reply r = command("EHLO " + localName);
        if (r.code() == 250) {
            for (String l : r.lines().subList(1, r.lines().size())) {
                int sp = l.indexOf(' ');
                extensions.put((sp < 0 ? l : l.substring(0, sp)).toUpperCase(Locale.ROOT), sp < 0 ? "" : l.substring(sp + 1));
            }
            return;
        }
        check(command("HELO " + localName), 250, "HELO");
    }

    /** The parameter of an advertised extension ("" when it has none), or null when not advertised. */
    String extension(String name) {
        return extensions.get(name.toUpperCase(Locale.ROOT));
    }

    void startTls(String localName, TlsConfig tlsConfig) throws IOException, GeneralSecurityException {
        check(command("STARTTLS"), 220, "STARTTLS");
        attach(upgrade(socket, host, port, tlsConfig));
        tls = true;
        hello(localName);
    }

    /** AUTH PLAIN with an initial response (RFC 4616). */
    void authPlain(String identity, String user, String password) throws IOException {
        String token = java.util.Base64.getEncoder().encodeToString((identity + "\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        check(command("AUTH PLAIN " + token), 235, "AUTH PLAIN");
    }

    /** AUTH LOGIN: the server asks for the user name and the password in turn (334 challenges). */
    void authLogin(String user, String password) throws IOException {
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        check(command("AUTH LOGIN"), 334, "AUTH LOGIN");
        check(command(b64.encodeToString(user.getBytes(StandardCharsets.UTF_8))), 334, "AUTH LOGIN username");
        check(command(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8))), 235, "AUTH LOGIN password");
    }

    /** AUTH CRAM-MD5 (RFC 2195). */
    void authCramMd5(String user, String secret) throws IOException {
        Reply r = check(command("AUTH CRAM-MD5"), 334, "AUTH CRAM-MD5");
        try {
            byte[] challenge = java.util.Base64.getDecoder().decode(r.lines().getFirst().strip());
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacMD5");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
            String digest = java.util.HexFormat.of().formatHex(mac.doFinal(challenge));
            check(command(java.util.Base64.getEncoder().encodeToString((user + " " + digest).getBytes(StandardCharsets.UTF_8))), 235, "AUTH CRAM-MD5");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SmtpException(0, "CRAM-MD5: " + e.getMessage());
        }
    }

    void mail(String from) throws IOException {
        check(command("MAIL FROM:<" + from + ">" + (extension("8BITMIME") != null ? " BODY=8BITMIME" : "")), 250, "MAIL");
    }

    void rcpt(String to) throws IOException {
        Reply r = command("RCPT TO:<" + to + ">");
        if (r.code() != 250 && r.code() != 251) throw new SmtpException(r.code(), "RCPT: " + r.text());
    }

    /** DATA: sends {@code message} (CRLF line ends) dot-stuffed, then the terminating dot. */
    void data(String message) throws IOException {
        check(command("DATA"), 354, "DATA");
        StringBuilder sb = new StringBuilder(message.length() + 64);
        boolean lineStart = true;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (lineStart && c == '.') sb.append('.');
            if (c == '\n' && (i == 0 || message.charAt(i - 1) != '\r')) sb.append('\r'); // bare LF becomes CRLF
            sb.append(c);
            lineStart = c == '\n';
        }
        if (!lineStart) sb.append("\r\n");
        sb.append(".\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        check(read(), 250, "end of DATA");
    }

    @Override
    public void close() {
        try {
            command("QUIT");
        } catch (IOException e) {
            // best effort, as Alertmanager's deferred Quit
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    record Reply(int code, List<String> lines) {
        String text() { return code + " " + String.join(" ", lines); }
    }

    private Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read();
    }

    private Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        int code;
        while (true) {
            String l = in.readLine();
            if (l == null) throw new SmtpException(0, "connection closed by server");
            if (l.length() < 3) throw new SmtpException(0, "short response: " + l);
            try {
                code = Integer.parseInt(l.substring(0, 3));
            } catch (NumberFormatException e) {
                throw new SmtpException(0, "invalid response: " + l);
            }
            lines.add(l.length() > 4 ? l.substring(4) : "");
            if (l.length() == 3 || l.charAt(3) != '-') break;
        }
        return new Reply(code, lines);
    }

    private void expect(int code) throws IOException {
        check(read(), code, "greeting");
    }

    private static Reply check(Reply r, int code, String what) throws SmtpException {
        if (r.code() != code) throw new SmtpException(r.code(), what + ": " + r.text());
        return r;
    }
}
