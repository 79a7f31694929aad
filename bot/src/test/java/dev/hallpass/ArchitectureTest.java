package dev.hallpass;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the domain free of infrastructure: requests and policies must not know GitHub, HTTP or git. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hallpass");
    }

    @Test
    void requestPackage_whenCompiled_usesNoHub4jJavalinOrJgit() {
        noClasses()
                .that()
                .resideInAPackage("dev.hallpass.request..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.kohsuke..", "io.javalin..", "org.eclipse.jgit..", "dev.hallpass.github..")
                .check(classes);
    }

    @Test
    void policyPackage_whenCompiled_usesNoHub4jJavalinOrJgit() {
        noClasses()
                .that()
                .resideInAPackage("dev.hallpass.policy..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.kohsuke..", "io.javalin..", "org.eclipse.jgit..", "dev.hallpass.github..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void regoEngine_whenCompiled_dependsOnNothingElseInHallpass() {
        noClasses()
                .that()
                .resideInAPackage("dev.hallpass.policy.rego..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages(
                        "dev.hallpass.policy.rego..",
                        "java..",
                        "javax..",
                        "com.fasterxml.jackson..",
                        "org.yaml.snakeyaml..",
                        // json.match_schema's validator, which itself needs only Jackson
                        "com.networknt.schema..")
                .check(classes);
    }
}
