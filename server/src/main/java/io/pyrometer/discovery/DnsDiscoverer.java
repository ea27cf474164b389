package io.pyrometer.discovery;

import io.pyrometer.config.DnsSdConfig;
import io.pyrometer.model.Labels;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code dns_sd_configs}: every {@code refresh_interval}, looks up each name (SRV, A, AAAA, MX or NS)
 * and sends one group per name, with source the name, as Prometheus's discovery/dns:
 * <ul>
 *   <li>SRV: {@code __address__} is {@code target:port} (target without the final dot),
 *       {@code __meta_dns_srv_record_target} (rooted) and {@code __meta_dns_srv_record_port};</li>
 *   <li>A/AAAA: {@code ip:port} with the configured port ({@code [v6]:port});</li>
 *   <li>MX/NS: {@code host:port} with the configured port, {@code __meta_dns_mx_record_target} /
 *       {@code __meta_dns_ns_record_target};</li>
 *   <li>every target has {@code __meta_dns_name}; CNAMEs in the answer are skipped.</li>
 * </ul>
 * Names are tried with the search domains of the resolver configuration; all of them answering
 * NXDOMAIN is an empty group; any server error leaves the name's last group in place and counts in
 * {@code prometheus_sd_dns_lookup_failures_total}.
 */
public final class DnsDiscoverer extends RefreshingDiscoverer {
    private static final System.Logger LOG = System.getLogger(DnsDiscoverer.class.getName());

    private final DnsSdConfig config;
    private final int qtype;
    private final Callable<ResolvConf> resolvers;
    private final DiscoveryMetrics metrics;

    /**
     * @param resolvers supplies the resolver configuration for each refresh (read from
     *                  {@code /etc/resolv.conf} by default, so edits apply without a reload)
     */
    public DnsDiscoverer(DnsSdConfig config, Callable<ResolvConf> resolvers, DiscoveryMetrics metrics) {
        super("dns", config.refreshIntervalMs() > 0 ? config.refreshIntervalMs() : DnsSdConfig.DEFAULT_REFRESH_INTERVAL_MS);
        this.config = config;
        this.qtype = switch (config.type() == null ? "SRV" : config.type().toUpperCase(Locale.ROOT)) {
            case "SRV" -> DnsClient.TYPE_SRV;
            case "A" -> DnsClient.TYPE_A;
            case "AAAA" -> DnsClient.TYPE_AAAA;
            case "MX" -> DnsClient.TYPE_MX;
            case "NS" -> DnsClient.TYPE_NS;
            default -> throw new IllegalArgumentException("invalid DNS-SD records type " + config.type());
        };
        this.resolvers = resolvers;
        this.metrics = metrics;
    }

    /** Reads {@link ResolvConf#DEFAULT_PATH} on every call. */
    public static Callable<ResolvConf> systemResolvers() {
        return () -> ResolvConf.read(ResolvConf.DEFAULT_PATH);
    }

