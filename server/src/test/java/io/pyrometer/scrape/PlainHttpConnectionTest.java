package io.pyrometer.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scrape loop's own HTTP/1.1 client: framing, keep-alive, headers and timeouts. */
class PlainHttpConnectionTest {
    private static final String BODY = "up 1\nmetric_total{code=\"200\"} 42\n";

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void keepsTheConnectionAliveAcrossScrapesAndReadsChunkedAndSizedBodies() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger calls = new AtomicInteger();
        List<String> peers = new CopyOnWriteArrayList<>();
        List<String> auth = new CopyOnWriteArrayList<>();
        http.createContext("/metrics", ex -> {
            peers.add(ex.getRemoteAddress().toString());
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] b = BODY.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            boolean chunked = calls.incrementAndGet() % 2 == 0;
            ex.sendResponseHeaders(200, chunked ? 0 : b.length); // 0: chunked transfer encoding
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b, 0, 5);
                os.flush();
                os.write(b, 5, b.length - 5);
            }
        });
        http.start();
        try (PlainHttpConnection c = new PlainHttpConnection()) {
            URI url = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/metrics?x=1");
            for (int i = 0; i < 4; i++) {
                PlainHttpConnection.Head h = c.get(url, Map.of("Authorization", List.of("Bearer t0k")), 5000);
                assertThat(h.status()).isEqualTo(200);
                assertThat(h.contentType()).isEqualTo("text/plain; version=0.0.4");
                assertThat(readAll(c.body())).as("scrape %d", i).isEqualTo(BODY);
                c.finish(1024);
            }
        } finally {
            http.stop(0);
        }
        assertThat(peers).hasSize(4);
        assertThat(peers).as("one kept-alive connection").containsOnly(peers.get(0));
        assertThat(auth).containsOnly("Bearer t0k");
    }

    /** A one-shot raw server: answers every connection with {@code response}, then closes. */
    private static ServerSocket rawServer(String response, List<String> requests) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    byte[] req = new byte[4096];
                    int n = s.getInputStream().read(req);
                    requests.add(new String(req, 0, Math.max(0, n), StandardCharsets.ISO_8859_1));
                    s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return ss;
    }

    @Test
    void http10BodyEndsWhenTheTargetCloses() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        try (ServerSocket ss = rawServer("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + BODY, requests);
                PlainHttpConnection c = new PlainHttpConnection()) {
            URI url = URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/metrics");
            for (int i = 0; i < 2; i++) {
                assertThat(c.get(url, Map.of(), 5000).status()).isEqualTo(200);
                assertThat(readAll(c.body())).isEqualTo(BODY);
                c.finish(1024);
            }
        }
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0)).startsWith("GET /metrics HTTP/1.1\r\n").contains("\r\nHost: 127.0.0.1:");
    }

    @Test
    void chunkExtensionsAndTrailersAreSkipped() throws Exception {
        String resp = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5;ext=1\r\nup 1\n\r\n0\r\nX-Trailer: y\r\n\r\n";
        try (ServerSocket ss = rawServer(resp, new CopyOnWriteArrayList<>()); PlainHttpConnection c = new PlainHttpConnection()) {
            assertThat(c.get(URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/"), Map.of(), 5000).status()).isEqualTo(200);
            assertThat(readAll(c.body())).isEqualTo("up 1\n");
        }
    }

    @Test
    void aTargetThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                PlainHttpConnection c = new PlainHttpConnection()) {
            URI url = URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.get(url, Map.of(), 300)).isInstanceOf(SocketTimeoutException.class);
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 5000L);
        }
    }

    @Test
    void aTruncatedBodyIsAnError() throws Exception {
        String resp = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nup 1\n";
        try (ServerSocket ss = rawServer(resp, new CopyOnWriteArrayList<>()); PlainHttpConnection c = new PlainHttpConnection()) {
            c.get(URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/"), Map.of(), 5000);
            assertThatThrownBy(() -> readAll(c.body())).isInstanceOf(IOException.class).hasMessageContaining("before the body ended");
        }
    }
}
