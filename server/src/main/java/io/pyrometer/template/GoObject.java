package io.pyrometer.template;

import java.util.List;

/**
 * A Go struct or named type as the template engine sees it: {@code .Name} resolves a field or a
 * method without arguments; {@code .Name arg1 arg2} calls a method with arguments.
 *
 * <p>Throw {@link #noSuchField} when there is no field or method {@code name}: the engine then
 * reports Go's {@code can't evaluate field NAME in type TYPE}. Any other exception is reported as
 * a failed call ({@code error calling NAME: ...}). Printing a GoObject ({@code {{ .Labels }}})
 * uses its {@code toString()}, which should return what the Go type's {@code String()} (or
 * {@code %v}) prints.
 */
public interface GoObject {
    /** The value of field or zero-argument method {@code name}; throws when there is none. */
    Object field(String name) throws TemplateException;

    /** Calls method {@code name} with {@code args}; throws when there is none. */
    default Object method(String name, List<Object> args) throws TemplateException {
        if (args.isEmpty()) return field(name);
        throw new TemplateException("can't call method " + name + " with arguments");
    }

    /** The Go type name shown in errors ({@code template.Data}, {@code *template.sample}). */
    default String typeName() { return getClass().getSimpleName(); }

    /**
     * What Go's {@code encoding/json} would marshal for this value ({@code toJson}): a Map,
     * List, String, number, boolean or null. By default the {@code toString()} as a JSON string.
     */
    default Object jsonValue() { return toString(); }

    /** The exception meaning "no field or method {@code name}" on {@code object}. */
    static NoSuchFieldException noSuchField(GoObject object, String name) {
        return new NoSuchFieldException(object, name);
    }

    /** See {@link #noSuchField}. */
    final class NoSuchFieldException extends TemplateException {
        public NoSuchFieldException(GoObject object, String name) {
            super("can't evaluate field " + name + " in type " + object.typeName());
        }
    }
}
