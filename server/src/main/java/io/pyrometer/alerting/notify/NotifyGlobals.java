package io.pyrometer.alerting.notify;

import io.pyrometer.config.ConfigException;
import io.pyrometer.config.Fields;
import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.HttpClientDecoder;

/**
 * The notification keys of {@code alertmanager.yml}'s {@code global:} section, with Alertmanager's
 * defaults ({@code DefaultGlobalConfig} in {@code config/config.go}): receivers take from here what
 * they leave unset. The router's {@code global} decoder reads its own keys
 * ({@code resolve_timeout}) and calls {@link #read}, then {@code Fields.finish()}.
 *
 * <p>Keys of integrations Pyrometer does not implement ({@code opsgenie_*}, {@code wechat_*},
 * {@code victorops_*}, {@code telegram_api_url}, {@code webex_api_url}, ...) are accepted and
 * type-checked but unused: they are only defaults, and refusing them would refuse working files;
 * receivers that use those integrations are refused by {@link Receivers}.
 *
 * @param smtpSmarthost {@code host:port}, "" when unset
 * @param slackApiUrl   "" when unset (at most one of it and {@code slackApiUrlFile})
 */
public record NotifyGlobals(HttpClientConfig httpConfig, String smtpFrom, String smtpHello, String smtpSmarthost,
                            String smtpAuthUsername, String smtpAuthPassword, String smtpAuthPasswordFile,
                            String smtpAuthSecret, String smtpAuthIdentity, boolean smtpRequireTls,
                            String slackApiUrl, String slackApiUrlFile, String pagerdutyUrl) {

    public static final String DEFAULT_PAGERDUTY_URL = "https://events.pagerduty.com/v2/enqueue";

    /** {@code DefaultGlobalConfig()}: what a file without {@code global:} gets. */
    public static final NotifyGlobals DEFAULT = new NotifyGlobals(HttpClientConfig.DEFAULT, "", "localhost", "", "", "", "",
            "", "", true, "", "", DEFAULT_PAGERDUTY_URL);

    /** Keys accepted for compatibility and not used (see the class comment). */
    private static final String[] IGNORED_STRING_KEYS = {"opsgenie_api_url", "opsgenie_api_key", "opsgenie_api_key_file",
            "wechat_api_url", "wechat_api_secret", "wechat_api_corp_id", "victorops_api_url", "victorops_api_key",
            "victorops_api_key_file", "telegram_api_url", "webex_api_url", "jira_api_url", "rocketchat_api_url",
            "rocketchat_api_token", "rocketchat_api_token_file", "rocketchat_api_token_id", "rocketchat_api_token_id_file"};

    /**
     * Reads the notification keys of {@code global} (a {@code Fields} over the {@code global:}
     * mapping); does not call {@code finish()}.
     *
     * @throws ConfigException with file:line:column for bad values and Alertmanager's cross-key checks
     */
    public static NotifyGlobals read(Fields global) throws ConfigException {
        NotifyGlobals d = DEFAULT;
        HttpClientConfig http = d.httpConfig;
        if (global.has("http_config")) http = Receivers.httpConfig(global, "http_config", d.httpConfig);
        String from = global.string("smtp_from", "");
        String hello = global.string("smtp_hello", d.smtpHello);
        String smarthost = Receivers.hostPort(global, "smtp_smarthost");
        String user = global.string("smtp_auth_username", "");
        String password = global.string("smtp_auth_password", "");
        String passwordFile = global.string("smtp_auth_password_file", "");
        String secret = global.string("smtp_auth_secret", "");
        String identity = global.string("smtp_auth_identity", "");
        boolean requireTls = global.bool("smtp_require_tls", d.smtpRequireTls);
        String slack = Receivers.url(global, "slack_api_url", "");
        String slackFile = global.string("slack_api_url_file", "");
        String pagerduty = Receivers.url(global, "pagerduty_url", d.pagerdutyUrl);
        for (String k : IGNORED_STRING_KEYS) global.string(k, "");
        if (global.has("smtp_tls_config")) {
            throw global.error("smtp_tls_config", "smtp_tls_config is not supported by Pyrometer yet; set tls_config on each email_configs entry");
        }
        if (!slack.isEmpty() && !slackFile.isEmpty()) {
            throw global.error("slack_api_url_file", "at most one of slack_api_url & slack_api_url_file must be configured");
        }
        if (!password.isEmpty() && !passwordFile.isEmpty()) {
            throw global.error("smtp_auth_password_file", "at most one of smtp_auth_password & smtp_auth_password_file must be configured");
        }
        return new NotifyGlobals(http, from, hello, smarthost, user, password, passwordFile, secret, identity, requireTls,
                slack, slackFile, pagerduty);
    }

    @Override
    public String toString() {
        return "NotifyGlobals[smtpFrom=" + smtpFrom + ", smtpHello=" + smtpHello + ", smtpSmarthost=" + smtpSmarthost
                + ", smtpAuthUsername=" + smtpAuthUsername + ", smtpAuthPassword=" + (smtpAuthPassword.isEmpty() ? "" : "<secret>")
                + ", smtpRequireTls=" + smtpRequireTls + ", slackApiUrl=" + (slackApiUrl.isEmpty() ? "" : "<secret>")
                + ", pagerdutyUrl=" + pagerdutyUrl + "]";
    }

    static HttpClientConfig readHttp(Fields f) throws ConfigException {
        return HttpClientDecoder.read(f, HttpClientConfig.DEFAULT);
    }
}
