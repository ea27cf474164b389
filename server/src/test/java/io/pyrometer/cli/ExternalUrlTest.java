package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** {@code --web.external-url} as cmd/prometheus's computeExternalURL derives it. */
class ExternalUrlTest {
    @Test
    void defaultIsHostnameAndListenPort() throws Exception {
        assertThat(ExternalUrl.compute("", "0.0.0.0:9090")).isEqualTo("http://" + InetAddress.getLocalHost().getHostName() + ":9090");
    }

    @Test
    void trailingSlashesOfThePathAreDropped() throws Exception {
        assertThat(ExternalUrl.compute("https://prom.example.com/prometheus/", "x:1")).isEqualTo("https://prom.example.com/prometheus");
        assertThat(ExternalUrl.compute("http://prom:9090/", "x:1")).isEqualTo("http://prom:9090");
    }

    @Test
    void quotedValueIsRefused() {
        assertThatThrownBy(() -> ExternalUrl.compute("\"http://x/\"", "x:1")).isInstanceOf(Server.StartupException.class)
                .hasMessageContaining("URL must not begin or end with quotes");
    }
}
