package dev.hallpass.grant;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class GrantArchitectureTest {
    @Test
    void grantPackage_whenCompiled_dependsOnNoGitHubGitOrWebCode() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hallpass.grant");
        noClasses()
                .that()
                .resideInAPackage("dev.hallpass.grant..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.kohsuke.github..", "org.eclipse.jgit..", "io.javalin..", "dev.hallpass.git..")
                .check(classes);
    }
}
