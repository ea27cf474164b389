package io.pyrometer.operator.generate;

import io.pyrometer.operator.crd.Tolerant;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the fields of a monitoring.coreos.com resource that the model accepted but this operator
 * does not act on ({@link Tolerant#unmodelled()}, anywhere in the tree), as paths like
 * {@code spec.endpoints[0].basicAuth}, so they can be reported instead of silently ignored.
 */
public final class UnsupportedFields {
    private UnsupportedFields() {}

    public static List<String> of(Tolerant spec, String path) {
        List<String> out = new ArrayList<>();
        walk(spec, path, out);
        return out;
    }

    private static void walk(Object o, String path, List<String> out) {
        if (!(o instanceof Tolerant t)) return;
        for (String k : t.unmodelled().keySet()) out.add(path + "." + k);
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || !Modifier.isPublic(f.getModifiers())) continue;
                Object v;
                try {
                    v = f.get(o);
                } catch (IllegalAccessException e) {
                    continue;
                }
                String name = jsonName(f);
                if (v instanceof Tolerant) {
                    walk(v, path + "." + name, out);
                } else if (v instanceof List<?> l) {
                    for (int i = 0; i < l.size(); i++) walk(l.get(i), path + "." + name + "[" + i + "]", out);
                }
            }
        }
    }

    private static String jsonName(Field f) {
        var p = f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
        return p != null && !p.value().isEmpty() ? p.value() : f.getName();
    }
}
