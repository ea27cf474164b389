package io.pyrometer.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.config.AlertingConfig.AlertmanagerConfig;
import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.ServiceDiscoveryConfigs;
import io.pyrometer.discovery.TargetGroup;
import io.pyrometer.model.Labels;
import io.pyrometer.model.relabel.RelabelConfig;
import io.pyrometer.model.relabel.RelabelConfig.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prometheus's TestPostPath, TestDroppedAlertmanagers and AlertmanagerFromGroup semantics. */
class AlertmanagerTargetsTest {
    private static AlertmanagerConfig cfg(String scheme, String prefix, RelabelConfig... relabel) {
        return new AlertmanagerConfig(scheme, prefix, 10_000, "v2", HttpClientConfig.DEFAULT, ServiceDiscoveryConfigs.EMPTY,
                List.of(relabel), List.of());
    }

    @Test
    void postPathJoinsAndCleansThePrefix() {
        // path.Join("/", prefix, "/api/v2/alerts") semantics (Prometheus's postPath and its TestPostPath)
        assertThat(AlertmanagerTargets.postPath("")).isEqualTo("/api/v2/alerts");
        assertThat(AlertmanagerTargets.postPath("/")).isEqualTo("/api/v2/alerts");
        assertThat(AlertmanagerTargets.postPath("/alertmanager")).isEqualTo("/alertmanager/api/v2/alerts");
        assertThat(AlertmanagerTargets.postPath("/am//x///")).isEqualTo("/am/x/api/v2/alerts");
        assertThat(AlertmanagerTargets.postPath("am/")).isEqualTo("/am/api/v2/alerts");
        assertThat(AlertmanagerTargets.postPath("/a/./b/../c")).isEqualTo("/a/c/api/v2/alerts");
    }

    @Test
    void urlsAsGoPrintsThem() {
        assertThat(AlertmanagerTargets.url("http", "am:9093", "/api/v2/alerts")).isEqualTo("http://am:9093/api/v2/alerts");
        assertThat(AlertmanagerTargets.url("https", "[::1]:9093", "/p q/api")).isEqualTo("https://[::1]:9093/p%20q/api");
        assertThat(AlertmanagerTargets.url("http", "am", "rel")).isEqualTo("http://am/rel");
    }

    @Test
    void schemeFromConfigGroupLabelsAndRelabeling() {
        TargetGroup g = new TargetGroup("src", List.of(
                Labels.of("__address__", "a:9093", "__scheme__", "ignored"),
                Labels.of("__address__", "b:9093", "env", "own"),
                Labels.of("__address__", "drop-me:9093")),
                Labels.of("env", "group", "__alerts_path__", "/from-group"));
        RelabelConfig drop = RelabelConfig.of(List.of("__address__"), null, "drop-me:.*", null, null, null, Action.DROP);
        RelabelConfig scheme = RelabelConfig.of(List.of("env"), null, "own", null, "__scheme__", "https", Action.REPLACE);
        AlertmanagerTargets.Result r = AlertmanagerTargets.fromGroup(g, cfg("http", "/pre", drop, scheme));
        // group labels apply where the target does not set the name, after scheme and path are set
        assertThat(r.active()).containsExactly("http://a:9093/from-group", "https://b:9093/from-group");
        assertThat(r.dropped()).containsExactly("http://drop-me:9093/from-group");
    }

    @Test
    void droppedAlertmanagersAreListedAsBeforeRelabeling() {
        // the case Prometheus's TestDroppedAlertmanagers checks: dropped targets keep scheme and path
        RelabelConfig drop = RelabelConfig.of(List.of("__address__"), null, "alertmanager:9093", null, null, null, Action.DROP);
        TargetGroup g = new TargetGroup("s", List.of(Labels.of("__address__", "alertmanager:9093")), Labels.EMPTY);
        AlertmanagerTargets.Result r = AlertmanagerTargets.fromGroup(g, cfg("http", "", drop));
        assertThat(r.active()).isEmpty();
        assertThat(r.dropped()).containsExactly("http://alertmanager:9093/api/v2/alerts");
    }

    @Test
    void anAddressWithASlashRejectsTheGroup() {
        TargetGroup g = new TargetGroup("s", List.of(Labels.of("__address__", "am:9093/path")), Labels.EMPTY);
        assertThatThrownBy(() -> AlertmanagerTargets.fromGroup(g, cfg("http", "")))
                .hasMessage("\"am:9093/path\" is not a valid hostname");
    }
}
