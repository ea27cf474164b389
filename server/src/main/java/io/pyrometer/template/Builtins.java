package io.pyrometer.template;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Go's builtin template functions ({@code text/template/funcs.go}): {@code and or not len index
 * slice print printf println html js urlquery eq ne lt le gt ge call}, with Go's errors.
 * {@code and}/{@code or} short-circuit in {@link Exec}; the bodies here are never called for them.
 */
final class Builtins {
    private Builtins() {}

    static final Set<String> NAMES = Set.of("and", "call", "html", "index", "slice", "js", "len", "not", "or",
            "print", "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne");

    private static final Map<String, TemplateFunction> FUNCS = Map.ofEntries(
            Map.entry("and", TypedFunction.variadic(a -> a.get(a.size() - 1), "any", "any")),
            Map.entry("or", TypedFunction.variadic(a -> a.get(a.size() - 1), "any", "any")),
            Map.entry("not", TypedFunction.of(a -> !Values.truth(a.get(0)), "any")),
            Map.entry("len", TypedFunction.of(a -> length(a.get(0)), "any")),
            Map.entry("index", TypedFunction.variadic(Builtins::index, "any", "any")),
            Map.entry("slice", TypedFunction.variadic(Builtins::slice, "any", "any")),
            Map.entry("print", TypedFunction.variadic(GoFmt::sprint, "any")),
            Map.entry("println", TypedFunction.variadic(GoFmt::sprintln, "any")),
            Map.entry("printf", TypedFunction.variadic(a -> GoFmt.sprintf((String) a.get(0), a.subList(1, a.size())), "string", "any")),
            Map.entry("html", TypedFunction.variadic(a -> htmlEscape(evalArgs(a)), "any")),
            Map.entry("js", TypedFunction.variadic(a -> jsEscape(evalArgs(a)), "any")),
            Map.entry("urlquery", TypedFunction.variadic(a -> queryEscape(evalArgs(a)), "any")),
            Map.entry("eq", TypedFunction.variadic(a -> eq(a.get(0), a.subList(1, a.size())), "any", "any")),
            Map.entry("ne", TypedFunction.of(a -> !eq(a.get(0), a.subList(1, 2)), "any", "any")),
            Map.entry("lt", TypedFunction.of(a -> lt(a.get(0), a.get(1)), "any", "any")),
            Map.entry("le", TypedFunction.of(a -> lt(a.get(0), a.get(1)) || eq(a.get(0), a.subList(1, 2)), "any", "any")),
            Map.entry("gt", TypedFunction.of(a -> !(lt(a.get(0), a.get(1)) || eq(a.get(0), a.subList(1, 2))), "any", "any")),
            Map.entry("ge", TypedFunction.of(a -> !lt(a.get(0), a.get(1)), "any", "any")),
            // call receives the callee's name first (as Go's evalCall arranges).
            Map.entry("call", TypedFunction.variadic(Builtins::call, "any", "any")));

    static TemplateFunction get(String name) { return FUNCS.get(name); }

    // ---- len, index, slice

