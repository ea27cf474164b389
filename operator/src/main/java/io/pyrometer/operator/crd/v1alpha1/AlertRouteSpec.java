package io.pyrometer.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.List;
import java.util.Map;

/** Routes, receivers, inhibit rules and time intervals of one namespace, in Alertmanager's terms. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertRouteSpec {
    @JsonPropertyDescription("The top route of this slice; a namespace=\"<namespace>\" matcher is always added.")
    public Route route;

    @JsonPropertyDescription("Receivers the routes name. Names are scoped to this resource (prefixed with <namespace>/<name>/ in the router).")
    public List<Receiver> receivers;

    @JsonPropertyDescription("Inhibit rules; both source and target get the namespace matcher.")
    public List<InhibitRule> inhibitRules;

    @JsonPropertyDescription("Named time intervals the routes may mute or activate on.")
    public List<TimeInterval> timeIntervals;

    /** A route: Alertmanager's {@code route} block in camelCase. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Route {
        @JsonPropertyDescription("Receiver name (from receivers).")
        public String receiver;
        @JsonPropertyDescription("Matchers in Alertmanager syntax, e.g. severity=\"critical\" or alertname=~\"Kube.*\".")
        public List<String> matchers;
        @JsonPropertyDescription("Labels to group alerts by; [\"...\"] groups by all labels.")
        public List<String> groupBy;
        @JsonPropertyDescription("How long to wait before the first notification of a group, e.g. 30s.")
        public String groupWait;
        @JsonPropertyDescription("How long to wait before notifying about new alerts of a group, e.g. 5m.")
        public String groupInterval;
        @JsonPropertyDescription("How long to wait before repeating a notification, e.g. 4h.")
        public String repeatInterval;
        @JsonProperty("continue")
        @JsonPropertyDescription("Keep matching sibling routes after this one matched.")
        public Boolean continueMatching;
        @JsonPropertyDescription("Time interval names during which notifications are muted.")
        public List<String> muteTimeIntervals;
        @JsonPropertyDescription("Time interval names outside of which notifications are muted.")
        public List<String> activeTimeIntervals;
        @PreserveUnknownFields
        @JsonPropertyDescription("Child routes, each with the fields of this route (schema-less because routes nest).")
        public List<Map<String, Object>> routes;
    }

    /** A named receiver with its integrations. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Receiver {
        @JsonPropertyDescription("Receiver name, unique in this resource.")
        public String name;
        @JsonPropertyDescription("Webhook integrations.")
        public List<Webhook> webhookConfigs;
        @JsonPropertyDescription("Slack integrations.")
        public List<Slack> slackConfigs;
        @JsonPropertyDescription("Email integrations.")
        public List<Email> emailConfigs;
        @JsonPropertyDescription("PagerDuty integrations.")
        public List<PagerDuty> pagerdutyConfigs;
    }

    /** A webhook receiver. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Webhook {
        @JsonPropertyDescription("URL to POST to (or urlSecret).")
        public String url;
        @JsonPropertyDescription("Secret key holding the URL.")
        public SecretKeySelector urlSecret;
        @JsonPropertyDescription("Notify about resolved alerts. Default true.")
        public Boolean sendResolved;
    }

    /** A Slack receiver. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Slack {
        @JsonPropertyDescription("Secret key holding the Slack webhook URL.")
        public SecretKeySelector apiURL;
        @JsonPropertyDescription("Channel or user to send to.")
        public String channel;
        @JsonPropertyDescription("Message title template.")
        public String title;
        @JsonPropertyDescription("Message text template.")
        public String text;
        @JsonPropertyDescription("Notify about resolved alerts. Default false.")
        public Boolean sendResolved;
    }

    /** An email receiver. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Email {
        @JsonPropertyDescription("Recipient address.")
        public String to;
        @JsonPropertyDescription("Sender address.")
        public String from;
        @JsonPropertyDescription("SMTP host:port.")
        public String smarthost;
        @JsonPropertyDescription("SMTP username.")
        public String authUsername;
        @JsonPropertyDescription("Secret key holding the SMTP password.")
        public SecretKeySelector authPassword;
        @JsonPropertyDescription("Notify about resolved alerts. Default false.")
        public Boolean sendResolved;
    }

    /** A PagerDuty receiver. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class PagerDuty {
        @JsonPropertyDescription("Secret key holding the Events API v2 routing key.")
        public SecretKeySelector routingKey;
        @JsonPropertyDescription("Secret key holding the Events API v1 service key.")
        public SecretKeySelector serviceKey;
        @JsonPropertyDescription("Events API URL. Default PagerDuty's.")
        public String url;
        @JsonPropertyDescription("Notify about resolved alerts. Default true.")
        public Boolean sendResolved;
    }

    /** An inhibit rule. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class InhibitRule {
        @JsonPropertyDescription("Matchers an inhibiting (source) alert must satisfy.")
        public List<String> sourceMatchers;
        @JsonPropertyDescription("Matchers an inhibited (target) alert must satisfy.")
        public List<String> targetMatchers;
        @JsonPropertyDescription("Labels that must be equal in source and target.")
        public List<String> equal;
    }

    /** A named set of time ranges, as Alertmanager's time_intervals. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TimeInterval {
        @JsonPropertyDescription("Name the routes refer to.")
        public String name;
        @JsonPropertyDescription("The ranges; the interval is active when any matches.")
        public List<TimeRange> timeIntervals;
    }

    /** One range: every listed field must match. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TimeRange {
        @JsonPropertyDescription("Times of day, e.g. [{startTime: \"09:00\", endTime: \"17:00\"}].")
        public List<Map<String, String>> times;
        @JsonPropertyDescription("Weekdays or ranges, e.g. monday:friday.")
        public List<String> weekdays;
        @JsonPropertyDescription("Days of month or ranges, e.g. 1:5, -1.")
        public List<String> daysOfMonth;
        @JsonPropertyDescription("Months or ranges, e.g. january:march.")
        public List<String> months;
        @JsonPropertyDescription("Years or ranges, e.g. 2025:2026.")
        public List<String> years;
        @JsonPropertyDescription("IANA time zone, e.g. Europe/Berlin. Default UTC.")
        public String location;
    }
}
