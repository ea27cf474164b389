package io.pyrometer.template;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Go semantics of the value model (see the package doc): truth, zero values, assignability. */
final class Values {
    private Values() {}

    /** A {@code map[string]any}: a missing key's zero value is nil, not "" (Prometheus's {@code args}). */
    static final class AnyMap extends LinkedHashMap<String, Object> {
        AnyMap() { }
    }

    /** Java boxes that stand for Go ints and floats become Long and Double. */
    static Object norm(Object v) {
        if (v instanceof Integer i) return (long) i;
        if (v instanceof Short s) return (long) s;
        if (v instanceof Byte b) return (long) b;
        if (v instanceof Float f) return (double) f;
        return v;
    }

    /** Go's isTrue: null when the value has no truth value (never, in this model). */
    static Boolean isTrue(Object v) {
        return switch (v) {
            case null -> false;
            case String s -> !s.isEmpty();
            case Boolean b -> b;
            case Long l -> l != 0;
            case Integer i -> i != 0;
            case Double d -> d != 0;
            case Float f -> f != 0;
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case Duration d -> !d.isZero();
            default -> true;
        };
    }

    static boolean truth(Object v) { return isTrue(v); }

    /** The zero value of a map's element type, for {@code missingkey=zero} and {@code index}. */
    static Object zeroElem(Map<?, ?> m) {
        if (m instanceof AnyMap) return null;
        Object sample = null;
        for (Object v : m.values()) {
            if (v != null) {
                sample = v;
                break;
            }
        }
        return switch (sample) {
            // An empty map is most likely labels or annotations (map[string]string).
            case null -> m.isEmpty() ? "" : null;
            case String s -> "";
            case Long l -> 0L;
            case Integer i -> 0L;
            case Double d -> 0.0;
            case Boolean b -> false;
            default -> null;
        };
    }

    static boolean canBeNil(String typ) {
        return switch (typ) {
            case "string", "int", "float64", "bool", "time.Time", "time.Duration" -> false;
            default -> true;
        };
    }

    static boolean assignable(Object v, String typ) {
        return switch (typ) {
            case "any", "interface {}" -> true;
            case "string" -> v instanceof String;
            case "int" -> v instanceof Long;
            case "float64" -> v instanceof Double;
            case "bool" -> v instanceof Boolean;
            case "time.Time" -> v instanceof Instant || v instanceof ZonedDateTime;
            case "time.Duration" -> v instanceof Duration;
            case "[]string" -> v instanceof Collection<?> c && c.stream().allMatch(x -> x instanceof String);
            case "[]any", "[]interface {}" -> v instanceof Collection<?>;
            case "map[string]string" -> v instanceof Map<?, ?> m && m.values().stream().allMatch(x -> x instanceof String);
            case "map[string]any", "map[string]interface {}" -> v instanceof Map<?, ?>;
            default -> (v instanceof GoObject g && g.typeName().equals(typ)) || GoFmt.typeName(v).equals(typ);
        };
    }
}
