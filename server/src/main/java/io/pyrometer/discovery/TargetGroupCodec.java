package io.pyrometer.discovery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pyrometer.model.Labels;
import io.pyrometer.model.relabel.RelabelConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the target group list that file SD files and HTTP SD responses hold:
 * <pre>{@code
 * [ { "targets": ["host:9100", ...], "labels": { "env": "prod" } }, ... ]
 * }</pre>
 * JSON ignores unknown keys (Go's {@code json.Unmarshal}); YAML rejects them (Prometheus reads
 * file SD YAML strictly). Errors carry line and column.
 */
public final class TargetGroupCodec {
    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();

    private TargetGroupCodec() {}

    /** A malformed document: {@code message} in Prometheus's words, position 1-based (0 when unknown). */
    public static final class FormatException extends Exception {
        private final int line;
        private final int column;

        FormatException(String message, int line, int column) {
            super(message + (line > 0 ? " [line=" + line + ", column=" + column + "]" : ""));
            this.line = line;
            this.column = column;
        }

        public int line() { return line; }
        public int column() { return column; }
    }

    /** Parses JSON; sources are left empty for the caller to assign. */
    public static List<TargetGroup> parseJson(byte[] content) throws FormatException {
        return parse(JSON, content, false);
    }

    /** Parses YAML; an empty document is an empty list, as in Prometheus. */
    public static List<TargetGroup> parseYaml(byte[] content) throws FormatException {
        return parse(YAML, content, true);
    }

    private static List<TargetGroup> parse(JsonFactory f, byte[] content, boolean yaml) throws FormatException {
        try (JsonParser p = f.createParser(content)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                if (yaml) return List.of();
                throw new FormatException("unexpected end of JSON input", 0, 0);
            }
            if (yaml && t == JsonToken.VALUE_NULL) return List.of();
            if (t != JsonToken.START_ARRAY) throw error(p, "expected a list of target groups, got " + describe(t));
            List<TargetGroup> out = new ArrayList<>();
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.VALUE_NULL) throw error(p, "nil target group item found");
                if (t != JsonToken.START_OBJECT) throw error(p, "expected a target group object, got " + describe(t));
                out.add(group(p, yaml));
            }
            if (p.nextToken() != null) throw error(p, "unexpected content after the list of target groups");
            return out;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new FormatException(cleanMessage(e.getOriginalMessage(), yaml), l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr());
        } catch (IOException e) {
            throw new FormatException(String.valueOf(e.getMessage()), 0, 0);
        }
    }

    /** Jackson's wording without its source-redaction noise; Go's wording for a truncated JSON document. */
    static String cleanMessage(String msg, boolean yaml) {
        if (msg == null) return "malformed document";
        if (!yaml && msg.startsWith("Unexpected end-of-input")) return "unexpected end of JSON input";
        return msg.replaceAll("\\[Source: [^;]*; ", "[").replace("\n", " ");
    }

    private static TargetGroup group(JsonParser p, boolean yaml) throws IOException, FormatException {
        List<Labels> targets = List.of();
        Labels labels = Labels.EMPTY;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "targets" -> targets = targets(p, v, yaml);
                case "labels" -> labels = labels(p, v, yaml);
                default -> {
                    if (yaml) throw error(p, "field " + field + " not found in type targetgroup.Group");
                    p.skipChildren();
                }
            }
        }
        return new TargetGroup("", targets, labels);
    }

    private static List<Labels> targets(JsonParser p, JsonToken t, boolean yaml) throws IOException, FormatException {
        if (t == JsonToken.VALUE_NULL) return List.of();
        if (t != JsonToken.START_ARRAY) throw error(p, "\"targets\" must be a list of strings, got " + describe(t));
        List<Labels> out = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            out.add(Labels.of(TargetLabelNames.ADDRESS, scalar(p, t, yaml, "target")));
        }
        return out;
    }

    private static Labels labels(JsonParser p, JsonToken t, boolean yaml) throws IOException, FormatException {
        if (t == JsonToken.VALUE_NULL) return Labels.EMPTY;
        if (t != JsonToken.START_OBJECT) throw error(p, "\"labels\" must be a map of strings, got " + describe(t));
        Map<String, String> m = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!RelabelConfig.isValidUtf8LabelName(name)) throw error(p, "\"" + name + "\" is not a valid label name");
            String value = scalar(p, p.nextToken(), yaml, "label value");
            // JSON: the last duplicate wins, as with Go's decoder; strict YAML rejects duplicates
            if (m.put(name, value) != null && yaml) throw error(p, "mapping key \"" + name + "\" already defined");
        }
        return Labels.of(m);
    }

    private static String scalar(JsonParser p, JsonToken t, boolean yaml, String what) throws IOException, FormatException {
        if (t == JsonToken.VALUE_STRING) return p.getText();
        // YAML scalars such as 80 or true decode into strings in Go's yaml.v2; JSON needs strings
        if (yaml && t != null && t.isScalarValue() && t != JsonToken.VALUE_NULL) return p.getText();
        throw error(p, what + " must be a string, got " + describe(t));
    }

    private static String describe(JsonToken t) {
        if (t == null) return "end of input";
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a map";
            case VALUE_NULL -> "null";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private static FormatException error(JsonParser p, String msg) {
        JsonLocation l = p.currentTokenLocation();
        return new FormatException(msg, l.getLineNr(), l.getColumnNr());
    }
}
