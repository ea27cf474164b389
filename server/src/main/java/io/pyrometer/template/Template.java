package io.pyrometer.template;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed set of Go {@code text/template} templates: the main one plus every {@code define}.
 * Immutable and thread-safe once parsed; execution state lives in each call.
 *
 * <p>{@code Template.parse("t", "{{ .Name | printf \"%q\" }}", Map.of()).execute(Map.of("Name", "x"))}
 * returns {@code "x"} quoted. Go's builtins ({@code and or not len index slice print printf println
 * html js urlquery eq ne lt le gt ge call}) are always present; {@code funcs} adds or overrides.
 *
 * <p>Options are Go's {@code Template.Option}: {@code missingkey=default} (or {@code invalid}: a
 * missing map key prints {@code <no value>}), {@code missingkey=zero} (the zero value of the map's
 * element type) and {@code missingkey=error} (execution stops).
 */
public final class Template {
    /** Go's {@code missingkey} option. */
    enum MissingKey { INVALID, ZERO, ERROR }

    private final String name;
    private final Map<String, Parser.Tree> trees;
    private final Map<String, TemplateFunction> funcs;
    private final MissingKey missingKey;

    private Template(String name, Map<String, Parser.Tree> trees, Map<String, TemplateFunction> funcs, MissingKey missingKey) {
        this.name = name;
        this.trees = trees;
        this.funcs = funcs;
        this.missingKey = missingKey;
    }

    /** Parses {@code text} as the template named {@code name}; errors carry Go's wording and position. */
    public static Template parse(String name, String text, Map<String, TemplateFunction> funcs) throws TemplateException {
        return parse(name, text, funcs, new String[0]);
    }

    /**
     * Like {@link #parse(String, String, Map)} with Go's options, e.g. {@code "missingkey=zero"}
     * (what Prometheus and Alertmanager use).
     */
    public static Template parse(String name, String text, Map<String, TemplateFunction> funcs, String... options)
            throws TemplateException {
        Map<String, TemplateFunction> fs = new HashMap<>();
        if (funcs != null) {
            for (Map.Entry<String, TemplateFunction> e : funcs.entrySet()) {
                if (!goodName(e.getKey())) throw new IllegalArgumentException("function name " + GoFmt.quote(e.getKey()) + " is not a valid identifier");
                fs.put(e.getKey(), e.getValue());
            }
        }
        Template empty = new Template(name, Map.of(), Collections.unmodifiableMap(fs), parseOptions(options));
        return empty.withParsed(name, text);
    }

    /** A new set with this one's templates plus those of {@code text} (Alertmanager's template files). */
    public Template parseMore(String name, String text) throws TemplateException {
        return withParsed(name, text);
    }

    /** A copy of this set with Go's options applied ({@code missingkey=zero} ...). */
    public Template option(String... options) {
        return new Template(name, trees, funcs, parseOptions(options));
    }

    /** A copy of this set with {@code more} functions added (or overriding), as Go's {@code Funcs}. */
    public Template withFuncs(Map<String, TemplateFunction> more) {
        Map<String, TemplateFunction> fs = new HashMap<>(funcs);
        fs.putAll(more);
        return new Template(name, trees, Collections.unmodifiableMap(fs), missingKey);
    }

    private Template withParsed(String treeName, String text) throws TemplateException {
        Map<String, Parser.Tree> parsed = new LinkedHashMap<>();
        Parser.parse(treeName, text, this::hasFunction, parsed);
        Map<String, Parser.Tree> all = new HashMap<>(trees);
        for (Map.Entry<String, Parser.Tree> e : parsed.entrySet()) {
            Parser.Tree old = all.get(e.getKey());
            // As Go's associate: an empty redefinition does not replace an existing template.
            if (old != null && Parser.isEmptyTree(e.getValue().root())) continue;
            all.put(e.getKey(), e.getValue());
        }
        return new Template(name, Collections.unmodifiableMap(all), funcs, missingKey);
    }

    private static MissingKey parseOptions(String... options) {
        MissingKey mk = MissingKey.INVALID;
        for (String opt : options) {
            if (opt.startsWith("missingkey=")) {
                switch (opt.substring("missingkey=".length())) {
                    case "invalid", "default" -> mk = MissingKey.INVALID;
                    case "zero" -> mk = MissingKey.ZERO;
                    case "error" -> mk = MissingKey.ERROR;
                    default -> throw new IllegalArgumentException("unrecognized option: " + opt);
                }
            } else {
                throw new IllegalArgumentException("unrecognized option: " + opt);
            }
        }
        return mk;
    }

    private static boolean goodName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); ) {
            int r = name.codePointAt(i);
            if (r != '_' && (i == 0 ? !Character.isLetter(r) : !Character.isLetterOrDigit(r))) return false;
            i += Character.charCount(r);
        }
        return true;
    }

    boolean hasFunction(String fn) { return funcs.containsKey(fn) || Builtins.NAMES.contains(fn); }

    TemplateFunction function(String fn) { return funcs.get(fn); }

    Parser.Tree lookup(String templateName) { return trees.get(templateName); }

    MissingKey missingKey() { return missingKey; }

    /** The name given at {@link #parse}. */
    public String name() { return name; }

    /** Executes the main template against {@code data} (see the package doc for the value model). */
    public String execute(Object data) throws TemplateException {
        Parser.Tree t = trees.get(name);
        if (t == null) {
            throw new TemplateException("template: " + name + ": " + GoFmt.quote(name) + " is an incomplete or empty template");
        }
        return new Exec(this).run(t, data);
    }

    /** Executes the template named {@code name} (a {@code define}d one or the main one). */
    public String executeTemplate(String templateName, Object data) throws TemplateException {
        Parser.Tree t = trees.get(templateName);
        if (t == null) {
            throw new TemplateException("template: no template " + GoFmt.quote(templateName) + " associated with template " + GoFmt.quote(name));
        }
        return new Exec(this).run(t, data);
    }

    /** Names of every template in the set, including {@code define}d ones. */
    public Set<String> templateNames() { return Collections.unmodifiableSet(new TreeSet<>(trees.keySet())); }

    /** Whether the set has a template called {@code templateName}. */
    public boolean hasTemplate(String templateName) { return trees.containsKey(templateName); }
}
