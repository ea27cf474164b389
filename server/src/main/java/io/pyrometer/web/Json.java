package io.pyrometer.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pyrometer.model.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Jackson streaming helpers producing Prometheus's API JSON. */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {}

    /** Writes one JSON document into a byte array. */
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    public static byte[] render(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code {"status":"success","data":...}} (plus warnings/infos when present). */
    public static byte[] success(Body data, List<String> warnings, List<String> infos) {
        return render(g -> {
            g.writeStartObject();
            g.writeStringField("status", "success");
            g.writeFieldName("data");
            data.write(g);
            writeStrings(g, "warnings", warnings);
            writeStrings(g, "infos", infos);
            g.writeEndObject();
        });
    }

    public static byte[] success(Body data) { return success(data, List.of(), List.of()); }

    public static byte[] error(ApiError e) {
        return render(g -> {
            g.writeStartObject();
            g.writeStringField("status", "error");
            g.writeStringField("errorType", e.type());
            g.writeStringField("error", e.getMessage());
            g.writeEndObject();
        });
    }

    private static void writeStrings(JsonGenerator g, String field, List<String> list) throws IOException {
        if (list == null || list.isEmpty()) return;
        g.writeArrayFieldStart(field);
        for (String s : list) g.writeString(s);
        g.writeEndArray();
    }

    public static void writeLabels(JsonGenerator g, Labels labels) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < labels.size(); i++) g.writeStringField(labels.name(i), labels.value(i));
        g.writeEndObject();
    }

    public static void writeStringMap(JsonGenerator g, Map<String, String> map) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, String> e : map.entrySet()) g.writeStringField(e.getKey(), e.getValue());
        g.writeEndObject();
    }
}
