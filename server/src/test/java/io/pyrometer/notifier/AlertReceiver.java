package io.pyrometer.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * An in-test Alertmanager: a JDK HTTP server on 127.0.0.1 and an ephemeral port that records every
 * request (path, headers, body) and answers with a settable status, optionally holding requests
 * until {@link #release()}.
 */
final class AlertReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One received POST. */
    record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("body is not JSON: " + new String(body), e);
            }
        }

        String header(String name) {
            for (var e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue().getFirst();
            return null;
        }

        /** The {@code alertname} label of each alert in the body, in order. */
        List<String> alertNames() {
            List<String> out = new ArrayList<>();
            for (JsonNode a : json()) out.add(a.get("labels").get("alertname").asText());
            return out;
        }
    }

    private final HttpServer server;
    final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private volatile int status = 200;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile long delayMs;

    AlertReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body));
            try {
                hold.await(30, TimeUnit.SECONDS);
                if (delayMs > 0) Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    String address() { return "127.0.0.1:" + server.getAddress().getPort(); }

    void status(int s) { status = s; }

    /** Requests are answered only after {@link #release()}. */
    void hold() { hold = new CountDownLatch(1); }

    void release() { hold.countDown(); }

    /** Every request is answered this late (to provoke client timeouts). */
    void delay(long ms) { delayMs = ms; }

    List<Request> list() { return List.copyOf(requests); }

    /** Every alert name received, in arrival order. */
    List<String> allAlertNames() {
        List<String> out = new ArrayList<>();
        for (Request r : requests) out.addAll(r.alertNames());
        return out;
    }

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
