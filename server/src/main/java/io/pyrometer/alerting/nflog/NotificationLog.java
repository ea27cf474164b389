package io.pyrometer.alerting.nflog;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyrometer.alerting.types.JsonSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The notification log ({@code nflog/nflog.go}): for each (group key, receiver integration) the
 * firing and resolved alert sets of the last successful notification and when it went out. The
 * dedup step compares the current group against it to decide whether to send. Entries expire
 * after the retention. Every {@link #log} rewrites {@code <storage.path>/nflog} (JSON, temporary
 * file + rename): a restart, even after kill -9, sees every notification that was logged, so it
 * does not repeat one within the repeat interval.
 */
public final class NotificationLog {
    /** One entry; {@code receiver} is {@code name/integration/index}. */
    public record Entry(String groupKey, String receiver, Set<Long> firing, Set<Long> resolved, long timestampMs, long expiresAtMs) {
        String key() { return key(groupKey, receiver); }

        static String key(String g, String r) { return g + "\u0000" + r; }
    }

    private final long retentionMs;
    private final Path file;
    private final Map<String, Entry> entries = new HashMap<>(); // guarded by this
    private volatile Consumer<Entry> onChange = e -> {};

    public NotificationLog(long retentionMs, Path file) throws IOException {
        this.retentionMs = retentionMs;
        this.file = file;
        if (file != null && Files.exists(file)) load();
    }

    public void onChange(Consumer<Entry> c) { this.onChange = c; }

    public synchronized Entry query(String groupKey, String receiver) {
        return entries.get(Entry.key(groupKey, receiver));
    }

    public void log(String groupKey, String receiver, Set<Long> firing, Set<Long> resolved, long nowMs) {
        Entry e = new Entry(groupKey, receiver, Set.copyOf(firing), Set.copyOf(resolved), nowMs, nowMs + retentionMs);
        synchronized (this) {
            entries.put(e.key(), e);
            persist();
        }
        onChange.accept(e);
    }

    /** Merges an entry from a peer: the newer one wins. */
    public boolean merge(Entry e) {
        synchronized (this) {
            Entry cur = entries.get(e.key());
            if (cur != null && cur.timestampMs() >= e.timestampMs()) return false;
            entries.put(e.key(), e);
            persist();
        }
        return true;
    }

    public synchronized List<Entry> entries() { return new ArrayList<>(entries.values()); }

    public synchronized int size() { return entries.size(); }

    public synchronized int gc(long nowMs) {
        int before = entries.size();
        entries.values().removeIf(e -> e.expiresAtMs() < nowMs);
        int n = before - entries.size();
        if (n > 0) persist();
        return n;
    }

    private void persist() {
        if (file == null) return;
        JsonSnapshot.write(file, "notification log", g -> {
            for (Entry e : entries.values()) write(g, e);
        });
    }

    public static void write(JsonGenerator g, Entry e) throws IOException {
        g.writeStartObject();
        g.writeStringField("groupKey", e.groupKey());
        g.writeStringField("receiver", e.receiver());
        g.writeArrayFieldStart("firing");
        for (long f : e.firing()) g.writeNumber(f);
        g.writeEndArray();
        g.writeArrayFieldStart("resolved");
        for (long f : e.resolved()) g.writeNumber(f);
        g.writeEndArray();
        g.writeNumberField("timestampMs", e.timestampMs());
        g.writeNumberField("expiresAtMs", e.expiresAtMs());
        g.writeEndObject();
    }

    public static Entry read(JsonNode n) {
        List<Long> firing = new ArrayList<>(), resolved = new ArrayList<>();
        for (JsonNode f : n.path("firing")) firing.add(f.asLong());
        for (JsonNode f : n.path("resolved")) resolved.add(f.asLong());
        return new Entry(n.path("groupKey").asText(), n.path("receiver").asText(), Set.copyOf(firing), Set.copyOf(resolved),
                n.path("timestampMs").asLong(), n.path("expiresAtMs").asLong());
    }

    private void load() throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isArray()) return;
        for (JsonNode n : root) {
            Entry e = read(n);
            entries.put(e.key(), e);
        }
    }
}
