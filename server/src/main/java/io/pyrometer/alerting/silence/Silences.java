package io.pyrometer.alerting.silence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyrometer.alerting.config.Matcher;
import io.pyrometer.alerting.types.JsonSnapshot;
import io.pyrometer.alerting.types.Scheduler;
import io.pyrometer.model.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The silence store ({@code silence/silence.go}): create, update, expire, query; expired silences are
 * kept for the retention after their end, then dropped. Every change is written to
 * {@code <storage.path>/silences} (JSON, written to a temporary file and renamed, so a kill -9
 * leaves either the old or the new snapshot), which is read back at start.
 *
 * <p>Updating follows Alertmanager's {@code canUpdate}: same matchers, and for an active silence the
 * same start and an end not in the past, for a pending one a start not in the past; anything else
 * expires the old silence (when not already expired) and creates a new one with a new id.
 */
public final class Silences {
    /** A request the store refuses; the message is what the API answers with status 400 (404 for {@link NotFound}). */
    public static class SilenceException extends Exception {
        public SilenceException(String m) { super(m); }
    }

    public static final class NotFound extends SilenceException {
        public NotFound(String m) { super(m); }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Scheduler clock;
    private final long retentionMs;
    private final Path file; // null: in memory only
    private final Map<String, Silence> byId = new LinkedHashMap<>(); // guarded by this
    private volatile Consumer<Silence> onChange = s -> {};

    public Silences(Scheduler clock, long retentionMs, Path file) throws IOException {
        this.clock = clock;
        this.retentionMs = retentionMs;
        this.file = file;
        if (file != null && Files.exists(file)) load();
    }

    /** Called after each local change (cluster replication). */
    public void onChange(Consumer<Silence> c) { this.onChange = c; }

    /** Creates or updates; returns the id of the stored silence (new when the old one could not be updated in place). */
    public String set(Silence s) throws SilenceException {
        long now = clock.nowMs();
        validate(s);
        Silence stored;
        synchronized (this) {
            Silence prev = s.id() == null || s.id().isEmpty() ? null : byId.get(s.id());
            if (s.id() != null && !s.id().isEmpty() && prev == null) throw new NotFound("silence " + s.id() + " not found");
            if (prev != null && canUpdate(prev, s, now)) {
                stored = s.with(prev.id(), s.startsAtMs(), s.endsAtMs(), now);
            } else {
                if (prev != null && prev.stateAt(now) != Silence.State.EXPIRED) expireLocked(prev, now);
                stored = s.with(UUID.randomUUID().toString(), Math.max(s.startsAtMs(), now), s.endsAtMs(), now);
            }
            byId.put(stored.id(), stored);
            persist();
        }
        onChange.accept(stored);
        return stored.id();
    }

    public void expire(String id) throws SilenceException {
        long now = clock.nowMs();
        Silence s;
        synchronized (this) {
            Silence prev = byId.get(id);
            if (prev == null) throw new NotFound("silence " + id + " not found");
            if (prev.stateAt(now) == Silence.State.EXPIRED) throw new SilenceException("silence " + id + " already expired");
            s = expireLocked(prev, now);
            persist();
        }
        onChange.accept(s);
    }

    private Silence expireLocked(Silence prev, long now) {
        Silence s = prev.stateAt(now) == Silence.State.PENDING
                ? prev.with(prev.id(), now, now, now) : prev.with(prev.id(), prev.startsAtMs(), now, now);
        byId.put(s.id(), s);
        return s;
    }

    private static boolean canUpdate(Silence a, Silence b, long now) {
        if (!a.matchers().equals(b.matchers())) return false;
        return switch (a.stateAt(now)) {
            case ACTIVE -> a.startsAtMs() / 1000 == b.startsAtMs() / 1000 && b.endsAtMs() >= now;
            case PENDING -> b.startsAtMs() >= now;
            case EXPIRED -> false;
        };
    }

    private static void validate(Silence s) throws SilenceException {
        if (s.matchers().isEmpty()) throw new SilenceException("silence invalid: at least one matcher required");
        boolean allEmpty = true;
        for (Matcher m : s.matchers()) {
            if (m.name().isEmpty()) throw new SilenceException("silence invalid: invalid label matcher: invalid label name \"\"");
            allEmpty &= m.matches("");
        }
        if (allEmpty) throw new SilenceException("silence invalid: at least one matcher must not match the empty string");
        if (s.startsAtMs() == 0) throw new SilenceException("silence invalid: invalid zero start timestamp");
        if (s.endsAtMs() == 0) throw new SilenceException("silence invalid: invalid zero end timestamp");
        if (s.endsAtMs() < s.startsAtMs()) throw new SilenceException("silence invalid: end time must not be before start time");
    }

    public synchronized Silence get(String id) { return byId.get(id); }

    /** Every silence (including expired ones still retained), newest update first. */
    public synchronized List<Silence> list() {
        List<Silence> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparingLong(Silence::updatedAtMs).reversed());
        return out;
    }

    /** Ids of the active silences muting {@code labels}, sorted. */
    public synchronized List<String> mutedBy(Labels labels, long nowMs) {
        List<String> ids = new ArrayList<>();
        for (Silence s : byId.values()) {
            if (s.stateAt(nowMs) == Silence.State.ACTIVE && s.mutes(labels)) ids.add(s.id());
        }
        ids.sort(null);
        return ids;
    }

    /** Counts by state, for {@code alertmanager_silences{state=...}}. */
    public synchronized Map<Silence.State, Integer> countByState() {
        long now = clock.nowMs();
        Map<Silence.State, Integer> out = new LinkedHashMap<>();
        for (Silence.State st : Silence.State.values()) out.put(st, 0);
        for (Silence s : byId.values()) out.merge(s.stateAt(now), 1, Integer::sum);
        return out;
    }

    /** Drops silences expired for longer than the retention; returns how many. */
    public synchronized int gc() {
        long now = clock.nowMs();
        int n = 0;
        var it = byId.values().iterator();
        while (it.hasNext()) {
            if (it.next().endsAtMs() + retentionMs < now) {
                it.remove();
                n++;
            }
        }
        if (n > 0) persist();
        return n;
    }

    /** Merges a silence from a peer: the newer update wins. Returns whether it changed anything. */
    public boolean merge(Silence s) {
        synchronized (this) {
            Silence cur = byId.get(s.id());
            if (cur != null && cur.updatedAtMs() >= s.updatedAtMs()) return false;
            if (s.endsAtMs() + retentionMs < clock.nowMs()) return false;
            byId.put(s.id(), s);
            persist();
        }
        return true;
    }

    // ---- snapshot file

    private void persist() {
        if (file == null) return;
        JsonSnapshot.write(file, "silences", g -> {
            for (Silence s : byId.values()) SilenceJson.write(g, s);
        });
    }

    private void load() throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null || !root.isArray()) return;
        for (JsonNode n : root) {
            try {
                Silence s = SilenceJson.read(n);
                byId.put(s.id(), s);
            } catch (IllegalArgumentException e) {
                throw new IOException("bad silence in " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
