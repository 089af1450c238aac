package dev.junction.core;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package rules of docs/architecture.md, checked over the compiled classes: no package cycles, {@code config} at
 * the floor, no server framework in the core, public types only where the API lives, and every package null-marked.
 */
class ArchitectureTest {

    private static final String CORE = "dev.junction.core";

    /** The packages whose public types are the API; everything else public lives under {@code internal}. */
    private static final Set<String> API = Set.of(CORE, CORE + ".config", CORE + ".spi", CORE + ".http", CORE + ".tls",
            CORE + ".pool", CORE + ".status", CORE + ".transport", CORE + ".cluster", CORE + ".offload");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(CORE);

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.junction.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void configImportsNothingAboveIt() {
        classes().that().resideInAPackage(CORE + ".config..")
                .should().onlyDependOnClassesThat(resideInAPackage(CORE + ".config..")
                        .or(resideOutsideOfPackage("dev.junction..")))
                .check(CLASSES);
    }

    @Test
    void smallTypesImportNothingOfJunction() {
        for (String small : new String[] {CORE + ".http..", CORE + ".tls.."}) {
            classes().that().resideInAPackage(small)
                    .should().onlyDependOnClassesThat(resideInAPackage(small)
                            .or(resideOutsideOfPackage("dev.junction..")))
                    .check(CLASSES);
        }
    }

    @Test
    void coreHasNoServerFramework() {
        noClasses().should().dependOnClassesThat(resideInAPackage("jakarta.servlet..")
                .or(resideInAPackage("io.undertow..")))
                .check(CLASSES);
    }

    @Test
    void apiTypesSpeakNoJetty() {
        classes().that().resideInAnyPackage(CORE + ".spi", CORE + ".http", CORE + ".config", CORE + ".status",
                CORE + ".pool", CORE + ".tls")
                .should().onlyDependOnClassesThat(not(resideInAPackage("org.eclipse.jetty..")))
                .check(CLASSES);
    }

    @Test
    void publicTypesLiveInTheApiPackagesOrUnderInternal() {
        Set<String> misplaced = new TreeSet<>();
        for (JavaClass type : CLASSES) {
            String pkg = type.getPackageName();
            boolean internal = pkg.equals(CORE + ".internal") || pkg.startsWith(CORE + ".internal.");
            if (type.getModifiers().contains(JavaModifier.PUBLIC) && !type.isNestedClass() && !internal
                    && !API.contains(pkg)) {
                misplaced.add(type.getName());
            }
        }
        assertThat(misplaced).as("public types outside " + API + " and internal").isEmpty();
    }

    @Test
    void everyPackageIsNullMarked() {
        Set<String> unmarked = new TreeSet<>();
        for (JavaClass type : CLASSES) {
            Package pkg = type.reflect().getPackage();
            if (!pkg.isAnnotationPresent(NullMarked.class)) {
                unmarked.add(pkg.getName());
            }
        }
        assertThat(unmarked).as("packages without @NullMarked in their package-info").isEmpty();
    }
}
