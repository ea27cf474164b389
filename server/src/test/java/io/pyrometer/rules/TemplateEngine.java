package io.pyrometer.rules;

import io.pyrometer.template.Expander;
import io.pyrometer.template.TemplateException;
import org.junit.jupiter.api.Assumptions;

/** Tests of template behaviour skip, by name, while {@code io.pyrometer.template} is the committed stub. */
final class TemplateEngine {
    private TemplateEngine() {}

    static boolean present() {
        try {
            Expander.checkParses("probe", "{{ 1 }}");
            return true;
        } catch (TemplateException e) {
            return !e.getMessage().contains("template engine not built yet");
        }
    }

    static void assumePresent() {
        Assumptions.assumeTrue(present(), "io.pyrometer.template is still the stub (branch template not merged yet)");
    }
}
