package io.pyrometer.alerting.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small SMTP server on a loopback ephemeral port for tests (RFC 5321 subset): EHLO/HELO, optional
 * STARTTLS (with a self-signed certificate made by the JDK's keytool), AUTH PLAIN and LOGIN
 * (accepting one user/password), MAIL, RCPT (rejecting addresses starting with "reject"), DATA,
 * QUIT. It records every line the client sent and each message (dot-unstuffed, CRLF kept).
 */
final class LoopbackSmtpServer implements AutoCloseable {
    final List<String> transcript = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final String extensions;
    private final SSLContext tls;
    private final String user, password;
    private final Thread thread;

    /**
     * @param auth       the AUTH mechanisms to advertise ("" for none), e.g. "PLAIN LOGIN"
     * @param tlsKeyDir  where to make a keystore for STARTTLS, or null for no STARTTLS
     */
    LoopbackSmtpServer(String auth, Path tlsKeyDir, String user, String password) throws Exception {
        this.user = user;
        this.password = password;
        this.tls = tlsKeyDir == null ? null : serverContext(tlsKeyDir);
        StringBuilder ext = new StringBuilder();
        if (tls != null) ext.append("STARTTLS\n");
        if (!auth.isEmpty()) ext.append("AUTH ").append(auth).append('\n');
        ext.append("SIZE 10240000");
        this.extensions = ext.toString();
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().start(this::serve);
    }

    int port() { return server.getLocalPort(); }

    private static SSLContext serverContext(Path dir) throws Exception {
        Path ks = dir.resolve("smtp.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("keytool failed");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                session(s);
            } catch (IOException e) {
                // closed, or the client went away: wait for the next one
            }
        }
    }

    private void session(Socket plain) throws IOException {
        Socket s = plain;
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = s.getOutputStream();
        boolean secure = false;
        write(out, "220 localhost ESMTP test");
        String line;
        while ((line = in.readLine()) != null) {
            transcript.add(line);
            String upper = line.toUpperCase();
            if (upper.startsWith("EHLO")) {
                String ext = secure ? extensions.replace("STARTTLS\n", "") : extensions;
                String[] lines = ("localhost greets you\n" + ext).split("\n");
                for (int i = 0; i < lines.length; i++) write(out, "250" + (i == lines.length - 1 ? " " : "-") + lines[i]);
            } else if (upper.startsWith("HELO")) {
                write(out, "250 localhost");
            } else if (upper.equals("STARTTLS") && tls != null && !secure) {
                write(out, "220 go ahead");
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, "localhost", s.getPort(), true);
                ssl.setUseClientMode(false);
                ssl.startHandshake();
                s = ssl;
                in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                out = s.getOutputStream();
                secure = true;
            } else if (upper.startsWith("AUTH PLAIN ")) {
                String expected = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
                write(out, line.substring(11).equals(expected) ? "235 ok" : "535 bad credentials");
            } else if (upper.equals("AUTH LOGIN")) {
                write(out, "334 VXNlcm5hbWU6");
                String u = in.readLine();
                transcript.add(u);
                write(out, "334 UGFzc3dvcmQ6");
                String pw = in.readLine();
                transcript.add(pw);
                boolean ok = new String(Base64.getDecoder().decode(u), StandardCharsets.UTF_8).equals(user)
                        && new String(Base64.getDecoder().decode(pw), StandardCharsets.UTF_8).equals(password);
                write(out, ok ? "235 ok" : "535 bad credentials");
            } else if (upper.startsWith("MAIL FROM:")) {
                write(out, "250 ok");
            } else if (upper.startsWith("RCPT TO:")) {
                write(out, upper.startsWith("RCPT TO:<REJECT") ? "550 no such user" : "250 ok");
            } else if (upper.equals("DATA")) {
                write(out, "354 end with .");
                StringBuilder msg = new StringBuilder();
                String l;
                while ((l = in.readLine()) != null && !l.equals(".")) msg.append(l.startsWith("..") ? l.substring(1) : l).append("\r\n");
                messages.add(msg.toString());
                write(out, "250 queued");
            } else if (upper.equals("QUIT")) {
                write(out, "221 bye");
                return;
            } else {
                write(out, "502 not implemented");
            }
        }
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(5_000);
    }
}
