package io.pyrometer.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Email through a loopback SMTP server: the SMTP conversation Alertmanager's notifier has
 * (notify/email/email.go at v0.25.0 on Go's net/smtp: EHLO with smtp_hello, STARTTLS then EHLO
 * again, AUTH with the first usable mechanism, MAIL, one RCPT per address, DATA) and the message
 * it writes (templated headers, multipart/alternative, quoted-printable parts). Expectations by hand.
 */
class EmailNotifierTest {
    static NotificationContext ctx() {
        return NotificationContext.of("team a", "{}:{alertname=\"Down\"}", Map.of("alertname", "Down"), "http://am:9093",
                DefaultTemplatesTest.NOW);
    }

    static Integration email(String config) throws Exception {
        ReceiverConfigs.Parsed p = ReceiverConfigs.parse("route:\n  receiver: r\n" + config);
        return Receivers.build(p.receivers().getFirst(), NotifyTemplates.defaults()).integrations().getFirst();
    }

    @Test
    void plainAuthWithoutTlsToLocalhostAndTheMessage() throws Exception {
        try (LoopbackSmtpServer s = new LoopbackSmtpServer("PLAIN LOGIN", null, "am", "s3cret")) {
            Integration e = email("""
                    global:
                      smtp_smarthost: 127.0.0.1:%d
                      smtp_from: 'Alertmanager <am@example.org>'
                      smtp_auth_username: am
                      smtp_auth_password: s3cret
                      smtp_require_tls: false
                    receivers:
                      - name: r
                        email_configs:
                          - to: 'Ops <ops@example.org>, oncall@example.org'
                            text: '{{ template "email.default.subject" . }} é'
                            headers:
                              x-team: '{{ .GroupLabels.alertname }}'
                    """.formatted(s.port()));
            assertThat(e.sendResolved()).isFalse(); // DefaultEmailConfig
            e.notify(ctx(), DefaultTemplatesTest.group());
            assertThat(s.transcript).containsExactly("EHLO localhost",
                    "AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString("\0am\0s3cret".getBytes()),
                    "MAIL FROM:<am@example.org>", "RCPT TO:<ops@example.org>", "RCPT TO:<oncall@example.org>", "DATA", "QUIT");
            String m = s.messages.getFirst();
            String[] headBody = m.split("\r\n\r\n", 2);
            List<String> headers = List.of(headBody[0].split("\r\n"));
            assertThat(headers.subList(0, 4)).containsExactly("Subject: [FIRING:1] Down (node)",
                    "From: Alertmanager <am@example.org>", "To: Ops <ops@example.org>, oncall@example.org", "X-Team: Down");
            assertThat(headers.get(4)).matches("Message-Id: <\\d+\\.\\d+@.+>");
            assertThat(headers.get(5)).matches("Date: \\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}");
            assertThat(headers.get(6)).matches("Content-Type: multipart/alternative;  boundary=[0-9a-f]{60}");
            assertThat(headers.get(7)).isEqualTo("MIME-Version: 1.0");
            String boundary = headers.get(6).substring(headers.get(6).indexOf('=') + 1);
            String body = headBody[1];
            assertThat(body).startsWith("--" + boundary + "\r\nContent-Transfer-Encoding: quoted-printable\r\n"
                    + "Content-Type: text/plain; charset=UTF-8\r\n\r\n[FIRING:1] Down (node) =C3=A9\r\n--" + boundary + "\r\n"
                    + "Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<!DOCTYPE html>");
            assertThat(body).endsWith("</html>\r\n--" + boundary + "--\r\n");
            assertThat(body).contains("a &lt;down&gt;"); // HTML-escaped annotation
            for (String line : body.split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(76);
        }
    }

    @Test
    void startTlsThenLoginAuth(@TempDir Path dir) throws Exception {
        try (LoopbackSmtpServer s = new LoopbackSmtpServer("LOGIN", dir, "am", "pw")) {
            Integration e = email("""
                    receivers:
                      - name: r
                        email_configs:
                          - to: ops@example.org
                            from: am@example.org
                            smarthost: 127.0.0.1:%d
                            hello: router.example.org
                            auth_username: am
                            auth_password: pw
                            tls_config:
                              insecure_skip_verify: true
                    """.formatted(s.port()));
            e.notify(ctx(), DefaultTemplatesTest.group());
            assertThat(s.transcript).containsExactly("EHLO router.example.org", "STARTTLS", "EHLO router.example.org", "AUTH LOGIN",
                    "YW0=", "cHc=", "MAIL FROM:<am@example.org>", "RCPT TO:<ops@example.org>", "DATA", "QUIT");
            assertThat(s.messages).hasSize(1);
        }
    }

    @Test
    void requireTlsWithoutStartTlsIsARetryableError() throws Exception {
        try (LoopbackSmtpServer s = new LoopbackSmtpServer("", null, "", "")) {
            Integration e = email("receivers:\n  - name: r\n    email_configs:\n      - to: a@b.c\n        from: x@y.z\n        smarthost: 127.0.0.1:"
                    + s.port() + "\n");
            assertThatThrownBy(() -> e.notify(ctx(), DefaultTemplatesTest.group())).isInstanceOfSatisfying(NotifyException.class, x -> {
                assertThat(x.retry()).isTrue();
                assertThat(x.getMessage()).isEqualTo("email[0]: 'require_tls' is true (default) but \"127.0.0.1:" + s.port()
                        + "\" does not advertise the STARTTLS extension");
            });
            assertThat(s.messages).isEmpty();
        }
    }

    @Test
    void rejectedRecipientIsRetriedAndBadFromIsNot() throws Exception {
        try (LoopbackSmtpServer s = new LoopbackSmtpServer("", null, "", "")) {
            String base = "receivers:\n  - name: r\n    email_configs:\n      - smarthost: 127.0.0.1:" + s.port() + "\n        require_tls: false\n";
            Integration rejected = email(base + "        to: reject@example.org\n        from: x@y.z\n");
            assertThatThrownBy(() -> rejected.notify(ctx(), DefaultTemplatesTest.group())).isInstanceOfSatisfying(NotifyException.class, x -> {
                assertThat(x.retry()).isTrue();
                assertThat(x.getMessage()).contains("RCPT: 550 no such user");
            });
            Integration badFrom = email(base + "        to: a@b.c\n        from: 'a@b.c, d@e.f'\n");
            assertThatThrownBy(() -> badFrom.notify(ctx(), DefaultTemplatesTest.group())).isInstanceOfSatisfying(NotifyException.class, x -> {
                assertThat(x.retry()).isFalse();
                assertThat(x.getMessage()).isEqualTo("email[0]: must be exactly one 'from' address (got: 2)");
            });
        }
    }

    @Test
    void mimeEncodings() {
        assertThat(MimeEncoding.qEncodeHeader("plain ascii")).isEqualTo("plain ascii");
        // mime.QEncoding.Encode("utf-8", "¡Hola, señor!") = "=?utf-8?q?=C2=A1Hola,_se=C3=B1or!?=" (Go's mime package doc example)
        assertThat(MimeEncoding.qEncodeHeader("¡Hola, señor!")).isEqualTo("=?utf-8?q?=C2=A1Hola,_se=C3=B1or!?=");
        assertThat(MimeEncoding.quotedPrintable("a=b \nc\t\n" + "x".repeat(80)))
                .isEqualTo("a=3Db=20\r\nc=09\r\n" + "x".repeat(75) + "=\r\n" + "x".repeat(5));
    }
}
