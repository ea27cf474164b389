package io.pyrometer.scrape;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One scrape loop's HTTP/1.1 connection to a plain {@code http://} target: a blocking GET over a
 * socket on the loop's virtual thread, kept alive between scrapes when the target allows it.
 *
 * <p>Rejected alternative: {@code java.net.http.HttpClient} for every scrape. Its asynchronous
 * machinery (selector thread, CompletableFuture chains, a fresh 16 KiB buffer per socket read) was
 * ~10% of server CPU and the largest source of garbage under ingest.py (164 of 1026 MB sampled
 * allocations in 60 s). It is still used for https, proxies and redirects.
 *
 * <p>Not thread-safe: confined to the scrape loop's thread. Response bodies are read through
 * {@link #body()}, valid until the next request.
 */
final class PlainHttpConnection implements AutoCloseable {
    /** A response's status line and the headers a scrape needs. */
    record Head(int status, String contentType, String contentEncoding) {}

    private static final long NO_LENGTH = -1;

    private final byte[] buf = new byte[16 * 1024];
    private int pos, lim;
    private Socket socket;
    private InputStream sin;
    private OutputStream sout;
    private String hostPort; // host:port the socket is connected to
    private long deadlineNanos;
    private boolean closeAfter; // the response said Connection: close, or is HTTP/1.0
    private boolean chunked;
    private long remaining;     // body bytes left: of the content length, or of the current chunk
    private boolean bodyDone;
    private final Body body = new Body();

    /**
     * Sends a GET with {@code headers} and reads the status line and headers. A kept-alive
     * connection the target closed meanwhile is reopened once.
     *
     * @throws SocketTimeoutException when {@code timeoutMs} passes
     */
    Head get(URI url, Map<String, List<String>> headers, long timeoutMs) throws IOException {
        deadlineNanos = System.nanoTime() + timeoutMs * 1_000_000L;
        int port = url.getPort() > 0 ? url.getPort() : 80;
        String hp = url.getHost() + ":" + port;
        byte[] request = request(url, hp, headers);
        boolean reused = socket != null && hp.equals(hostPort);
        if (!reused) connect(url.getHost(), port, hp);
        try {
            return exchange(request);
        } catch (SocketTimeoutException e) {
            close();
            throw e;
        } catch (IOException e) {
            close();
            if (!reused) throw e;
            connect(url.getHost(), port, hp); // the target dropped the idle connection: retry once
            try {
                return exchange(request);
            } catch (IOException e2) {
                close();
                throw e2;
            }
        }
    }

    private Head exchange(byte[] request) throws IOException {
        sout.write(request);
        sout.flush();
        return readHead();
    }

    private void connect(String host, int port, String hp) throws IOException {
        close();
        // NO_PROXY: a plain socket; new Socket() wraps one in SocksSocketImpl, which asks the JVM's
        // ProxySelector on every connect (the config's proxy_url scrapes go through HttpClient instead)
        Socket s = new Socket(Proxy.NO_PROXY);
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, remainingMs()));
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        sin = s.getInputStream();
        sout = s.getOutputStream();
        hostPort = hp;
        pos = lim = 0;
    }

    private static byte[] request(URI url, String hostPort, Map<String, List<String>> headers) {
        StringBuilder sb = new StringBuilder(256).append("GET ");
        String path = url.getRawPath();
        sb.append(path == null || path.isEmpty() ? "/" : path);
        if (url.getRawQuery() != null) sb.append('?').append(url.getRawQuery());
        sb.append(" HTTP/1.1\r\nHost: ").append(url.getPort() > 0 ? hostPort : url.getHost()).append("\r\n");
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            for (String v : h.getValue()) sb.append(h.getKey()).append(": ").append(v).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private Head readHead() throws IOException {
        String status = readLine();
        // "HTTP/1.1 200 OK"
        if (!status.startsWith("HTTP/1.") || status.length() < 12) throw new IOException("malformed HTTP response \"" + status + "\"");
        int code;
        try {
            code = Integer.parseInt(status, 9, 12, 10);
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP response \"" + status + "\"");
        }
        closeAfter = status.charAt(7) == '0';
        chunked = false;
        long length = NO_LENGTH;
        String type = "", encoding = "";
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-type" -> type = value;
                case "content-encoding" -> encoding = value.toLowerCase(Locale.ROOT);
                case "content-length" -> length = parseLength(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter |= value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        bodyDone = false;
        if (chunked) {
            remaining = 0; // read the first chunk size on the first read
        } else if (length >= 0) {
            remaining = length;
            bodyDone = length == 0;
        } else {
            remaining = Long.MAX_VALUE; // until the target closes
            closeAfter = true;
        }
        return new Head(code, type, encoding);
    }

    private static long parseLength(String v) throws IOException {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IOException("malformed Content-Length \"" + v + "\"");
        }
    }

    /** The body of the response {@link #get} returned; ends at its end. */
    InputStream body() { return body; }

    /**
     * Reads what is left of the body (at most {@code maxBytes}) so the connection can serve the
     * next scrape; closes it when the target asked to, or the rest is longer.
     */
    void finish(int maxBytes) {
        try {
            if (!closeAfter) {
                long skipped = 0;
                while (!bodyDone && skipped <= maxBytes) {
                    long n = body.skip(maxBytes);
                    if (n <= 0 && !bodyDone) break;
                    skipped += n;
                }
            }
        } catch (IOException e) {
            closeAfter = true;
        }
        if (closeAfter || !bodyDone) close();
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        hostPort = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do: the connection is gone either way
            }
        }
    }

    private long remainingMs() { return (deadlineNanos - System.nanoTime()) / 1_000_000L; }

    /** Refills {@link #buf}; returns false at end of stream. */
    private boolean fill() throws IOException {
        long ms = remainingMs();
        if (ms <= 0) throw new SocketTimeoutException("scrape timeout");
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, ms));
        int n = sin.read(buf, 0, buf.length);
        if (n <= 0) return false;
        pos = 0;
        lim = n;
        return true;
    }

    private String readLine() throws IOException {
        StringBuilder sb = null;
        while (true) {
            if (pos == lim && !fill()) throw new EOFException("connection closed before the response ended");
            int start = pos;
            while (pos < lim && buf[pos] != '\n') pos++;
            int end = pos;
            boolean eol = pos < lim;
            if (eol) pos++;
            if (sb == null && eol) return trimCr(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
            if (sb == null) sb = new StringBuilder();
            sb.append(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
            if (sb.length() > 64 * 1024) throw new IOException("HTTP header line longer than 64KiB");
            if (eol) return trimCr(sb.toString());
        }
    }

    private static String trimCr(String s) {
        return !s.isEmpty() && s.charAt(s.length() - 1) == '\r' ? s.substring(0, s.length() - 1) : s;
    }

    /** The body, bounded by the content length, the chunked framing, or the end of the stream. */
    private final class Body extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (bodyDone) return -1;
            if (chunked && remaining == 0 && !nextChunk()) return -1;
            if (pos == lim && !fill()) {
                if (remaining == Long.MAX_VALUE && !chunked) {
                    bodyDone = true;
                    return -1;
                }
                throw new EOFException("connection closed before the body ended");
            }
            int n = (int) Math.min(Math.min(len, lim - pos), remaining);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            if (remaining != Long.MAX_VALUE) remaining -= n;
            if (remaining == 0 && !chunked) bodyDone = true;
            return n;
        }

        /** Reads the next chunk-size line (after the previous chunk's CRLF); false at the last chunk. */
        private boolean nextChunk() throws IOException {
            String line = readLine();
            if (line.isEmpty()) line = readLine(); // CRLF that ends the previous chunk
            int semi = line.indexOf(';');
            String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size \"" + hex + "\"");
            }
            if (size == 0) {
                while (!readLine().isEmpty()) { } // trailers
                bodyDone = true;
                return false;
            }
            remaining = size;
            return true;
        }
    }
}
