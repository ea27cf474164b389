/**
 * The alert router's receivers: {@code alertmanager.yml}'s {@code receivers:} and notification
 * {@code global:} keys ({@link io.pyrometer.alerting.notify.Receivers},
 * {@link io.pyrometer.alerting.notify.NotifyGlobals}), the integrations that send one notification
 * (webhook, email, PagerDuty, Slack, Discord, Microsoft Teams) behind
 * {@link io.pyrometer.alerting.notify.Integration}, Alertmanager's template data model
 * ({@link io.pyrometer.alerting.notify.TemplateData}) and the default templates
 * ({@link io.pyrometer.alerting.notify.NotifyTemplates}). See
 * {@code server/docs/alertmanager-receivers.md}.
 */
package io.pyrometer.alerting.notify;
