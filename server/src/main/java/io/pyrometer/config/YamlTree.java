package io.pyrometer.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.pyrometer.config.YamlNode.Entry;
import io.pyrometer.config.YamlNode.Kind;
import io.pyrometer.config.YamlNode.Mapping;
import io.pyrometer.config.YamlNode.Scalar;
import io.pyrometer.config.YamlNode.Sequence;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads YAML text into {@link YamlNode}s with positions, using Jackson's streaming YAML parser
 * (YAML 1.1 scalar resolution, as Go's yaml.v2 that Prometheus uses: {@code yes} is a bool).
 * Rejects what yaml.v2's strict mode rejects: duplicate keys, non-scalar keys. Resolves
 * anchors/aliases and {@code <<} merge keys. Only the first document is read, as yaml.v2 does.
 */
public final class YamlTree {
    /** Generated configs (one job per service) can pass SnakeYAML's 3 MB default; Prometheus has no limit. */
    private static final int MAX_CODE_POINTS = 64 << 20;

    private static final YAMLFactory FACTORY = YAMLFactory.builder().loaderOptions(loaderOptions()).build();

    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(MAX_CODE_POINTS);
        return o;
    }

    private final Path file;
    private final YAMLParser parser;
    private final Map<String, YamlNode> anchors = new HashMap<>();
    private final String text;
    private final int[] lineStarts;

    private YamlTree(Path file, YAMLParser parser, String text) {
        this.file = file;
        this.parser = parser;
        this.text = text;
        int n = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') n++;
        lineStarts = new int[n];
        for (int i = 0, l = 1; i < text.length() && l < n; i++) if (text.charAt(i) == '\n') lineStarts[l++] = i + 1;
    }

    /** The root node, or null when the document is empty. */
    public static YamlNode parse(String text, Path file) throws ConfigException {
        try (YAMLParser p = FACTORY.createParser(text)) {
            YamlTree t = new YamlTree(file, p, text);
            JsonToken tok = p.nextToken();
            return tok == null ? null : t.node(tok, "");
        } catch (JsonProcessingException e) {
            throw syntaxError(file, e);
        } catch (IOException e) {
            throw new ConfigException(file, "invalid YAML: " + e.getMessage(), e);
        }
    }

    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

    /**
     * SnakeYAML's message has a context, a problem and marks with echoed source lines; keep the words and
     * point at the problem mark (the last one), which Jackson's own location sometimes misses.
     */
    private static ConfigException syntaxError(Path file, JsonProcessingException e) {
        String orig = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        StringBuilder words = new StringBuilder();
        int line = 0, col = 0;
        for (String l : orig.split("\n")) {
            Matcher m = MARK.matcher(l);
            if (l.startsWith(" in ") && m.find()) {
                line = Integer.parseInt(m.group(1));
                col = Integer.parseInt(m.group(2));
            } else if (!l.isBlank() && !l.startsWith(" ")) {
                if (!words.isEmpty()) words.append(": ");
                words.append(l.strip());
            }
        }
        JsonLocation loc = e.getLocation();
        if (line == 0 && loc != null) {
            line = Math.max(loc.getLineNr(), 0);
            col = Math.max(loc.getColumnNr(), 0);
        }
        return new ConfigException(file, line, col, "", "invalid YAML: " + (words.isEmpty() ? "syntax error" : words));
    }

    private YamlNode node(JsonToken tok, String path) throws IOException, ConfigException {
        JsonLocation loc = parser.currentTokenLocation();
        int line = loc.getLineNr(), col = loc.getColumnNr();
        if (parser.isCurrentAlias()) {
            YamlNode target = anchors.get(parser.getText());
            if (target == null) {
                throw new ConfigException(file, line, col, path, "unknown anchor '" + parser.getText() + "' referenced");
            }
            return target;
        }
        String anchor = parser.getObjectId() instanceof String s ? s : null;
        YamlNode n = switch (tok) {
            case START_OBJECT -> mapping(line, col, path);
            case START_ARRAY -> sequence(line, col, path);
            case VALUE_STRING -> string(parser.getText(), line, col);
            case VALUE_NUMBER_INT -> new Scalar(parser.getText(), Kind.INT, line, col);
            case VALUE_NUMBER_FLOAT -> new Scalar(parser.getText(), Kind.FLOAT, line, col);
            case VALUE_TRUE, VALUE_FALSE -> new Scalar(parser.getText(), Kind.BOOL, line, col);
            case VALUE_NULL -> new Scalar(parser.getText(), Kind.NULL, line, col);
            default -> throw new ConfigException(file, line, col, path, "unsupported YAML construct " + tok);
        };
        if (anchor != null) anchors.put(anchor, n);
        return n;
    }

    /**
     * A string scalar, with two YAML 1.1 resolutions Jackson leaves out and yaml.v2 makes: an empty plain
     * scalar (a key or dash with nothing after it) is null, and plain {@code y}/{@code n} are booleans.
     * Quoted scalars start with a quote at their position and are always strings.
     */
    private Scalar string(String value, int line, int col) {
        boolean quoted = false;
        if (line >= 1 && line <= lineStarts.length) {
            int at = lineStarts[line - 1] + col - 1;
            quoted = at < text.length() && (text.charAt(at) == '"' || text.charAt(at) == '\'');
        }
        if (!quoted && value.isEmpty()) return new Scalar(value, Kind.NULL, line, col);
        if (!quoted && (value.equals("y") || value.equals("Y") || value.equals("n") || value.equals("N"))) {
            return new Scalar(value, Kind.BOOL, line, col);
        }
        return new Scalar(value, Kind.STRING, line, col);
    }

    private Mapping mapping(int line, int col, String path) throws IOException, ConfigException {
        List<Entry> entries = new ArrayList<>();
        Map<String, Entry> seen = new HashMap<>();
        List<Entry> merged = new ArrayList<>();
        JsonToken tok;
        while ((tok = parser.nextToken()) != JsonToken.END_OBJECT) {
            if (tok != JsonToken.FIELD_NAME) {
                JsonLocation l = parser.currentTokenLocation();
                throw new ConfigException(file, l.getLineNr(), l.getColumnNr(), path, "mapping keys must be scalars");
            }
            JsonLocation kl = parser.currentTokenLocation();
            String key = parser.currentName();
            String childPath = path.isEmpty() ? key : path + "." + key;
            YamlNode value = node(parser.nextToken(), childPath);
            if (key.equals("<<")) {
                mergeInto(merged, value, childPath);
                continue;
            }
            Entry first = seen.get(key);
            if (first != null) {
                throw new ConfigException(file, kl.getLineNr(), kl.getColumnNr(), childPath,
                        "field " + key + " already set at line " + first.line() + ":" + first.column() + "; remove one of them");
            }
            Entry e = new Entry(key, kl.getLineNr(), kl.getColumnNr(), value);
            seen.put(key, e);
            entries.add(e);
        }
        for (Entry m : merged) if (!seen.containsKey(m.key())) entries.add(m); // explicit keys win over merged ones
        return new Mapping(List.copyOf(entries), line, col);
    }

    private void mergeInto(List<Entry> merged, YamlNode value, String path) throws ConfigException {
        if (value instanceof Mapping m) {
            for (Entry e : m.entries()) {
                boolean present = false;
                for (Entry x : merged) present |= x.key().equals(e.key());
                if (!present) merged.add(e);
            }
        } else if (value instanceof Sequence s) {
            for (YamlNode item : s.items()) mergeInto(merged, item, path);
        } else {
            throw new ConfigException(file, value.line(), value.column(), path, "map merge requires map or sequence of maps as the value");
        }
    }

    private Sequence sequence(int line, int col, String path) throws IOException, ConfigException {
        List<YamlNode> items = new ArrayList<>();
        JsonToken tok;
        while ((tok = parser.nextToken()) != JsonToken.END_ARRAY) {
            items.add(node(tok, path + "[" + items.size() + "]"));
        }
        return new Sequence(List.copyOf(items), line, col);
    }
}
