package io.pyrometer.model.textparse;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * node_exporter-like scrape bodies with exactly {@link #SERIES} samples: counters and gauges with
 * realistic label sets, a GC summary and request-duration histograms, HELP and TYPE for every
 * family, and value spellings as Go prints them. Deterministic for a seed.
 */
final class ExpositionPayloads {
    static final int SERIES = 1500;

    private static final String[] CPU_MODES = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
    private static final String[] NET_DEVICES = {"eth0", "eth1", "lo", "docker0", "veth1a2b3c", "wlan0"};
    private static final String[] DISKS = {"nvme0n1", "sda", "sdb", "dm-0"};
    private static final String[] MOUNTS = {"/", "/boot", "/home", "/var", "/run", "/run/lock", "/tmp", "/srv"};
    private static final String[] HANDLERS = {"/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/api/v1/labels",
        "/api/v1/label/:name/values", "/api/v1/targets", "/api/v1/rules", "/api/v1/alerts", "/federate", "/metrics",
        "/-/healthy", "/-/ready", "/graph", "/static/*filepath", "/api/v1/status/config", "/api/v1/status/flags",
        "/api/v1/write", "/api/v1/read", "/api/v1/metadata", "/api/v1/query_exemplars"};
    private static final String[] BUCKETS = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"};

    private final StringBuilder sb = new StringBuilder(200_000);
    private final Random rnd;
    private final boolean om;
    private int series;

    private ExpositionPayloads(long seed, boolean openMetrics) {
        rnd = new Random(seed);
        om = openMetrics;
    }

    /** A body with exactly {@link #SERIES} samples; OpenMetrics ends with {@code # EOF}. */
    static byte[] nodeExporter(long seed, boolean openMetrics) {
        ExpositionPayloads p = new ExpositionPayloads(seed, openMetrics);
        p.fill();
        if (openMetrics) p.sb.append("# EOF\n");
        return p.sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void fill() {
        summary("go_gc_duration_seconds", "A summary of the pause duration of garbage collection cycles.");
        gauge("go_goroutines", "Number of goroutines that currently exist.", "");
        gauge("go_threads", "Number of OS threads created.", "");
        counter("node_context_switches_total", "Total number of context switches.", "");
        for (int cpu = 0; cpu < 16; cpu++) {
            // one family, many label sets
            if (cpu == 0) meta("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", "counter");
            for (String mode : CPU_MODES) sample("node_cpu_seconds_total", "{cpu=\"" + cpu + "\",mode=\"" + mode + "\"}", bigCounter());
        }
        String[] fsMetrics = {"avail_bytes", "device_error", "files", "files_free", "free_bytes", "readonly", "size_bytes"};
        for (String m : fsMetrics) {
            meta("node_filesystem_" + m, "Filesystem " + m.replace('_', ' ') + ".", "gauge");
            for (int i = 0; i < MOUNTS.length; i++) {
                sample("node_filesystem_" + m, "{device=\"/dev/sda" + (i + 1) + "\",fstype=\"ext4\",mountpoint=\"" + MOUNTS[i] + "\"}", gaugeValue());
            }
        }
        String[] netMetrics = {"receive_bytes", "receive_packets", "receive_errs", "receive_drop", "transmit_bytes",
            "transmit_packets", "transmit_errs", "transmit_drop", "receive_multicast", "transmit_colls"};
        for (String m : netMetrics) {
            meta("node_network_" + m + "_total", "Network device statistic " + m + ".", "counter");
            for (String d : NET_DEVICES) sample("node_network_" + m + "_total", "{device=\"" + d + "\"}", bigCounter());
        }
        String[] diskMetrics = {"io_now", "io_time_seconds_total", "read_bytes_total", "read_time_seconds_total",
            "reads_completed_total", "writes_completed_total", "written_bytes_total", "write_time_seconds_total"};
        for (String m : diskMetrics) {
            meta("node_disk_" + m, "Disk statistic " + m + ".", m.endsWith("_total") ? "counter" : "gauge");
            for (String d : DISKS) sample("node_disk_" + m, "{device=\"" + d + "\"}", bigCounter());
        }
        meta("node_interrupts_total", "Interrupt details.", "counter");
        for (int cpu = 0; cpu < 16; cpu++) {
            for (int irq = 0; irq < 30; irq++) {
                sample("node_interrupts_total", "{cpu=\"" + cpu + "\",devices=\"" + (irq < 10 ? "nvme0q" + irq : "")
                        + "\",type=\"" + (irq < 10 ? "PCI-MSI" : "IR-IO-APIC-" + irq) + "\"}", bigCounter());
            }
        }
        for (int h = 0; h < HANDLERS.length; h++) histogram("prometheus_http_request_duration_seconds", HANDLERS[h], h == 0);
        meta("node_scrape_collector_duration_seconds", "node_exporter: Duration of a collector scrape.", "gauge");
        for (int c = 0; c < 40; c++) sample("node_scrape_collector_duration_seconds", "{collector=\"c" + c + "\"}", gaugeValue());
        meta("node_scrape_collector_success", "node_exporter: Whether a collector succeeded.", "gauge");
        for (int c = 0; c < 40; c++) sample("node_scrape_collector_success", "{collector=\"c" + c + "\"}", "1");
        meta("node_systemd_unit_state", "Systemd unit", "gauge");
        String[] states = {"activating", "active", "deactivating", "failed", "inactive"};
        for (int u = 0; u < 60; u++) {
            for (String st : states) {
                sample("node_systemd_unit_state", "{name=\"unit" + u + ".service\",state=\"" + st + "\",type=\"simple\"}",
                        st.equals("active") ? "1" : "0");
            }
        }
        for (int m = 0; series < SERIES; m++) {
            gauge("node_memory_Field" + m + "_bytes", "Memory information field Field" + m + "_bytes.", "");
        }
    }

    private void meta(String family, String help, String type) {
        String name = om && type.equals("counter") && family.endsWith("_total")
                ? family.substring(0, family.length() - "_total".length()) : family;
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        if (om && name.endsWith("_seconds")) sb.append("# UNIT ").append(name).append(" seconds\n");
    }

    private void sample(String name, String labels, String value) {
        if (series >= SERIES) return;
        sb.append(name).append(labels).append(' ').append(value).append('\n');
        series++;
    }

    private void gauge(String name, String help, String labels) {
        meta(name, help, "gauge");
        sample(name, labels, gaugeValue());
    }

    private void counter(String name, String help, String labels) {
        meta(name, help, "counter");
        sample(name, labels, bigCounter());
    }

    private void summary(String name, String help) {
        meta(name, help, "summary");
        for (String q : new String[] {"0", "0.25", "0.5", "0.75", "1"}) {
            sample(name, "{quantile=\"" + q + "\"}", Double.toString(rnd.nextDouble() / 1000).replace("E", "e"));
        }
        sample(name + "_sum", "", gaugeValue());
        sample(name + "_count", "", Integer.toString(rnd.nextInt(100_000)));
    }

    private void histogram(String name, String handler, boolean withMeta) {
        if (withMeta) meta(name, "Histogram of latencies for HTTP requests.", "histogram");
        long cumulative = 0;
        for (String le : BUCKETS) {
            cumulative += rnd.nextInt(50);
            sample(name + "_bucket", "{handler=\"" + handler + "\",le=\"" + le + "\"}", Long.toString(cumulative));
        }
        sample(name + "_sum", "{handler=\"" + handler + "\"}", gaugeValue());
        sample(name + "_count", "{handler=\"" + handler + "\"}", Long.toString(cumulative));
    }

    /** Go's shortest formatting of a large counter, e.g. 1.2345678e+09 or 734512. */
    private String bigCounter() {
        return switch (rnd.nextInt(3)) {
            case 0 -> Long.toString(rnd.nextInt(1_000_000));
            case 1 -> String.format(Locale.ROOT, "%.6e", rnd.nextDouble() * 1e12).replace("e+0", "e+");
            default -> Double.toString(Math.round(rnd.nextDouble() * 1e8) / 100.0);
        };
    }

    private String gaugeValue() {
        return switch (rnd.nextInt(4)) {
            case 0 -> Long.toString(rnd.nextInt(10_000));
            case 1 -> Double.toString(Math.round(rnd.nextDouble() * 1e6) / 1e3);
            case 2 -> String.format(Locale.ROOT, "%.9e", rnd.nextDouble() * 1e10);
            default -> "0";
        };
    }
}
