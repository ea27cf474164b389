package io.pyrometer.arch;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Enforces the package table of DESIGN.md §3: each package may depend only on the ones listed. */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pyrometer");
    }

    private static String p(String name) { return "io.pyrometer." + name + ".."; }

    @Test
    void packagesDependOnlyOnTheLayersBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("model").definedBy(p("model"))
                .layer("storage").definedBy(p("storage"))
                .layer("tsdb").definedBy(p("tsdb"))
                .layer("promql").definedBy(p("promql"))
                .layer("config").definedBy(p("config"))
                .layer("scrape").definedBy(p("scrape"))
                .layer("discovery").definedBy(p("discovery"))
                .layer("template").definedBy(p("template"))
                .layer("rules").definedBy(p("rules"))
                .layer("notifier").definedBy(p("notifier"))
                .layer("alerting").definedBy(p("alerting"))
                .layer("remote").definedBy(p("remote"))
                .layer("pushgateway").definedBy(p("pushgateway"))
                .layer("web").definedBy(p("web"))
                .layer("cli").definedBy(p("cli"))
                .whereLayer("model").mayOnlyBeAccessedByLayers("storage", "tsdb", "promql", "config", "scrape", "discovery",
                        "template", "rules", "notifier", "alerting", "remote", "pushgateway", "web", "cli")
                .whereLayer("storage").mayOnlyBeAccessedByLayers("tsdb", "promql", "scrape", "discovery", "rules",
                        "notifier", "remote", "pushgateway", "web", "cli")
                .whereLayer("tsdb").mayOnlyBeAccessedByLayers("web", "cli")
                .whereLayer("promql").mayOnlyBeAccessedByLayers("rules", "notifier", "remote", "web", "cli")
                .whereLayer("config").mayOnlyBeAccessedByLayers("scrape", "discovery", "rules", "notifier", "alerting",
                        "remote", "pushgateway", "web", "cli")
                .whereLayer("discovery").mayOnlyBeAccessedByLayers("scrape", "notifier", "web", "cli")
                .whereLayer("scrape").mayOnlyBeAccessedByLayers("web", "cli")
                .whereLayer("template").mayOnlyBeAccessedByLayers("rules", "notifier", "alerting", "web", "cli")
                .whereLayer("rules").mayOnlyBeAccessedByLayers("web", "cli")
                .whereLayer("notifier").mayOnlyBeAccessedByLayers("rules", "web", "cli")
                .whereLayer("alerting").mayOnlyBeAccessedByLayers("web", "cli")
                .whereLayer("remote").mayOnlyBeAccessedByLayers("web", "cli")
                .whereLayer("pushgateway").mayOnlyBeAccessedByLayers("web", "cli")
                .whereLayer("web").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .check(classes);
    }

    @Test
    void onlyWebAndCliKnowHttpServing() {
        noClasses().that().resideOutsideOfPackages(p("web"), p("cli"), p("pushgateway"), p("alerting"))
                .should().dependOnClassesThat().resideInAPackage("io.vertx.ext.web..")
                .allowEmptyShould(true)
                .check(classes);
    }
}
