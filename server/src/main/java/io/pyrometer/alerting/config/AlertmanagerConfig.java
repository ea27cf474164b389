package io.pyrometer.alerting.config;

import io.pyrometer.alerting.notify.NotifyGlobals;
import io.pyrometer.alerting.notify.NotifyTemplates;
import io.pyrometer.config.YamlNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded {@code alertmanager.yml} ({@code config.Config}), validated as Alertmanager 0.25 does.
 *
 * @param timeIntervals {@code time_intervals} and the deprecated {@code mute_time_intervals}, by name
 * @param original the file's text, shown by {@code /api/v2/status}
 */
public record AlertmanagerConfig(Global global, RouteConfig route, List<InhibitRule> inhibitRules,
                                 List<ReceiverConfig> receivers, List<String> templates,
                                 Map<String, List<TimeInterval>> timeIntervals, NotifyTemplates notifyTemplates,
                                 Path file, String original, String sha256) {

    /**
     * {@code global}: {@code resolve_timeout} is the router's; the receivers' defaults (smtp_*,
     * slack_api_url, http_config, ...) are read by {@code alerting.notify}.
     */
    public record Global(long resolveTimeoutMs, NotifyGlobals notifyGlobals) {
        public static final long DEFAULT_RESOLVE_TIMEOUT_MS = 5 * 60_000;
    }

    /**
     * One {@code route} node as written (timers null when not set, inherited later by the dispatcher).
     *
     * @param groupBy null when {@code group_by} is absent (inherit), else the listed names without {@code ...}
     * @param matchers {@code match}, {@code match_re} and {@code matchers} together
     */
    public record RouteConfig(String receiver, List<String> groupBy, boolean groupByAll, List<Matcher> matchers,
                              boolean continueMatching, List<RouteConfig> routes, Long groupWaitMs, Long groupIntervalMs,
                              Long repeatIntervalMs, List<String> muteTimeIntervals, List<String> activeTimeIntervals) {}

    /** {@code inhibit_rules[]}: the deprecated {@code source_match}/{@code source_match_re} forms folded into the matchers. */
    public record InhibitRule(List<Matcher> sourceMatchers, List<Matcher> targetMatchers, List<String> equal) {}

    /** {@code receivers[]}: its name, node, and integration configs as {@code alerting.notify} parsed them. */
    public record ReceiverConfig(String name, YamlNode node, io.pyrometer.alerting.notify.ReceiverConfig integrations) {}
}
