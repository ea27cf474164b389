package io.pyrometer.operator.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The operator uses only the server's no-HTTP parts: the PromQL parser, the config loader and the
 * model (DESIGN.md §3; these are what a future shared module split out of server/ will hold).
 */
class OperatorLayeringTest {
    @Test
    void operatorUsesOnlyTheServersParserConfigAndModel() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pyrometer.operator");
        noClasses().that().resideInAPackage("io.pyrometer.operator..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pyrometer.tsdb..", "io.pyrometer.storage..",
                        "io.pyrometer.promql.engine..", "io.pyrometer.scrape..", "io.pyrometer.discovery..", "io.pyrometer.web..",
                        "io.pyrometer.cli..", "io.pyrometer.rules..", "io.pyrometer.notifier..", "io.pyrometer.template..",
                        "io.vertx..")
                .check(classes);
    }
}
