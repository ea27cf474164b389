package io.pyrometer.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.config.ConfigException;
import io.pyrometer.config.HttpClientConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Receiver configs parsed as Alertmanager does (config/notifiers.go and config.go at v0.25.0 plus
 * url_file/webhook_url_file from v0.27): defaults, global fill-in, and refusals with positions.
 * {@link AmtoolReceiversInteropTest} checks that real amtool agrees on every verdict of {@link #CASES}.
 */
class ReceiversParseTest {
    /** A config that amtool and we judge; {@code error} null when valid, else "line:col: message fragment". */
    record Case(String name, String yaml, String error) {
        @Override public String toString() { return name; }
    }

    static final String ROUTE = "route:\n  receiver: r\n";

    static final List<Case> CASES = List.of(
            new Case("webhook minimal", ROUTE + """
                    receivers:
                      - name: r
                        webhook_configs:
                          - url: http://127.0.0.1:5001/hook
                    """, null),
            new Case("null receiver", ROUTE + """
                    receivers:
                      - name: r
                    """, null),
            new Case("webhook without url", ROUTE + """
                    receivers:
                      - name: r
                        webhook_configs:
                          - send_resolved: false
                    """, "6:9: receivers[0].webhook_configs[0]: one of url or url_file must be configured"),
            new Case("webhook url without scheme", ROUTE + """
                    receivers:
                      - name: r
                        webhook_configs:
                          - url: 127.0.0.1:5001/hook
                    """, "6:14: receivers[0].webhook_configs[0].url: invalid URL \"127.0.0.1:5001/hook\": Illegal character in scheme name; write an absolute http:// or https:// URL"),
            new Case("webhook ftp url", ROUTE + """
                    receivers:
                      - name: r
                        webhook_configs:
                          - url: ftp://example.org/x
                    """, "6:14: receivers[0].webhook_configs[0].url: unsupported scheme \"ftp\" for URL; use http:// or https://"),
            new Case("webhook url and url_file", ROUTE + """
                    receivers:
                      - name: r
                        webhook_configs:
                          - url: http://x/
                            url_file: /etc/hook
                    """, "7:19: receivers[0].webhook_configs[0].url_file: at most one of url & url_file must be configured"),
            new Case("webhook max_alerts negative", ROUTE + """
                    receivers:
                      - name: r
                        webhook_configs:
                          - url: http://x/
                            max_alerts: -1
                    """, "7:21: receivers[0].webhook_configs[0].max_alerts: cannot unmarshal !!int `-1` into uint"),
            new Case("misspelt key", ROUTE + """
                    receivers:
                      - name: r
                        webhook_configs:
                          - url: http://x/
                            send_resolve: true
                    """, "7:9: receivers[0].webhook_configs[0].send_resolve: field send_resolve not found in webhook config; did you mean \"send_resolved\"?"),
            new Case("receiver without name", ROUTE + """
                    receivers:
                      - webhook_configs:
                          - url: http://x/
                    """, "4:5: receivers[0]: missing name in receiver"),
            new Case("unknown integration list", ROUTE + """
                    receivers:
                      - name: r
                        webhook_config:
                          - url: http://x/
                    """, "5:5: receivers[0].webhook_config: field webhook_config not found in receiver; did you mean \"webhook_configs\"?"),
            new Case("slack without any api url", ROUTE + """
                    receivers:
                      - name: r
                        slack_configs:
                          - channel: '#x'
                    """, "6:9: receivers[0].slack_configs[0]: no global Slack API URL set either inline or in a file; set api_url here or slack_api_url in global"),
            new Case("slack with global url", ROUTE + """
                    global:
                      slack_api_url: https://hooks.slack.com/services/T/B/X
                    receivers:
                      - name: r
                        slack_configs:
                          - channel: '#x'
                            actions:
                              - type: button
                                text: Go
                                url: http://x/
                    """, null),
            new Case("slack field without value", ROUTE + """
                    receivers:
                      - name: r
                        slack_configs:
                          - api_url: https://hooks.slack.com/services/T/B/X
                            fields:
                              - title: t
                    """, "8:13: receivers[0].slack_configs[0].fields[0]: missing value in Slack field configuration"),
            new Case("email without to", ROUTE + """
                    global:
                      smtp_smarthost: localhost:25
                      smtp_from: a@b.c
                    receivers:
                      - name: r
                        email_configs:
                          - send_resolved: true
                    """, "9:9: receivers[0].email_configs[0]: missing to address in email config"),
            new Case("email without smarthost", ROUTE + """
                    receivers:
                      - name: r
                        email_configs:
                          - to: a@b.c
                            from: x@y.z
                    """, "6:9: receivers[0].email_configs[0]: no global SMTP smarthost set; set smarthost here or smtp_smarthost in global"),
            new Case("email duplicate header", ROUTE + """
                    receivers:
                      - name: r
                        email_configs:
                          - to: a@b.c
                            from: x@y.z
                            smarthost: localhost:25
                            headers:
                              Subject: a
                              subject: b
                    """, "11:11: receivers[0].email_configs[0].headers.subject: duplicate header \"Subject\" in email config"),
            new Case("email complete", ROUTE + """
                    receivers:
                      - name: r
                        email_configs:
                          - to: a@b.c
                            from: x@y.z
                            smarthost: smtp.example.org:587
                            auth_username: u
                            auth_password: p
                            require_tls: true
                            text: hello
                    """, null),
            new Case("pagerduty without key", ROUTE + """
                    receivers:
                      - name: r
                        pagerduty_configs:
                          - severity: critical
                    """, "6:9: receivers[0].pagerduty_configs[0]: missing service or routing key in PagerDuty config"),
            new Case("pagerduty routing key", ROUTE + """
                    receivers:
                      - name: r
                        pagerduty_configs:
                          - routing_key: abc
                            links:
                              - href: http://x/
                    """, null),
            new Case("discord without url", ROUTE + """
                    receivers:
                      - name: r
                        discord_configs:
                          - title: t
                    """, "6:9: receivers[0].discord_configs[0]: one of webhook_url or webhook_url_file must be configured"),
            new Case("pyrometer-only: opsgenie refused", ROUTE + """
                    receivers:
                      - name: r
                        opsgenie_configs:
                          - api_key: k
                    """, "5:5: receivers[0].opsgenie_configs: opsgenie_configs is not supported by Pyrometer yet; use webhook_configs with a bridge, or slack_configs, email_configs, pagerduty_configs, msteams_configs or discord_configs"),
            new Case("pyrometer-only: pagerduty service key refused", ROUTE + """
                    receivers:
                      - name: r
                        pagerduty_configs:
                          - service_key: k
                    """, "6:22: receivers[0].pagerduty_configs[0].service_key: service_key (PagerDuty Events API v1) is not supported by Pyrometer yet; use routing_key (Events API v2)"),
            new Case("global slack url and file", ROUTE + """
                    global:
                      slack_api_url: https://hooks.slack.com/services/x
                      slack_api_url_file: /etc/slack
                    receivers:
                      - name: r
                    """, "5:23: global.slack_api_url_file: at most one of slack_api_url & slack_api_url_file must be configured"),
            new Case("global smarthost without port", ROUTE + """
                    global:
                      smtp_smarthost: localhost
                    receivers:
                      - name: r
                    """, "4:19: global.smtp_smarthost: address localhost: missing port in address; write host:port, e.g. smtp.example.org:587"),
            new Case("global http_config with bad auth", ROUTE + """
                    global:
                      http_config:
                        basic_auth:
                          username: u
                        bearer_token: t
                    receivers:
                      - name: r
                    """, "7:19: global.http_config.bearer_token: at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"),
            new Case("global opsgenie key accepted and unused", ROUTE + """
                    global:
                      opsgenie_api_key: k
                      pagerduty_url: https://events.eu.pagerduty.com/v2/enqueue
                    receivers:
                      - name: r
                    """, null));

    static List<Case> cases() { return CASES; }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdictAndPosition(Case c) {
        if (c.error() == null) {
            org.assertj.core.api.Assertions.assertThatCode(() -> ReceiverConfigs.parse(c.yaml())).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> ReceiverConfigs.parse(c.yaml())).isInstanceOf(ConfigException.class)
                    .hasMessage("alertmanager.yml:" + c.error());
        }
    }

    @Test
    void webhookDefaultsAndGlobalHttpConfig() throws Exception {
        ReceiverConfigs.Parsed p = ReceiverConfigs.parse(ROUTE + """
                global:
                  http_config:
                    authorization:
                      credentials: tok
                receivers:
                  - name: r
                    webhook_configs:
                      - url: http://a/
                      - url: http://b/
                        send_resolved: false
                        max_alerts: 10
                        http_config:
                          follow_redirects: false
                """);
        List<IntegrationConfig> ics = p.receivers().getFirst().integrations();
        WebhookNotifier.Config a = (WebhookNotifier.Config) ics.get(0), b = (WebhookNotifier.Config) ics.get(1);
        assertThat(a.sendResolved()).isTrue();
        assertThat(a.maxAlerts()).isZero();
        assertThat(a.http().authorization()).isEqualTo(new HttpClientConfig.Authorization("Bearer", "tok", ""));
        assertThat(b.sendResolved()).isFalse();
        assertThat(b.maxAlerts()).isEqualTo(10);
        assertThat(b.http().authorization()).isNull(); // a receiver's own http_config replaces the global one whole
        assertThat(b.http().followRedirects()).isFalse();
        Receiver r = Receivers.build(p.receivers().getFirst(), NotifyTemplates.defaults());
        assertThat(r.integrations()).extracting(Integration::describe).containsExactly("webhook[0]", "webhook[1]");
        assertThat(r.integrations()).extracting(Integration::sendResolved).containsExactly(true, false);
    }

    @Test
    void globalsDefaults() throws Exception {
        NotifyGlobals g = ReceiverConfigs.parse(ROUTE + "global:\n  resolve_timeout: 1m\nreceivers:\n  - name: r\n").globals();
        assertThat(g.smtpHello()).isEqualTo("localhost");
        assertThat(g.smtpRequireTls()).isTrue();
        assertThat(g.pagerdutyUrl()).isEqualTo("https://events.pagerduty.com/v2/enqueue");
        assertThat(g.httpConfig()).isEqualTo(HttpClientConfig.DEFAULT);
    }
}
