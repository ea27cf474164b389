package io.pyrometer.config;

import java.util.List;

/**
 * A parsed YAML node with the 1-based line and column where it starts, so every error can point at
 * its source. Built by {@link YamlTree}; aliases are already resolved and merge keys applied.
 */
public sealed interface YamlNode {
    int line();

    int column();

    /** The YAML tag name yaml.v2 prints in "cannot unmarshal !!str `x` into ..." messages. */
    String tag();

    /** A scalar; {@code kind} says how YAML 1.1 resolved it (quoted scalars are always STRING). */
    record Scalar(String text, Kind kind, int line, int column) implements YamlNode {
        public String tag() {
            return switch (kind) {
                case STRING -> "!!str";
                case INT -> "!!int";
                case FLOAT -> "!!float";
                case BOOL -> "!!bool";
                case NULL -> "!!null";
            };
        }
    }

    /** A mapping, entries in document order; keys are unique (duplicates are rejected while parsing). */
    record Mapping(List<Entry> entries, int line, int column) implements YamlNode {
        public String tag() { return "!!map"; }

        public Entry entry(String key) {
            for (Entry e : entries) if (e.key().equals(key)) return e;
            return null;
        }
    }

    /** A sequence. */
    record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {
        public String tag() { return "!!seq"; }
    }

    /** One key of a mapping with the key's own position (errors about the key point there). */
    record Entry(String key, int line, int column, YamlNode value) {}

    enum Kind { STRING, INT, FLOAT, BOOL, NULL }

    static boolean isNull(YamlNode n) {
        return n == null || n instanceof Scalar s && s.kind() == Kind.NULL;
    }

    /** A list item with nothing after its dash (Jackson reports it as an empty string, yaml.v2 as null). */
    static boolean isEmptyItem(YamlNode n) {
        return isNull(n) || n instanceof Scalar s && s.kind() == Kind.STRING && s.text().isEmpty();
    }
}
