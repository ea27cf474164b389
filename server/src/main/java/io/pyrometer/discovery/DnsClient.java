package io.pyrometer.discovery;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal DNS stub client (RFC 1035) for service discovery: one question over UDP with an EDNS0
 * 4096-byte payload, retried over TCP when the answer is truncated, as Prometheus's DNS SD does.
 * Parses A, AAAA, SRV, MX, NS and CNAME answers (with name compression); other types are kept as
 * {@link Rr.Other}.
 */
final class DnsClient {
    static final int TYPE_A = 1, TYPE_NS = 2, TYPE_CNAME = 5, TYPE_MX = 15, TYPE_AAAA = 28, TYPE_SRV = 33, TYPE_OPT = 41;
    static final int RCODE_SUCCESS = 0, RCODE_SERVFAIL = 2, RCODE_NXDOMAIN = 3;
    private static final int EDNS_PAYLOAD = 4096;

    private DnsClient() {}

    /** An answer record; names are rooted ({@code host.example.com.}). */
    sealed interface Rr {
        record A(byte[] address) implements Rr {}
        record Aaaa(byte[] address) implements Rr {}
        record Srv(int priority, int weight, int port, String target) implements Rr {}
        record Mx(int preference, String exchange) implements Rr {}
        record Ns(String host) implements Rr {}
        record Cname(String target) implements Rr {}
        record Other(int type) implements Rr {}
    }

    record Response(int rcode, boolean truncated, List<Rr> answers) {}

    /** Asks {@code server} about {@code fqdn}; UDP first, TCP when truncated. */
    static Response query(InetSocketAddress server, String fqdn, int qtype, long timeoutMs) throws IOException {
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        Response r = parse(udp(server, encodeQuery(id, fqdn, qtype, true), id, timeoutMs), id);
        if (!r.truncated()) return r;
        r = parse(tcp(server, encodeQuery(id, fqdn, qtype, false), timeoutMs), id);
        if (r.truncated()) throw new IOException("got truncated message on TCP (64kiB limit exceeded?)");
        return r;
    }

    static byte[] encodeQuery(int id, String fqdn, int qtype, boolean edns) {
        ByteBuffer b = ByteBuffer.allocate(12 + 256 + 4 + 11);
        b.putShort((short) id).putShort((short) 0x0100) // RD
                .putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) (edns ? 1 : 0));
        writeName(b, fqdn);
        b.putShort((short) qtype).putShort((short) 1); // class IN
        if (edns) {
            b.put((byte) 0).putShort((short) TYPE_OPT).putShort((short) EDNS_PAYLOAD).putInt(0).putShort((short) 0);
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    static void writeName(ByteBuffer b, String fqdn) {
        String n = fqdn.endsWith(".") ? fqdn.substring(0, fqdn.length() - 1) : fqdn;
        if (!n.isEmpty()) {
            for (String label : n.split("\\.", -1)) {
                byte[] l = label.getBytes(StandardCharsets.UTF_8);
                if (l.length == 0 || l.length > 63) throw new IllegalArgumentException("invalid DNS name [name=" + fqdn + "]");
                b.put((byte) l.length).put(l);
            }
        }
        b.put((byte) 0);
    }

    private static byte[] udp(InetSocketAddress server, byte[] query, int id, long timeoutMs) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout((int) Math.max(1, timeoutMs));
            s.send(new DatagramPacket(query, query.length, server));
            byte[] buf = new byte[EDNS_PAYLOAD];
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                // ignore stray datagrams: wrong peer or wrong id
                if (p.getLength() >= 12 && server.equals(p.getSocketAddress()) && ((buf[0] & 0xff) << 8 | (buf[1] & 0xff)) == id) {
                    byte[] out = new byte[p.getLength()];
                    System.arraycopy(buf, 0, out, 0, out.length);
                    return out;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) throw new SocketTimeoutException("read timed out");
                s.setSoTimeout((int) left);
            }
        }
    }

    private static byte[] tcp(InetSocketAddress server, byte[] query, long timeoutMs) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server, (int) Math.max(1, timeoutMs));
            s.setSoTimeout((int) Math.max(1, timeoutMs));
            OutputStream out = s.getOutputStream();
            out.write(new byte[]{(byte) (query.length >> 8), (byte) query.length});
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int len = in.readUnsignedShort();
            byte[] msg = new byte[len];
            in.readFully(msg);
            return msg;
        }
    }

    static Response parse(byte[] msg, int id) throws IOException {
        try {
            ByteBuffer b = ByteBuffer.wrap(msg);
            if ((b.getShort() & 0xffff) != id) throw new IOException("DNS response id mismatch");
            int flags = b.getShort() & 0xffff;
            if ((flags & 0x8000) == 0) throw new IOException("DNS message is not a response");
            int qd = b.getShort() & 0xffff, an = b.getShort() & 0xffff;
            b.getShort(); // NSCOUNT
            b.getShort(); // ARCOUNT
            for (int i = 0; i < qd; i++) {
                readName(b);
                b.getInt(); // type, class
            }
            List<Rr> answers = new ArrayList<>(an);
            for (int i = 0; i < an; i++) answers.add(readRecord(b));
            return new Response(flags & 0xf, (flags & 0x0200) != 0, answers);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException("malformed DNS response: " + e, e);
        }
    }

    private static Rr readRecord(ByteBuffer b) throws IOException {
        readName(b);
        int type = b.getShort() & 0xffff;
        b.getShort(); // class
        b.getInt(); // ttl
        int len = b.getShort() & 0xffff;
        int end = b.position() + len;
        if (end > b.limit()) throw new IOException("malformed DNS response: record data past the end");
        Rr rr = switch (type) {
            case TYPE_A -> new Rr.A(bytes(b, 4));
            case TYPE_AAAA -> new Rr.Aaaa(bytes(b, 16));
            case TYPE_SRV -> new Rr.Srv(b.getShort() & 0xffff, b.getShort() & 0xffff, b.getShort() & 0xffff, readName(b));
            case TYPE_MX -> new Rr.Mx(b.getShort() & 0xffff, readName(b));
            case TYPE_NS -> new Rr.Ns(readName(b));
            case TYPE_CNAME -> new Rr.Cname(readName(b));
            default -> new Rr.Other(type);
        };
        b.position(end);
        return rr;
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    /** Reads a possibly compressed name, leaving the buffer after it; returns it rooted. */
    static String readName(ByteBuffer b) throws IOException {
        StringBuilder sb = new StringBuilder();
        int pos = b.position();
        int resume = -1;
        for (int jumps = 0; ; ) {
            int len = b.get(pos) & 0xff;
            if (len == 0) {
                pos++;
                break;
            }
            if ((len & 0xc0) == 0xc0) {
                if (++jumps > 64) throw new IOException("malformed DNS response: compression loop");
                if (resume < 0) resume = pos + 2;
                pos = ((len & 0x3f) << 8) | (b.get(pos + 1) & 0xff);
                continue;
            }
            if ((len & 0xc0) != 0) throw new IOException("malformed DNS response: bad label type");
            for (int i = 1; i <= len; i++) {
                char c = (char) (b.get(pos + i) & 0xff);
                if (c == '.' || c == '\\') sb.append('\\').append(c);
                else if (c < 0x21 || c > 0x7e) sb.append('\\').append(String.format("%03d", (int) c));
                else sb.append(c);
            }
            sb.append('.');
            pos += len + 1;
            if (sb.length() > 1024) throw new IOException("malformed DNS response: name too long");
        }
        b.position(resume >= 0 ? resume : pos);
        return sb.isEmpty() ? "." : sb.toString();
    }
}
