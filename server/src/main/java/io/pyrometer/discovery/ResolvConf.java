package io.pyrometer.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolver settings DNS SD uses: servers, search domains, {@code ndots} and the per-query
 * timeout, read from {@code /etc/resolv.conf} like Prometheus does (miekg/dns
 * {@code ClientConfigFromFile}), or built directly for tests.
 */
public record ResolvConf(List<InetSocketAddress> servers, List<String> search, int ndots, long timeoutMs) {
    public static final Path DEFAULT_PATH = Path.of("/etc/resolv.conf");

    public ResolvConf {
        servers = List.copyOf(servers);
        search = List.copyOf(search);
    }

    /** Servers only: no search domains, ndots 1, the given timeout. */
    public static ResolvConf of(List<InetSocketAddress> servers, long timeoutMs) {
        return new ResolvConf(servers, List.of(), 1, timeoutMs);
    }

    /** Parses a resolv.conf file: {@code nameserver}, {@code search}, {@code domain}, {@code options ndots:/timeout:}. */
    public static ResolvConf read(Path file) throws IOException {
        List<InetSocketAddress> servers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        String domain = null;
        int ndots = 1;
        long timeoutMs = 5_000;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            String[] f = line.split("\\s+");
            switch (f[0]) {
                case "nameserver" -> {
                    if (f.length > 1) addServer(servers, f[1]);
                }
                case "domain" -> {
                    if (f.length > 1) domain = f[1];
                }
                case "search" -> {
                    search.clear();
                    for (int i = 1; i < f.length; i++) search.add(f[i]);
                }
                case "options" -> {
                    for (int i = 1; i < f.length; i++) {
                        if (f[i].startsWith("ndots:")) ndots = Math.min(15, Math.max(0, intOr(f[i].substring(6), 1)));
                        else if (f[i].startsWith("timeout:")) timeoutMs = Math.max(1, intOr(f[i].substring(8), 5)) * 1000L;
                    }
                }
                default -> { /* sortlist and friends do not matter here */ }
            }
        }
        if (search.isEmpty() && domain != null) search.add(domain);
        return new ResolvConf(servers, search, ndots, timeoutMs);
    }

    private static void addServer(List<InetSocketAddress> servers, String s) {
        try {
            // literal addresses only: a hostname here would need DNS to find DNS
            if (s.indexOf('%') >= 0) s = s.substring(0, s.indexOf('%'));
            if (Character.digit(s.charAt(0), 16) < 0 && s.charAt(0) != ':') return;
            servers.add(new InetSocketAddress(InetAddress.getByName(s), 53));
        } catch (UnknownHostException | StringIndexOutOfBoundsException ignored) {
            // skip unparsable entries, as the C resolver does
        }
    }

    private static int intOr(String s, int dflt) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /**
     * The names to try for {@code name}, in order (miekg/dns {@code NameList}): a rooted name as is;
     * otherwise the name itself first when it has more than {@code ndots} labels, then each search
     * domain appended, then the bare name last when it has too few.
     */
    public List<String> nameList(String name) {
        if (name.endsWith(".")) return List.of(name);
        int labels = name.isEmpty() ? 0 : name.split("\\.", -1).length;
        boolean hasNdots = labels > ndots;
        String fqdn = name + ".";
        List<String> out = new ArrayList<>(search.size() + 1);
        if (hasNdots) out.add(fqdn);
        for (String s : search) out.add(s.endsWith(".") ? fqdn + s : fqdn + s + ".");
        if (!hasNdots) out.add(fqdn);
        return out;
    }
}
