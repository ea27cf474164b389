package io.pyrometer.alerting.notify;

/**
 * One parsed entry of a receiver's {@code *_configs} list, defaults and globals applied; what
 * {@code /api/v2/status} shows and what {@link Receivers#build} turns into an {@link Integration}.
 * Secrets never reach {@code toString()}.
 */
public sealed interface IntegrationConfig
        permits WebhookNotifier.Config, EmailNotifier.Config, SlackNotifier.Config, PagerDutyNotifier.Config, MsTeamsNotifier.Config,
        DiscordNotifier.Config {
    /** "webhook", "slack", "email", "pagerduty", "msteams" or "discord". */
    String kind();

    boolean sendResolved();
}