    private static Object length(Object item) throws TemplateException {
        return switch (item) {
            case null -> throw new TemplateException("len of nil pointer");
            case String s -> (long) utf8Length(s);
            case Collection<?> c -> (long) c.size();
            case Map<?, ?> m -> (long) m.size();
            default -> throw new TemplateException("len of type " + GoFmt.typeName(item));
        };
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    private static int indexArg(Object index, int cap) throws TemplateException {
        long x;
        switch (index) {
            case Long l -> x = l;
            case null -> throw new TemplateException("cannot index slice/array with nil");
            default -> throw new TemplateException("cannot index slice/array with type " + GoFmt.typeName(index));
        }
        if (x < 0 || x > cap) throw new TemplateException("index out of range: " + x);
        return (int) x;
    }

    private static Object index(List<Object> args) throws TemplateException {
        Object item = args.get(0);
        if (item == null) throw new TemplateException("index of untyped nil");
        for (int k = 1; k < args.size(); k++) {
            Object index = args.get(k);
            switch (item) {
                case null -> throw new TemplateException("index of nil pointer");
                case List<?> l -> {
                    int x = indexArg(index, l.size());
                    if (x >= l.size()) throw new TemplateException("index out of range: " + x);
                    item = Values.norm(l.get(x));
                }
                case Collection<?> c -> {
                    int x = indexArg(index, c.size());
                    if (x >= c.size()) throw new TemplateException("index out of range: " + x);
                    item = Values.norm(new ArrayList<>(c).get(x));
                }
                case String s -> {
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    int x = indexArg(index, b.length);
                    if (x >= b.length) throw new TemplateException("index out of range: " + x);
                    item = (long) (b[x] & 0xff);
                }
                case Map<?, ?> m -> {
                    if (index == null) throw new TemplateException("value is nil; should be of type string");
                    if (!(index instanceof String key)) {
                        throw new TemplateException("value has type " + GoFmt.typeName(index) + "; should be string");
                    }
                    item = m.containsKey(key) ? Values.norm(m.get(key)) : Values.zeroElem(m);
                }
                default -> throw new TemplateException("can't index item of type " + GoFmt.typeName(item));
            }
        }
        return item;
    }

    private static Object slice(List<Object> args) throws TemplateException {
        Object item = args.get(0);
        if (item == null) throw new TemplateException("slice of untyped nil");
        int nIdx = args.size() - 1;
        if (nIdx > 3) throw new TemplateException("too many slice indexes: " + nIdx);
        int len;
        byte[] bytes = null;
        switch (item) {
            case String s -> {
                if (nIdx == 3) throw new TemplateException("cannot 3-index slice a string");
                bytes = s.getBytes(StandardCharsets.UTF_8);
                len = bytes.length;
            }
            case List<?> l -> len = l.size();
            default -> throw new TemplateException("can't slice item of type " + GoFmt.typeName(item));
        }
        int[] idx = {0, len, len};
        for (int k = 0; k < nIdx; k++) idx[k] = indexArg(args.get(k + 1), len);
        if (idx[0] > idx[1]) throw new TemplateException("invalid slice index: " + idx[0] + " > " + idx[1]);
        if (nIdx == 3 && idx[1] > idx[2]) throw new TemplateException("invalid slice index: " + idx[1] + " > " + idx[2]);
        if (bytes != null) return new String(bytes, idx[0], idx[1] - idx[0], StandardCharsets.UTF_8);
        return new ArrayList<>(((List<?>) item).subList(idx[0], idx[1]));
    }

    // ---- escaping

    /** Go's evalArgs: a single string as is, else Sprint with nil shown as {@code <no value>}. */
    static String evalArgs(List<Object> args) {
        if (args.size() == 1 && args.get(0) instanceof String s) return s;
        List<Object> printable = new ArrayList<>(args.size());
        for (Object a : args) printable.add(a == null ? "<no value>" : a);
        return GoFmt.sprint(printable);
    }

    static String htmlEscape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '\0' -> "\uFFFD";
                case '"' -> "&#34;";
                case '\'' -> "&#39;";
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                default -> null;
            };
            if (r == null) {
                if (b != null) b.append(c);
                continue;
            }
            if (b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
            b.append(r);
        }
        return b == null ? s : b.toString();
    }

    static String jsEscape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int r = s.codePointAt(i);
            i += Character.charCount(r);
            switch (r) {
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                case '"' -> b.append("\\\"");
                case '<' -> b.append("\\u003C");
                case '>' -> b.append("\\u003E");
                case '&' -> b.append("\\u0026");
                case '=' -> b.append("\\u003D");
                default -> {
                    if (r < ' ') b.append(String.format("\\u%04X", r));
                    else if (r < 0x80 || GoStrconv.isPrint(r)) b.appendCodePoint(r);
                    else b.append(String.format("\\u%04X", r));
                }
            }
        }
        return b.toString();
    }

    /** Go's {@code url.QueryEscape}. */
    static String queryEscape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                b.append((char) c);
            } else if (c == ' ') {
                b.append('+');
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    // ---- comparison

    private enum Kind { INVALID, BOOL, INT, FLOAT, STRING }

    private static Kind basicKind(Object v) {
        return switch (v) {
            case Boolean b -> Kind.BOOL;
            case Long l -> Kind.INT;
            case Duration d -> Kind.INT;
            case Double d -> Kind.FLOAT;
            case String s -> Kind.STRING;
            case null, default -> Kind.INVALID;
        };
    }

    private static long intOf(Object v) { return v instanceof Duration d ? GoTime.durationNanos(d) : (Long) v; }

    /** Go's reflect kind, for comparing non-basic values. */
    private static String reflectKind(Object v) {
        return switch (v) {
            case null -> "invalid";
            case Map<?, ?> m -> "map";
            case Collection<?> c -> "slice";
            case TemplateFunction f -> "func";
            default -> "struct";
        };
    }

    static boolean eq(Object arg1, List<Object> others) throws TemplateException {
        if (others.isEmpty()) throw new TemplateException("missing argument for comparison");
        Kind k1 = basicKind(arg1);
        for (Object arg : others) {
            Kind k2 = basicKind(arg);
            boolean truth = false;
            if (k1 != k2) {
                if (arg1 != null && arg != null) {
                    throw new TemplateException("incompatible types for comparison: " + GoFmt.typeName(arg1) + " and " + GoFmt.typeName(arg));
                }
            } else {
                switch (k1) {
                    case BOOL -> truth = arg1.equals(arg);
                    case FLOAT -> truth = (double) (Double) arg1 == (double) (Double) arg;
                    case INT -> truth = intOf(arg1) == intOf(arg);
                    case STRING -> truth = arg1.equals(arg);
                    default -> {
                        String r1 = reflectKind(arg1);
                        String r2 = reflectKind(arg);
                        if (!r1.equals(r2) && arg1 != null && arg != null) {
                            throw new TemplateException("non-comparable types " + GoFmt.formatV(arg1) + ": " + GoFmt.typeName(arg1)
                                    + ", " + GoFmt.typeName(arg) + ": " + GoFmt.formatV(arg));
                        }
                        if (arg1 == null || arg == null) {
                            truth = arg1 == null && arg == null;
                        } else {
                            if (!r2.equals("struct")) {
                                throw new TemplateException("non-comparable type " + GoFmt.formatV(arg) + ": " + GoFmt.typeName(arg));
                            }
                            truth = equalStructs(arg1, arg);
                        }
                    }
                }
            }
            if (truth) return true;
        }
        return false;
    }

    private static boolean equalStructs(Object a, Object b) {
        if (a instanceof Instant || a instanceof ZonedDateTime) {
            ZonedDateTime x = GoTime.asTime(a);
            ZonedDateTime y = GoTime.asTime(b);
            return y != null && x.toInstant().equals(y.toInstant()) && x.getOffset().equals(y.getOffset());
        }
        return a.equals(b);
    }

    static boolean lt(Object arg1, Object arg2) throws TemplateException {
        Kind k1 = basicKind(arg1);
        if (k1 == Kind.INVALID) throw new TemplateException("invalid type for comparison");
        Kind k2 = basicKind(arg2);
        if (k2 == Kind.INVALID) throw new TemplateException("invalid type for comparison");
        if (k1 != k2) {
            throw new TemplateException("incompatible types for comparison: " + GoFmt.typeName(arg1) + " and " + GoFmt.typeName(arg2));
        }
        return switch (k1) {
            case BOOL, INVALID -> throw new TemplateException("invalid type for comparison");
            case FLOAT -> (Double) arg1 < (Double) arg2;
            case INT -> intOf(arg1) < intOf(arg2);
            case STRING -> GoFmt.compareGoStrings((String) arg1, (String) arg2) < 0;
        };
    }

    // ---- call

    private static Object call(List<Object> args) throws TemplateException {
        String name = (String) args.get(0);
        Object fn = args.get(1);
        List<Object> rest = args.subList(2, args.size());
        if (fn == null) throw new TemplateException("call of nil");
        if (!(fn instanceof TemplateFunction f)) {
            throw new TemplateException("non-function " + name + " of type " + GoFmt.typeName(fn));
        }
        if (f instanceof TypedFunction t) {
            if (t.isVariadic()) {
                if (rest.size() < t.numIn() - 1) {
                    throw new TemplateException("wrong number of args for " + name + ": got " + rest.size() + " want at least " + (t.numIn() - 1));
                }
            } else if (rest.size() != t.numIn()) {
                throw new TemplateException("wrong number of args for " + name + ": got " + rest.size() + " want " + t.numIn());
            }
            for (int i = 0; i < rest.size(); i++) {
                String typ = t.paramType(i);
                Object a = rest.get(i);
                if (a == null) {
                    if (!Values.canBeNil(typ)) throw new TemplateException("arg " + i + ": value is nil; should be of type " + typ);
                } else if (!Values.assignable(a, typ)) {
                    throw new TemplateException("arg " + i + ": value has type " + GoFmt.typeName(a) + "; should be " + typ);
                }
            }
        }
        return f.apply(new ArrayList<>(rest));
    }
}
