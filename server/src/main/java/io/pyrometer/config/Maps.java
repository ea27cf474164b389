package io.pyrometer.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable copies that keep the order the user wrote (Map.copyOf would not). */
final class Maps {
    private Maps() {}

    static <V> Map<String, V> copyOf(Map<String, V> m) {
        return m.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    static Map<String, List<String>> copyOfListMap(Map<String, List<String>> m) {
        if (m.isEmpty()) return Map.of();
        LinkedHashMap<String, List<String>> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(c);
    }
}
