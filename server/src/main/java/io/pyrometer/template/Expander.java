package io.pyrometer.template;

import java.util.Map;

/**
 * Prometheus's {@code template.Expander}: one template text expanded with Prometheus's function
 * library ({@code humanize}, {@code query}, {@code first}, {@code label}, ...) against one data
 * value, as the rules engine does for alert labels and annotations.
 *
 * <p>For alert templates the caller prepends Prometheus's variable definitions (see
 * {@link #alertDefinitions()}) and passes {@link #alertData}; on failure Prometheus shows
 * {@code "<error expanding template: " + e.getMessage() + ">"} as the value.
 *
 * <p>As Prometheus does, the text is parsed on every {@link #expand()} with
 * {@code missingkey=zero}; a caller expanding the same text often can parse once with
 * {@link #parse} and execute the returned {@link Template} (same functions, same options).
 */
public final class Expander {
    private final String text;
    private final String name;
    private final Object data;
    private final long timestampMs;
    private final QueryFunc queryFunc;
    private final String externalUrl;

    public Expander(String text, String name, Object data, long timestampMs, QueryFunc queryFunc, String externalUrl) {
        this.text = text;
        this.name = name;
        this.data = data;
        this.timestampMs = timestampMs;
        this.queryFunc = queryFunc;
        this.externalUrl = externalUrl;
    }

    /** Expands the text; the exception message is what Prometheus prints after "error expanding template: ". */
    public String expand() throws TemplateException {
        Template t = parse(name, text, timestampMs, queryFunc, externalUrl);
        try {
            return t.execute(data);
        } catch (TemplateException e) {
            throw new TemplateException("error executing template " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code text} with Prometheus's functions and {@code missingkey=zero}; the error is
     * wrapped as Prometheus wraps it ({@code error parsing template NAME: ...}).
     */
    public static Template parse(String name, String text, long timestampMs, QueryFunc queryFunc, String externalUrl)
            throws TemplateException {
        try {
            return Template.parse(name, text, PrometheusFunctions.create(timestampMs, queryFunc, externalUrl), "missingkey=zero");
        } catch (TemplateException e) {
            throw new TemplateException("error parsing template " + name + ": " + e.getMessage(), e);
        }
    }

    /** Checks that {@code text} parses with Prometheus's functions (what {@code promtool check rules} does). */
    public static void checkParses(String name, String text) throws TemplateException {
        Template.parse(name, text, PrometheusFunctions.create(0, null, ""), "missingkey=zero");
    }

    /**
     * {@code {{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}},
     * prepended by the rules engine to every alert label and annotation template.
     */
    public static String alertDefinitions() {
        return "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}";
    }

    /** Prometheus's {@code AlertTemplateData}: the data value alert templates execute against. */
    public static Object alertData(Map<String, String> labels, Map<String, String> externalLabels, String externalUrl, double value) {
        return new AlertTemplateData(labels, externalLabels, externalUrl, value);
    }

    /** The anonymous struct Prometheus's AlertTemplateData returns; Go names its type by its fields. */
    private record AlertTemplateData(Map<String, String> labels, Map<String, String> externalLabels, String externalUrl,
                                     double value) implements GoObject {
        @Override
        public Object field(String name) throws TemplateException {
            return switch (name) {
                case "Labels" -> labels == null ? Map.of() : labels;
                case "ExternalLabels" -> externalLabels == null ? Map.of() : externalLabels;
                case "ExternalURL" -> externalUrl == null ? "" : externalUrl;
                case "Value" -> value;
                default -> throw GoObject.noSuchField(this, name);
            };
        }

        @Override
        public String typeName() {
            return "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }";
        }

        @Override
        public String toString() {
            return "{" + GoFmt.formatV(labels) + " " + GoFmt.formatV(externalLabels) + " " + externalUrl + " " + GoFmt.formatV(value) + "}";
        }
    }
}
