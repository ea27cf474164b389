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
 */
public final class Expander {
    // STUB: the template helper replaces this with the real implementation.
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
        throw new TemplateException("template engine not built yet: " + name + " " + text + " " + data + " " + timestampMs + " " + queryFunc + " " + externalUrl);
    }

    /** Checks that {@code text} parses with Prometheus's functions (what {@code promtool check rules} does). */
    public static void checkParses(String name, String text) throws TemplateException {
        throw new TemplateException("template engine not built yet");
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
        return Map.of("Labels", labels, "ExternalLabels", externalLabels, "ExternalURL", externalUrl, "Value", value);
    }
}