    @Override
    List<TargetGroup> refresh() throws Exception {
        ResolvConf conf;
        try {
            conf = resolvers.call();
        } catch (IOException e) {
            metrics.dnsLookups.inc(config.names().size());
            metrics.dnsLookupFailures.inc(config.names().size());
            throw new IOException("could not load resolv.conf: " + e.getMessage(), e);
        }
        // names are looked up concurrently, as Prometheus does, so one slow name does not delay the others
        List<Callable<TargetGroup>> lookups = new ArrayList<>(config.names().size());
        for (String name : config.names()) lookups.add(() -> lookupOne(conf, name));
        List<TargetGroup> out = new ArrayList<>(lookups.size());
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<TargetGroup> f : ex.invokeAll(lookups)) {
                TargetGroup g = f.resultNow();
                if (g != null) out.add(g);
            }
        }
        return out;
    }

    /** The group for one name, or null when the lookup failed (logged and counted; the last group stays). */
    private TargetGroup lookupOne(ResolvConf conf, String name) {
        metrics.dnsLookups.inc();
        try {
            return group(name, lookupWithSearchPath(conf, name));
        } catch (IOException e) {
            metrics.dnsLookupFailures.inc();
            if (!Thread.currentThread().isInterrupted()) {
                LOG.log(System.Logger.Level.ERROR, "msg=\"Error refreshing DNS targets\" name={0} err=\"{1}\"", name, e.getMessage());
            }
            return null;
        }
    }

    private TargetGroup group(String name, List<DnsClient.Rr> answers) {
        List<Labels> targets = new ArrayList<>(answers.size());
        for (DnsClient.Rr rr : answers) {
            Labels.Builder b = Labels.builder().set(TargetLabelNames.DNS_NAME, name);
            switch (rr) {
                case DnsClient.Rr.Srv srv -> b.set(TargetLabelNames.ADDRESS, hostPort(trimDot(srv.target()), srv.port()))
                        .set(TargetLabelNames.DNS_SRV_TARGET, srv.target())
                        .set(TargetLabelNames.DNS_SRV_PORT, Integer.toString(srv.port()));
                case DnsClient.Rr.A a -> b.set(TargetLabelNames.ADDRESS, hostPort(IpFormat.format(a.address()), config.port()));
                case DnsClient.Rr.Aaaa a -> b.set(TargetLabelNames.ADDRESS, hostPort(IpFormat.format(a.address()), config.port()));
                case DnsClient.Rr.Mx mx -> b.set(TargetLabelNames.ADDRESS, hostPort(trimDot(mx.exchange()), config.port()))
                        .set(TargetLabelNames.DNS_MX_TARGET, mx.exchange());
                case DnsClient.Rr.Ns ns -> b.set(TargetLabelNames.ADDRESS, hostPort(trimDot(ns.host()), config.port()))
                        .set(TargetLabelNames.DNS_NS_TARGET, ns.host());
                case DnsClient.Rr.Cname _ -> { continue; } // CNAMEs precede the records they point to
                case DnsClient.Rr.Other o -> {
                    LOG.log(System.Logger.Level.WARNING, "msg=\"Invalid record\" name={0} type={1}", name, o.type());
                    continue;
                }
            }
            targets.add(b.build());
        }
        return new TargetGroup(name, targets, Labels.EMPTY);
    }

    /**
     * Tries the name with each search domain: the first NOERROR answer wins; all NXDOMAIN means no
     * records; any name without a viable answer from any server is an error (Prometheus's
     * {@code lookupWithSearchPath}).
     */
    private List<DnsClient.Rr> lookupWithSearchPath(ResolvConf conf, String name) throws IOException {
        boolean allValid = true;
        for (String candidate : conf.nameList(name)) {
            DnsClient.Response r = lookupFromAnyServer(conf, candidate);
            if (r == null) allValid = false;
            else if (r.rcode() == DnsClient.RCODE_SUCCESS) return r.answers();
        }
        if (allValid) return List.of();
        throw new IOException("could not resolve \"" + name + "\": all servers responded with errors to at least one search domain");
    }

    /** The first viable answer (NOERROR or NXDOMAIN) from the servers in order, or null. */
    private DnsClient.Response lookupFromAnyServer(ResolvConf conf, String fqdn) {
        for (InetSocketAddress server : conf.servers()) {
            try {
                DnsClient.Response r = DnsClient.query(server, fqdn, qtype, conf.timeoutMs());
                if (r.rcode() == DnsClient.RCODE_SUCCESS || r.rcode() == DnsClient.RCODE_NXDOMAIN) return r;
                LOG.log(System.Logger.Level.WARNING, "msg=\"DNS resolution failed\" server={0} name={1} rcode={2}",
                        server, fqdn, r.rcode());
            } catch (IOException | IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "msg=\"DNS resolution failed\" server={0} name={1} err=\"{2}\"",
                        server, fqdn, e.getMessage());
            }
        }
        return null;
    }

    private static String trimDot(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '.') end--;
        return s.substring(0, end);
    }

    /** Go's net.JoinHostPort: brackets around hosts containing a colon. */
    static String hostPort(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
