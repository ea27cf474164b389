package io.pyrometer.alerting.silence;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.pyrometer.alerting.config.Matcher;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Silences as API v2 JSON ({@code postableSilence} / {@code gettableSilence} of upstream
 * {@code api/v2/openapi.yaml}); the snapshot file uses the same shape.
 */
public final class SilenceJson {
    private SilenceJson() {}

    public static void write(JsonGenerator g, Silence s) throws IOException {
        writeGettable(g, s, Long.MIN_VALUE);
    }

    /** {@code gettableSilence}; {@code nowMs == Long.MIN_VALUE} leaves the status out (snapshots). */
    public static void writeGettable(JsonGenerator g, Silence s, long nowMs) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", s.id());
        if (nowMs != Long.MIN_VALUE) {
            g.writeObjectFieldStart("status");
            g.writeStringField("state", s.stateAt(nowMs).api());
            g.writeEndObject();
        }
        g.writeStringField("updatedAt", time(s.updatedAtMs()));
        g.writeStringField("comment", s.comment());
        g.writeStringField("createdBy", s.createdBy());
        g.writeStringField("endsAt", time(s.endsAtMs()));
        g.writeArrayFieldStart("matchers");
        for (Matcher m : s.matchers()) {
            g.writeStartObject();
            g.writeBooleanField("isEqual", m.isEqual());
            g.writeBooleanField("isRegex", m.isRegex());
            g.writeStringField("name", m.name());
            g.writeStringField("value", m.value());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("startsAt", time(s.startsAtMs()));
        g.writeEndObject();
    }

    /** Reads a postable or gettable silence; @throws IllegalArgumentException naming the bad field */
    public static Silence read(JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("silence must be a JSON object");
        String id = text(n, "id", "");
        List<Matcher> ms = new ArrayList<>();
        JsonNode arr = n.get("matchers");
        if (arr == null || !arr.isArray()) throw new IllegalArgumentException("matchers in body is required");
        for (JsonNode m : arr) {
            String name = text(m, "name", null), value = text(m, "value", null);
            if (name == null) throw new IllegalArgumentException("matchers.name in body is required");
            if (value == null) throw new IllegalArgumentException("matchers.value in body is required");
            if (!m.has("isRegex")) throw new IllegalArgumentException("matchers.isRegex in body is required");
            boolean regex = m.get("isRegex").asBoolean();
            boolean equal = !m.has("isEqual") || m.get("isEqual").isNull() || m.get("isEqual").asBoolean();
            Matcher.Type t = regex ? (equal ? Matcher.Type.RE : Matcher.Type.NRE) : (equal ? Matcher.Type.EQ : Matcher.Type.NEQ);
            ms.add(Matcher.of(t, name, value));
        }
        long starts = parseTime(n, "startsAt"), ends = parseTime(n, "endsAt");
        long updated = n.has("updatedAt") ? parseTime(n, "updatedAt") : 0;
        String createdBy = text(n, "createdBy", null), comment = text(n, "comment", null);
        if (createdBy == null) throw new IllegalArgumentException("createdBy in body is required");
        if (comment == null) throw new IllegalArgumentException("comment in body is required");
        return new Silence(id, List.copyOf(ms), starts, ends, updated, createdBy, comment);
    }

    private static String text(JsonNode n, String field, String def) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? def : v.asText();
    }

    private static long parseTime(JsonNode n, String field) {
        String t = text(n, field, null);
        if (t == null) throw new IllegalArgumentException(field + " in body is required");
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " in body must be of type date-time: \"" + t + "\"");
        }
    }

    /** RFC 3339 with milliseconds, as Go's strfmt.DateTime prints ({@code 2024-01-02T03:04:05.000Z}). */
    public static String time(long ms) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(Instant.ofEpochMilli(ms));
    }
}
