package io.pyrometer.discovery;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authoritative DNS responder on a loopback UDP port (and TCP on the same port number),
 * speaking real RFC 1035 packets: answers from a table, NXDOMAIN for unknown names, SERVFAIL for
 * names marked failing, and the TC bit over UDP for names marked truncated.
 */
final class TestDnsServer implements AutoCloseable {
    record Answer(int type, byte[] rdata) {}

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<String, List<Answer>> zone = new ConcurrentHashMap<>();
    final Set<String> servfail = ConcurrentHashMap.newKeySet();
    final Set<String> truncate = ConcurrentHashMap.newKeySet();
    final AtomicInteger udpQueries = new AtomicInteger();
    final AtomicInteger tcpQueries = new AtomicInteger();

    TestDnsServer() throws IOException {
        udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        tcp = new ServerSocket();
        tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort()));
        Thread.ofVirtual().start(this::serveUdp);
        Thread.ofVirtual().start(this::serveTcp);
    }

    InetSocketAddress address() { return (InetSocketAddress) udp.getLocalSocketAddress(); }

    void put(String fqdn, int qtype, Answer... answers) {
        zone.put(key(fqdn, qtype), List.of(answers));
    }

    /** An empty answer section with NOERROR: the name exists without records of that type. */
    void putEmpty(String fqdn, int qtype) {
        zone.put(key(fqdn, qtype), List.of());
    }

    private static String key(String fqdn, int qtype) { return fqdn.toLowerCase(Locale.ROOT) + "/" + qtype; }

    static Answer srv(int prio, int weight, int port, String target) {
        ByteBuffer b = ByteBuffer.allocate(6 + 256);
        b.putShort((short) prio).putShort((short) weight).putShort((short) port);
        DnsClient.writeName(b, target);
        return new Answer(DnsClient.TYPE_SRV, copy(b));
    }

    static Answer a(String ip) throws IOException { return new Answer(DnsClient.TYPE_A, InetAddress.getByName(ip).getAddress()); }
    static Answer aaaa(String ip) throws IOException { return new Answer(DnsClient.TYPE_AAAA, InetAddress.getByName(ip).getAddress()); }

    static Answer mx(int pref, String host) {
        ByteBuffer b = ByteBuffer.allocate(2 + 256);
        b.putShort((short) pref);
        DnsClient.writeName(b, host);
        return new Answer(DnsClient.TYPE_MX, copy(b));
    }

    static Answer name(int type, String host) {
        ByteBuffer b = ByteBuffer.allocate(256);
        DnsClient.writeName(b, host);
        return new Answer(type, copy(b));
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private void serveUdp() {
        byte[] buf = new byte[4096];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                udpQueries.incrementAndGet();
                byte[] resp = respond(buf, p.getLength(), true);
                udp.send(new DatagramPacket(resp, resp.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                tcpQueries.incrementAndGet();
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] q = new byte[in.readUnsignedShort()];
                in.readFully(q);
                byte[] resp = respond(q, q.length, false);
                OutputStream out = s.getOutputStream();
                out.write(new byte[]{(byte) (resp.length >> 8), (byte) resp.length});
                out.write(resp);
                out.flush();
            } catch (IOException e) {
                if (tcp.isClosed()) return;
            }
        }
    }

    /** Echoes the question; answers point at it with a compression pointer (0xC00C). */
    private byte[] respond(byte[] q, int len, boolean overUdp) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(q, 0, len);
        int id = in.getShort() & 0xffff;
        in.position(12);
        String qname = DnsClient.readName(in);
        int qtype = in.getShort() & 0xffff;
        in.getShort();
        int questionEnd = in.position();

        List<Answer> answers = zone.get(key(qname, qtype));
        boolean known = answers != null || zone.keySet().stream().anyMatch(k -> k.startsWith(qname.toLowerCase(Locale.ROOT) + "/"));
        int rcode = servfail.contains(qname) ? DnsClient.RCODE_SERVFAIL : known ? 0 : DnsClient.RCODE_NXDOMAIN;
        if (answers == null || rcode != 0) answers = List.of();
        boolean tc = overUdp && truncate.contains(qname);
        if (tc) answers = List.of();

        ByteBuffer out = ByteBuffer.allocate(65535);
        out.putShort((short) id).putShort((short) (0x8180 | (tc ? 0x0200 : 0) | rcode))
                .putShort((short) 1).putShort((short) answers.size()).putShort((short) 0).putShort((short) 0);
        out.put(q, 12, questionEnd - 12);
        for (Answer a : answers) {
            out.putShort((short) 0xC00C).putShort((short) a.type()).putShort((short) 1).putInt(60)
                    .putShort((short) a.rdata().length).put(a.rdata());
        }
        return copy(out);
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }
}
