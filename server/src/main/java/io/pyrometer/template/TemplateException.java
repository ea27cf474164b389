package io.pyrometer.template;

/**
 * A template that does not parse, or fails while executing. The message follows Go's wording
 * ({@code template: NAME:LINE:COL: executing "NAME" at <.x>: ...}) because Prometheus shows it to
 * users verbatim in annotations.
 */
public class TemplateException extends Exception {
    public TemplateException(String message) { super(message); }

    public TemplateException(String message, Throwable cause) { super(message, cause); }
}
