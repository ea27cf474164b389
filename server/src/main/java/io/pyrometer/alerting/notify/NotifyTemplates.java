package io.pyrometer.alerting.notify;

import io.pyrometer.template.AlertmanagerFunctions;
import io.pyrometer.template.Template;
import io.pyrometer.template.TemplateException;
import io.pyrometer.template.TemplateFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The notification templates of one configuration, as Alertmanager's {@code template.FromGlobs}
 * builds them: its {@code default.tmpl} and {@code email.tmpl} (shipped unchanged as resources next
 * to this class) with the user's {@code templates:} files parsed on top, so a user file can
 * redefine {@code slack.default.title}. Thread-safe; parsed once on first use or by {@link #check()}.
 *
 * <p>{@link #text} is {@code ExecuteTextString}: the config value (e.g.
 * {@code {{ template "slack.default.title" . }}}) is parsed as one more template of the set and
 * executed with {@code missingkey=zero} semantics. {@link #html} is {@code ExecuteHTMLString}; Go
 * runs it through {@code html/template}'s contextual escaping, which Pyrometer approximates by
 * HTML-escaping every string of the data (see {@code server/docs/alertmanager-receivers.md}).
 */
public final class NotifyTemplates {
    private static final List<String> DEFAULT_FILES = List.of("default.tmpl", "email.tmpl");

    /** (name, text) of each file in parse order: the defaults, then the user's. */
    private final List<String[]> sources;
    private final Map<String, TemplateFunction> funcs;
    private volatile Template parsed;
    /** The same files with HTML comments removed from their text, as html/template's escaper does. */
    private volatile Template parsedHtml;

    private NotifyTemplates(List<String[]> sources) {
        this.sources = List.copyOf(sources);
        this.funcs = AlertmanagerFunctions.create();
    }

    /** Alertmanager's built-in templates only. */
    public static NotifyTemplates defaults() {
        return new NotifyTemplates(defaultSources());
    }

    /**
     * The defaults plus {@code files} (already expanded from the config's {@code templates:} globs,
     * relative names joined with the config file's directory), parsed in the order given.
     *
     * @throws IOException when a file cannot be read
     */
    public static NotifyTemplates load(List<Path> files) throws IOException {
        List<String[]> s = defaultSources();
        for (Path p : files) s.add(new String[]{p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8)});
        return new NotifyTemplates(s);
    }

    /** The defaults plus template texts given directly (name, text), for tests and generated configs. */
    public static NotifyTemplates ofTexts(Map<String, String> namedTexts) {
        List<String[]> s = defaultSources();
        for (Map.Entry<String, String> e : namedTexts.entrySet()) s.add(new String[]{e.getKey(), e.getValue()});
        return new NotifyTemplates(s);
    }

    private static List<String[]> defaultSources() {
        List<String[]> s = new ArrayList<>();
        for (String f : DEFAULT_FILES) {
            try (InputStream in = NotifyTemplates.class.getResourceAsStream(f)) {
                if (in == null) throw new IllegalStateException("resource " + f + " missing from the build");
                s.add(new String[]{f, new String(in.readAllBytes(), StandardCharsets.UTF_8)});
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return s;
    }

    /** Parses every file now; a syntax error names the file and line (what the router reports at load). */
    public void check() throws TemplateException {
        set();
        htmlSet();
    }

    private Template set() throws TemplateException {
        Template t = parsed;
        if (t == null) {
            synchronized (this) {
                t = parsed;
                if (t == null) parsed = t = parseAll(false);
            }
        }
        return t;
    }

    private Template htmlSet() throws TemplateException {
        Template t = parsedHtml;
        if (t == null) {
            synchronized (this) {
                t = parsedHtml;
                if (t == null) parsedHtml = t = parseAll(true);
            }
        }
        return t;
    }

    private Template parseAll(boolean html) throws TemplateException {
        String[] first = sources.getFirst();
        Template t = Template.parse(first[0], html ? HtmlEscaping.stripComments(first[1]) : first[1], funcs, "missingkey=zero");
        for (String[] s : sources.subList(1, sources.size())) t = t.parseMore(s[0], html ? HtmlEscaping.stripComments(s[1]) : s[1]);
        return t;
    }

    /** {@code ExecuteTextString}: "" for "", otherwise {@code text} parsed into the set and executed. */
    public String text(String text, Object data) throws TemplateException {
        if (text.isEmpty()) return "";
        return set().parseMore("__notify_text", text).executeTemplate("__notify_text", data);
    }

    /** {@code ExecuteHTMLString}, with the data's strings HTML-escaped (see the class comment). */
    public String html(String text, TemplateData.Data data) throws TemplateException {
        if (text.isEmpty()) return "";
        return htmlSet().parseMore("__notify_html", HtmlEscaping.stripComments(text))
                .executeTemplate("__notify_html", HtmlEscaping.escape(data));
    }

    /**
     * {@link #text} for an integration: a template error becomes a permanent {@link NotifyException}
     * (the same templates fail the same way on a retry), naming the integration and the field.
     */
    String render(String what, String field, String text, TemplateData.Data data) throws NotifyException {
        try {
            return text(text, data);
        } catch (TemplateException e) {
            throw NotifyException.permanent(what + ": template for " + field + " failed [error=" + e.getMessage() + "]", e);
        }
    }
}
