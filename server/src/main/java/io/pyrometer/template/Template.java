package io.pyrometer.template;

import java.util.Map;
import java.util.Set;

/**
 * A parsed set of Go {@code text/template} templates: the main one plus every {@code define}.
 * Immutable and thread-safe once parsed; execution state lives in each call.
 *
 * <p>{@code Template.parse("t", "{{ .Name | printf \"%q\" }}", Map.of()).execute(Map.of("Name", "x"))}
 * returns {@code "x"} quoted. Go's builtins ({@code and or not len index slice print printf println
 * html js urlquery eq ne lt le gt ge call}) are always present; {@code funcs} adds or overrides.
 */
public final class Template {
    // STUB: the template helper replaces this class body with the real parser and interpreter.
    private Template() {}

    /** Parses {@code text} as the template named {@code name}; errors carry Go's wording and position. */
    public static Template parse(String name, String text, Map<String, TemplateFunction> funcs) throws TemplateException {
        throw new TemplateException("template engine not built yet");
    }

    /** A new set with this one's templates plus those of {@code text} (Alertmanager's template files). */
    public Template parseMore(String name, String text) throws TemplateException {
        throw new TemplateException("template engine not built yet");
    }

    /** Executes the main template against {@code data} (see the package doc for the value model). */
    public String execute(Object data) throws TemplateException {
        throw new TemplateException("template engine not built yet");
    }

    /** Executes the template named {@code name} (a {@code define}d one or the main one). */
    public String executeTemplate(String name, Object data) throws TemplateException {
        throw new TemplateException("template engine not built yet");
    }

    /** Names of every template in the set, including {@code define}d ones. */
    public Set<String> templateNames() {
        return Set.of();
    }
}
