package io.pyrometer.discovery;

import static io.pyrometer.discovery.TestDnsServer.a;
import static io.pyrometer.discovery.TestDnsServer.srv;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.ConfigLoader;
import io.pyrometer.model.Labels;
import io.pyrometer.notifier.Alert;
import io.pyrometer.notifier.NotificationManager;
import io.pyrometer.notifier.Notifier;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alertmanagers[].dns_sd_configs} through the notifier's own discovery manager, against
 * {@link TestDnsServer} (real DNS packets on loopback): SRV and A records become Alertmanager URLs,
 * and alerts reach the Alertmanager an A record names. Lives here for the package-private DNS server.
 */
class NotifyDnsDiscoveryTest {
    @TempDir
    Path dir;

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void srvAndARecordsBecomeAlertmanagers() throws Exception {
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        HttpServer am = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        am.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                received.add(ex.getRequestURI().getPath() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        am.start();
        int amPort = am.getAddress().getPort();
        PrometheusRegistry registry = new PrometheusRegistry();
        try (TestDnsServer dns = new TestDnsServer();
             Notifier notifier = new Notifier(NotificationManager.Options.defaults(), registry, new DiscoveryMetrics(registry),
                     DiscoveryManager.Options.defaults(dir).withUpdateIntervalMs(20)
                             .withResolvers(() -> ResolvConf.of(List.of(dns.address()), 1000)))) {
            dns.put("_alertmanager._tcp.example.com.", DnsClient.TYPE_SRV,
                    srv(10, 5, 9093, "am-0.example.com."), srv(10, 5, 9093, "am-1.example.com."));
            dns.put("am.example.com.", DnsClient.TYPE_A, a("127.0.0.1"));
            notifier.applyConfig(ConfigLoader.parse("""
                    alerting:
                      alertmanagers:
                        - dns_sd_configs: [{names: ["_alertmanager._tcp.example.com"]}]
                          timeout: 2s   # am-0.example.com does not resolve: bound the batch's wait for it
                          relabel_configs:
                            - {source_labels: [__meta_dns_srv_record_target], regex: "am-1.*", action: drop}
                        - dns_sd_configs: [{names: ["am.example.com"], type: A, port: %d}]
                    """.formatted(amPort), Path.of("test.yml")));
            await("two active and one dropped Alertmanager", () -> notifier.alertmanagers().size() == 2 && notifier.droppedAlertmanagers().size() == 1);
            assertThat(notifier.alertmanagers()).containsExactly("http://am-0.example.com:9093/api/v2/alerts",
                    "http://127.0.0.1:" + amPort + "/api/v2/alerts");
            assertThat(notifier.droppedAlertmanagers()).containsExactly("http://am-1.example.com:9093/api/v2/alerts");
            notifier.send(List.of(new Alert(Labels.of("alertname", "ViaDns"), Labels.EMPTY, 1_700_000_000_000L, 0, "")));
            await("the alert", () -> !received.isEmpty());
            assertThat(received.peek()).startsWith("/api/v2/alerts [").contains("\"alertname\":\"ViaDns\"");
        } finally {
            am.stop(0);
        }
    }
}
