package io.pyrometer.discovery;

import static io.pyrometer.discovery.TestDnsServer.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.DnsSdConfig;
import io.pyrometer.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against {@link TestDnsServer}: real DNS packets over loopback UDP/TCP. */
class DnsDiscovererTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private TestDnsServer dns;
    private final DiscoveryMetrics metrics = new DiscoveryMetrics(new PrometheusRegistry());
    private UpdateCollector collector;

    @BeforeEach
    void start() throws Exception {
        dns = new TestDnsServer();
    }

    @AfterEach
    void stop() throws Exception {
        if (collector != null) collector.stop();
        dns.close();
    }

    private ResolvConf resolvers() {
        return ResolvConf.of(List.of(dns.address()), 1000);
    }

    private Map<String, TargetGroup> discover(String type, int port, String... names) throws InterruptedException {
        DnsSdConfig cfg = new DnsSdConfig(List.of(names), type, port, 60_000);
        collector = new UpdateCollector().start(new DnsDiscoverer(cfg, this::resolvers, metrics));
        collector.awaitUpdates(1, WAIT);
        return collector.groups();
    }

    @Test
    void srvRecordsGiveTargetPortAndMetaLabels() throws Exception {
        dns.put("_prometheus._tcp.example.com.", DnsClient.TYPE_SRV,
                srv(10, 5, 9100, "node1.example.com."), srv(10, 5, 9101, "node2.example.com."));
        Map<String, TargetGroup> gs = discover("SRV", 0, "_prometheus._tcp.example.com");

        TargetGroup g = gs.get("_prometheus._tcp.example.com");
        assertThat(g.targets()).containsExactly(
                Labels.of("__address__", "node1.example.com:9100", "__meta_dns_name", "_prometheus._tcp.example.com",
                        "__meta_dns_srv_record_target", "node1.example.com.", "__meta_dns_srv_record_port", "9100"),
                Labels.of("__address__", "node2.example.com:9101", "__meta_dns_name", "_prometheus._tcp.example.com",
                        "__meta_dns_srv_record_target", "node2.example.com.", "__meta_dns_srv_record_port", "9101"));
        assertThat(metrics.dnsLookups.get()).isEqualTo(1);
        assertThat(metrics.dnsLookupFailures.get()).isZero();
    }

    @Test
    void aAndAaaaUseTheConfiguredPortAndSkipCnames() throws Exception {
        dns.put("web.example.com.", DnsClient.TYPE_A, name(DnsClient.TYPE_CNAME, "real.example.com."), a("192.0.2.7"));
        dns.put("web6.example.com.", DnsClient.TYPE_AAAA, aaaa("2001:db8::1"), aaaa("2001:db8:0:1:0:0:0:0"));
        Map<String, TargetGroup> gs = discover("A", 8080, "web.example.com");
        assertThat(gs.get("web.example.com").targets())
                .containsExactly(Labels.of("__address__", "192.0.2.7:8080", "__meta_dns_name", "web.example.com"));
        collector.stop();

        gs = discover("AAAA", 9090, "web6.example.com");
        assertThat(gs.get("web6.example.com").targets()).extracting(l -> l.get("__address__"))
                .containsExactly("[2001:db8::1]:9090", "[2001:db8:0:1::]:9090");
    }

    @Test
    void mxAndNsRecords() throws Exception {
        dns.put("example.org.", DnsClient.TYPE_MX, mx(10, "mail.example.org."));
        dns.put("example.net.", DnsClient.TYPE_NS, name(DnsClient.TYPE_NS, "ns1.example.net."));
        assertThat(discover("MX", 25, "example.org").get("example.org").targets()).containsExactly(
                Labels.of("__address__", "mail.example.org:25", "__meta_dns_name", "example.org",
                        "__meta_dns_mx_record_target", "mail.example.org."));
        collector.stop();
        assertThat(discover("NS", 53, "example.net").get("example.net").targets()).containsExactly(
                Labels.of("__address__", "ns1.example.net:53", "__meta_dns_name", "example.net",
                        "__meta_dns_ns_record_target", "ns1.example.net."));
    }

    @Test
    void nxdomainIsAnEmptyGroupButServfailIsAFailureThatKeepsTheLastTargets() throws Exception {
        dns.put("ok.example.com.", DnsClient.TYPE_A, a("192.0.2.1"));
        DnsSdConfig cfg = new DnsSdConfig(List.of("ok.example.com", "missing.example.com"), "A", 80, 100);
        collector = new UpdateCollector().start(new DnsDiscoverer(cfg, this::resolvers, metrics));
        collector.await(m -> m.size() == 1, WAIT);
        assertThat(collector.groups()).containsOnlyKeys("ok.example.com"); // missing: NXDOMAIN, empty group
        assertThat(metrics.dnsLookupFailures.get()).isZero();

        dns.servfail.add("ok.example.com.");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (metrics.dnsLookupFailures.get() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(metrics.dnsLookupFailures.get()).isGreaterThanOrEqualTo(2);
        assertThat(collector.groups().get("ok.example.com").targets()).hasSize(1);
    }

    @Test
    void truncatedUdpAnswersAreRetriedOverTcp() throws Exception {
        dns.put("big.example.com.", DnsClient.TYPE_A, a("192.0.2.1"), a("192.0.2.2"));
        dns.truncate.add("big.example.com.");
        Map<String, TargetGroup> gs = discover("A", 80, "big.example.com");
        assertThat(gs.get("big.example.com").targets()).hasSize(2);
        assertThat(dns.tcpQueries.get()).isEqualTo(1);
    }

    @Test
    void searchDomainsFromResolvConfAreTried(@TempDir Path tmp) throws Exception {
        dns.put("db.svc.cluster.local.", DnsClient.TYPE_A, a("10.0.0.5"));
        Path rc = tmp.resolve("resolv.conf");
        Files.writeString(rc, """
                # generated
                nameserver %s
                search svc.cluster.local cluster.local
                options ndots:5 timeout:1
                """.formatted(dns.address().getAddress().getHostAddress()));
        ResolvConf parsed = ResolvConf.read(rc);
        assertThat(parsed.search()).containsExactly("svc.cluster.local", "cluster.local");
        assertThat(parsed.ndots()).isEqualTo(5);
        assertThat(parsed.nameList("db")).containsExactly("db.svc.cluster.local.", "db.cluster.local.", "db.");
        assertThat(parsed.nameList("a.b.c.d.e.f")).first().isEqualTo("a.b.c.d.e.f.");

        // the test server listens on a random port, resolv.conf cannot say which: keep its search list
        ResolvConf conf = new ResolvConf(List.of(dns.address()), parsed.search(), parsed.ndots(), 1000);
        collector = new UpdateCollector().start(new DnsDiscoverer(new DnsSdConfig(List.of("db"), "A", 5432, 60_000), () -> conf, metrics));
        collector.awaitUpdates(1, WAIT);
        assertThat(collector.groups().get("db").targets()).extracting(l -> l.get("__address__")).containsExactly("10.0.0.5:5432");
    }

    @Test
    void ipv6FormattingMatchesGo() {
        assertThat(IpFormat.format(new byte[]{0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})).isEqualTo("2001:db8::1");
        assertThat(IpFormat.format(new byte[16])).isEqualTo("::");
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1;
        assertThat(IpFormat.format(mapped)).isEqualTo("10.0.0.1");
        assertThat(IpFormat.format(new byte[]{0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}))
                .isEqualTo("2001:db8:0:1:0:1:0:1");
    }
}
