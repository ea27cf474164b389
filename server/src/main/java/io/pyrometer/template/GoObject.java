package io.pyrometer.template;

import java.util.List;

/**
 * A Go struct or named type as the template engine sees it: {@code .Name} resolves a field or a
 * method without arguments; {@code .Name arg1 arg2} calls a method with arguments.
 */
public interface GoObject {
    /** The value of field or zero-argument method {@code name}; throws when there is none. */
    Object field(String name) throws TemplateException;

    /** Calls method {@code name} with {@code args}; throws when there is none. */
    default Object method(String name, List<Object> args) throws TemplateException {
        if (args.isEmpty()) return field(name);
        throw new TemplateException("can't call method " + name + " with arguments");
    }
}
