package io.pyrometer.config;

import io.pyrometer.config.YamlNode.Entry;
import io.pyrometer.config.YamlNode.Kind;
import io.pyrometer.config.YamlNode.Mapping;
import io.pyrometer.config.YamlNode.Scalar;
import io.pyrometer.config.YamlNode.Sequence;
import io.pyrometer.model.ByteSizes;
import io.pyrometer.model.Durations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Strict, typed access to one YAML mapping, the way Prometheus's {@code yaml.UnmarshalStrict} reads a
 * struct: every key a decoder asks for is recorded, and {@link #finish()} rejects any other key with
 * a did-you-mean hint. Conversions follow yaml.v2: absent keys keep the default, explicit nulls become
 * the zero value, and a wrong scalar type reads {@code cannot unmarshal !!str `abc` into uint}.
 */
public final class Fields {
    public final Path file;
    public final String path;
    public final YamlNode node;
    private final Mapping map;
    private final String what;
    private final Set<String> asked = new LinkedHashSet<>();

    private Fields(Path file, String path, YamlNode node, Mapping map, String what) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.map = map;
        this.what = what;
    }

    /**
     * Opens a mapping; null or an explicit YAML null reads as an empty mapping.
     *
     * @param what how the section is named in "field x not found in ..." messages
     */
    public static Fields of(Path file, String path, YamlNode node, String what) throws ConfigException {
        if (YamlNode.isNull(node)) return new Fields(file, path, node, new Mapping(List.of(), 0, 0), what);
        if (node instanceof Mapping m) return new Fields(file, path, node, m, what);
        throw typeError(file, path, node, what);
    }

    // ---- positions and errors

    public String path(String key) { return path.isEmpty() ? key : path + "." + key; }

    public static String index(String path, int i) { return path + "[" + i + "]"; }

    /** An error pointing at a key's value (or at the section when the key is absent). */
    public ConfigException error(String key, String message) {
        Entry e = map.entry(key);
        if (e == null) return error(file, node, path, message);
        return e.value().line() > 0
                ? error(file, e.value(), path(key), message)
                : new ConfigException(file, e.line(), e.column(), path(key), message);
    }

    /** An error about the whole section. */
    public ConfigException error(String message) { return error(file, node, path, message); }

    public static ConfigException error(Path file, YamlNode at, String path, String message) {
        int line = at == null ? 0 : at.line(), col = at == null ? 0 : at.column();
        return new ConfigException(file, line, col, path, message);
    }

    public static ConfigException typeError(Path file, String path, YamlNode n, String goType) {
        String shown = n instanceof Scalar s ? n.tag() + " `" + s.text() + "`" : n.tag();
        return error(file, n, path, "cannot unmarshal " + shown + " into " + goType);
    }

    public boolean has(String key) {
        asked.add(key);
        return map.entry(key) != null;
    }

    /** The raw node of a key, or null when absent; marks the key as known. */
    public YamlNode get(String key) {
        asked.add(key);
        Entry e = map.entry(key);
        return e == null ? null : e.value();
    }

    // ---- scalars

    public String string(String key, String def) throws ConfigException {
        YamlNode n = get(key);
        if (n == null) return def;
        return scalarText(file, path(key), n, "string");
    }

    public static String scalarText(Path file, String path, YamlNode n, String goType) throws ConfigException {
        if (YamlNode.isNull(n)) return "";
        if (n instanceof Scalar s) return s.text();
        throw typeError(file, path, n, goType);
    }

    public boolean bool(String key, boolean def) throws ConfigException {
        YamlNode n = get(key);
        if (n == null) return def;
        if (YamlNode.isNull(n)) return false;
        if (n instanceof Scalar s && s.kind() == Kind.BOOL) {
            return switch (s.text().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "y" -> true;
                default -> false;
            };
        }
        throw typeError(file, path(key), n, "bool");
    }

    /** A Go {@code uint}: a non-negative integer. */
    public long uint(String key, long def) throws ConfigException {
        YamlNode n = get(key);
        if (n == null) return def;
        if (YamlNode.isNull(n)) return 0;
        Long v = n instanceof Scalar s ? integer(s) : null;
        if (v == null || v < 0) throw typeError(file, path(key), n, "uint");
        return v;
    }

    /** A Go {@code int64}. */
    public long int64(String key, long def) throws ConfigException {
        return integer(key, def, "int64");
    }

    /** A Go {@code int}. */
    public int int32(String key, int def) throws ConfigException {
        long v = integer(key, def, "int");
        if (v != (int) v) throw error(key, "cannot unmarshal !!int `" + v + "` into int");
        return (int) v;
    }

    private long integer(String key, long def, String goType) throws ConfigException {
        YamlNode n = get(key);
        if (n == null) return def;
        if (YamlNode.isNull(n)) return 0;
        Long v = n instanceof Scalar s ? integer(s) : null;
        if (v == null) throw typeError(file, path(key), n, goType);
        return v;
    }

    public double float64(String key, double def) throws ConfigException {
        YamlNode n = get(key);
        if (n == null) return def;
        if (YamlNode.isNull(n)) return 0;
        if (n instanceof Scalar s && (s.kind() == Kind.INT || s.kind() == Kind.FLOAT)) {
            Long i = integer(s);
            if (i != null) return i;
            try {
                return Double.parseDouble(s.text().replace("_", ""));
            } catch (NumberFormatException e) {
                String t = s.text().toLowerCase(Locale.ROOT);
                if (t.endsWith(".inf")) return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                if (t.equals(".nan")) return Double.NaN;
            }
        }
        throw typeError(file, path(key), n, "float64");
    }

    /** Integers as YAML 1.1 writes them: {@code 1_000}, {@code 0x1F}, {@code 0o17}/{@code 017}, {@code 0b101}. */
    public static Long integer(Scalar s) {
        if (s.kind() == Kind.FLOAT) {
            try {
                double d = Double.parseDouble(s.text().replace("_", ""));
                return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? (long) d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (s.kind() != Kind.INT) return null;
        String t = s.text().replace("_", "");
        boolean neg = t.startsWith("-");
        if (neg || t.startsWith("+")) t = t.substring(1);
        try {
            long v;
            if (t.startsWith("0x") || t.startsWith("0X")) v = Long.parseLong(t.substring(2), 16);
            else if (t.startsWith("0o")) v = Long.parseLong(t.substring(2), 8);
            else if (t.startsWith("0b")) v = Long.parseLong(t.substring(2), 2);
            else if (t.length() > 1 && t.startsWith("0")) v = Long.parseLong(t.substring(1), 8);
            else v = Long.parseLong(t);
            return neg ? -v : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A Prometheus duration ({@code model.Duration}) in milliseconds. */
    public long durationMs(String key, long def) throws ConfigException {
        YamlNode n = get(key);
        if (n == null) return def;
        if (YamlNode.isNull(n)) return 0;
        String text = scalarText(file, path(key), n, "model.Duration");
        try {
            return Durations.parseMs(text);
        } catch (IllegalArgumentException e) {
            throw error(file, n, path(key), e.getMessage());
        }
    }

    /** A byte size ({@code units.Base2Bytes}). */
    public long bytes(String key, long def) throws ConfigException {
        YamlNode n = get(key);
        if (n == null) return def;
        if (YamlNode.isNull(n)) return 0;
        String text = scalarText(file, path(key), n, "units.Base2Bytes");
        try {
            return ByteSizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(file, n, path(key), e.getMessage() + "; sizes need a unit: B, KB, MB, GB, TB, PB, EB (powers of 1024)");
        }
    }

    // ---- collections

    /** Children of a sequence key (empty when absent or null). */
    public List<YamlNode> list(String key, String goType) throws ConfigException {
        YamlNode n = get(key);
        return items(file, path(key), n, goType);
    }

    public static List<YamlNode> items(Path file, String path, YamlNode n, String goType) throws ConfigException {
        if (YamlNode.isNull(n)) return List.of();
        if (n instanceof Sequence s) return s.items();
        throw typeError(file, path, n, goType);
    }

    public List<String> strings(String key) throws ConfigException {
        YamlNode n = get(key);
        return stringList(file, path(key), n);
    }

    public static List<String> stringList(Path file, String path, YamlNode n) throws ConfigException {
        List<YamlNode> items = items(file, path, n, "[]string");
        List<String> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) out.add(scalarText(file, index(path, i), items.get(i), "string"));
        return out;
    }

    /** Entries of a mapping-valued key (empty when absent or null). */
    public List<Entry> entries(String key, String goType) throws ConfigException {
        YamlNode n = get(key);
        if (YamlNode.isNull(n)) return List.of();
        if (n instanceof Mapping m) return m.entries();
        throw typeError(file, path(key), n, goType);
    }

    public Map<String, String> stringMap(String key) throws ConfigException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Entry e : entries(key, "map[string]string")) {
            out.put(e.key(), scalarText(file, path(key) + "." + e.key(), e.value(), "string"));
        }
        return out;
    }

    /** The key's position, for errors about a key itself. */
    public Entry entry(String key) {
        asked.add(key);
        return map.entry(key);
    }

    // ---- strictness

    /**
     * Rejects keys nobody asked for: mechanisms Prometheus has and Pyrometer not yet (listed in
     * {@code unsupported}) get a "not supported by Pyrometer yet" message, anything else a
     * "field x not found" one with the closest known key.
     */
    public void finish(Map<String, String> unsupported) throws ConfigException {
        for (Entry e : map.entries()) {
            if (asked.contains(e.key())) continue;
            String hint = unsupported.get(e.key());
            if (hint != null) {
                throw new ConfigException(file, e.line(), e.column(), path(e.key()),
                        e.key() + " is not supported by Pyrometer yet" + (hint.isEmpty() ? "" : "; " + hint));
            }
            if (e.key().isEmpty()) {
                throw new ConfigException(file, e.line(), e.column(), path, "empty key in " + what + "; give the key a name or remove it");
            }
            String msg = "field " + e.key() + " not found in " + what;
            String best = DidYouMean.closest(e.key(), asked);
            if (best != null) msg += "; did you mean \"" + best + "\"?";
            throw new ConfigException(file, e.line(), e.column(), path(e.key()), msg);
        }
    }

    public void finish() throws ConfigException { finish(Map.of()); }
}
