package io.pyrometer.template;

import java.util.List;

/** A function callable from a template ({@code {{ humanize $value }}}). */
@FunctionalInterface
public interface TemplateFunction {
    /** Returns the result; throwing makes the template execution fail with the message. */
    Object apply(List<Object> args) throws TemplateException;
}
