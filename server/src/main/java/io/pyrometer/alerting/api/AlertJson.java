package io.pyrometer.alerting.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyrometer.alerting.types.Alert;
import io.pyrometer.model.Labels;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code postableAlert} of API v2: labels (required), annotations, startsAt, endsAt, generatorURL. */
final class AlertJson {
    private AlertJson() {}

    static Alert readPostable(JsonNode n) {
        if (!n.isObject()) throw new IllegalArgumentException("alert must be a JSON object");
        JsonNode l = n.get("labels");
        if (l == null || l.isNull()) throw new IllegalArgumentException("labels in body is required");
        Labels labels = map(l, "labels"), annotations = map(n.get("annotations"), "annotations");
        long starts = time(n, "startsAt"), ends = time(n, "endsAt");
        JsonNode gen = n.get("generatorURL");
        return Alert.of(labels, annotations, starts, ends, gen == null || gen.isNull() ? "" : gen.asText(), 0, false);
    }

    private static Labels map(JsonNode n, String field) {
        if (n == null || n.isNull()) return Labels.EMPTY;
        if (!n.isObject()) throw new IllegalArgumentException(field + " in body must be of type object");
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) throw new IllegalArgumentException(field + "." + e.getKey() + " in body must be of type string");
            m.put(e.getKey(), e.getValue().asText());
        }
        return Labels.of(m);
    }

    /** 0 when absent, null or Go's zero time. */
    private static long time(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty()) return 0;
        try {
            long ms = OffsetDateTime.parse(v.asText()).toInstant().toEpochMilli();
            return ms <= -62135596800000L ? 0 : ms;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " in body must be of type date-time: \"" + v.asText() + "\"");
        }
    }
}
