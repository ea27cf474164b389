package io.pyrometer.alerting.cluster;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyrometer.alerting.nflog.NotificationLog;
import io.pyrometer.alerting.silence.Silence;
import io.pyrometer.alerting.silence.SilenceJson;
import io.pyrometer.alerting.silence.Silences;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * High availability without gossip: replicas named with {@code --cluster.peer} push every silence
 * and notification-log change to each other over HTTP ({@code POST <peer>/api/cluster/v1/state}),
 * push their whole state every push-pull interval, and pull a peer's whole state at start. Merges
 * keep the newer version (silences by {@code updatedAt}, log entries by timestamp).
 *
 * <p>Send order follows Alertmanager's wait stage: a replica's position is the rank of its own
 * address among all replicas' addresses, and it waits {@code position x peer_timeout} before the
 * dedup step, by which time the earlier replicas' log entries have normally arrived. A replica
 * that is down simply never sends its entry, so the next one sends after its wait: one replica
 * down delays but does not block delivery. A network split sends duplicates (as with
 * Alertmanager), never none.
 */
public final class Cluster implements AutoCloseable {
    public static final String STATE_PATH = "/api/cluster/v1/state";
    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String self;
    private final List<String> peers;
    private final long peerTimeoutMs;
    private final Silences silences;
    private final NotificationLog nflog;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("cluster-pushpull").daemon(true).factory());
    private final ConcurrentHashMap<String, Boolean> reachable = new ConcurrentHashMap<>();

    /**
     * @param self this replica's advertised web address ({@code host:port})
     * @param peers the other replicas' web addresses
     */
    public Cluster(String self, List<String> peers, long peerTimeoutMs, long pushPullMs, Silences silences, NotificationLog nflog) {
        this.self = self;
        this.peers = List.copyOf(peers);
        this.peerTimeoutMs = peerTimeoutMs;
        this.silences = silences;
        this.nflog = nflog;
        silences.onChange(s -> push(List.of(s), List.of()));
        nflog.onChange(e -> push(List.of(), List.of(e)));
        timer.scheduleAtFixedRate(this::pushAll, pushPullMs, pushPullMs, TimeUnit.MILLISECONDS);
    }

    /** Rank of this replica's address among all replicas' (sorted). */
    public int position() {
        TreeSet<String> all = new TreeSet<>(peers);
        all.add(self);
        return all.headSet(self).size();
    }

    /** The wait stage: position x peer timeout. */
    public long waitMs() { return position() * peerTimeoutMs; }

    public String self() { return self; }

    /** Peers as (name, address) pairs with this replica first, for {@code /api/v2/status}. */
    public List<String[]> members() {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {self, self});
        for (String p : peers) if (reachable.getOrDefault(p, false)) out.add(new String[] {p, p});
        return out;
    }

    /** Pulls each peer's state once (at start); unreachable peers are skipped. */
    public void pullAll() {
        for (String p : peers) {
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://" + p + STATE_PATH))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                    merge(r.body());
                    reachable.put(p, true);
                }
            } catch (IOException e) {
                reachable.put(p, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Applies a peer's state; returns how many items changed. */
    public int merge(byte[] body) throws IOException {
        JsonNode root = MAPPER.readTree(body);
        int n = 0;
        for (JsonNode s : root.path("silences")) {
            if (silences.merge(SilenceJson.read(s))) n++;
        }
        for (JsonNode e : root.path("nflog")) {
            if (nflog.merge(NotificationLog.read(e))) n++;
        }
        return n;
    }

    /** The whole local state as JSON. */
    public byte[] state() throws IOException {
        return encode(silences.list(), nflog.entries());
    }

    private static byte[] encode(List<Silence> sils, List<NotificationLog.Entry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("silences");
            for (Silence s : sils) SilenceJson.write(g, s);
            g.writeEndArray();
            g.writeArrayFieldStart("nflog");
            for (NotificationLog.Entry e : entries) NotificationLog.write(g, e);
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private void pushAll() {
        try {
            send(state());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "encoding cluster state failed err=\"" + e.getMessage() + "\"");
        }
    }

    private void push(List<Silence> sils, List<NotificationLog.Entry> entries) {
        try {
            send(encode(sils, entries));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "encoding cluster update failed err=\"" + e.getMessage() + "\"");
        }
    }

    private void send(byte[] body) {
        for (String p : peers) {
            senders.execute(() -> {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://" + p + STATE_PATH))
                            .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
                    reachable.put(p, r.statusCode() == 200);
                } catch (IOException e) {
                    if (!Boolean.FALSE.equals(reachable.put(p, false))) {
                        LOG.log(System.Logger.Level.WARNING, "peer unreachable peer=" + p + " err=\"" + e.getMessage() + "\"");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        senders.shutdownNow();
    }
}
