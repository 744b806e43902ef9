package de.scheincam;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package graph of the app (tests not included): one package per concern, web the adapter on top.
 * The root package (the configuration that wires everything, and the main class) may use every package.
 */
@AnalyzeClasses(packages = "de.scheincam", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageGraphTest {

    /** No two packages need each other, directly or round a loop: each can be read and changed from the bottom up. */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("de.scheincam.(*)..").namingSlices("$1")
            .should().beFreeOfCycles();

    /** The domain says what it refuses and why (core.Refusal); only web knows HTTP. */
    @ArchTest
    static final ArchRule domainDoesNotDependOnWeb = noClasses()
            .that().resideOutsideOfPackages("de.scheincam.web..", "de.scheincam")
            .should().dependOnClassesThat().resideInAPackage("de.scheincam.web..");

    /** The core types everyone uses depend on nothing of the app. */
    @ArchTest
    static final ArchRule coreDependsOnNothingOfTheApp = noClasses()
            .that().resideInAPackage("de.scheincam.core..")
            .should().dependOnClassesThat(resideInAPackage("de.scheincam..").and(resideOutsideOfPackage("de.scheincam.core..")));
}
