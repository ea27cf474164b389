package io.pyrometer.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A webhook receiver on 127.0.0.1 and an ephemeral port that keeps every payload it gets. */
public final class WebhookSink implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public final List<JsonNode> payloads = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    public volatile int failWith; // answer this status instead of 200 when non-zero
    public volatile long delayMs; // hold each request this long before answering
    public final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

    public WebhookSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int st = failWith == 0 ? 200 : failWith;
            if (st == 200) payloads.add(JSON.readTree(body));
            ex.sendResponseHeaders(st, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public String url() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook"; }

    /** Polls until a payload satisfies {@code p} or the deadline passes. */
    public JsonNode await(Predicate<JsonNode> p, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            for (JsonNode n : payloads) if (p.test(n)) return n;
            Thread.sleep(50);
        }
        throw new AssertionError("no matching webhook payload within " + timeoutMs + " ms; got " + payloads);
    }

    @Override
    public void close() { server.stop(0); }
}
