package org.artifactpromoter.it.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The dependency directions of the code, checked on every module's main classes (this module's test
 * class path holds them all): model at the bottom, the workflow above the artifact store port, the
 * AWS adapter beside it, the wiring, the function and the two entry points on top.
 */
class ArchitectureTest {
  /**
   * Imported once, as plain JUnit tests rather than through ArchUnit's own test engine: they run
   * under any surefire test filter like every other test. From class directories or jars alike:
   * after {@code package} the reactor hands this module the other modules' jars.
   */
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.artifactpromoter");

  @Test
  void importsEveryModulesMainClasses() {
    // The rules below mean something only if they see the code of every module.
    for (String module :
        new String[] {
          "org.artifactpromoter.model.CommitId",
          "org.artifactpromoter.promotion.Promoter",
          "org.artifactpromoter.aws.S3ArtifactStore",
          "org.artifactpromoter.function.PromoteFunction",
          "org.artifactpromoter.lambda.PromoteHandler",
          "org.artifactpromoter.cli.ArtifactPromoterCli"
        }) {
      assertThat(CLASSES.contain(module)).as(module).isTrue();
    }
    assertThat(CLASSES.contain("org.artifactpromoter.it.architecture.ArchitectureTest")).isFalse();
  }

  @Test
  void noPackageCycles() {
    ArchRule rule = slices().matching("org.artifactpromoter.(*)..").should().beFreeOfCycles();
    rule.check(CLASSES);
  }

  @Test
  void modelDependsOnNothingOfOurs() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("org.artifactpromoter.model..")
            .should()
            .dependOnClassesThat(
                resideInAPackage("org.artifactpromoter..")
                    .and(not(resideInAPackage("org.artifactpromoter.model.."))));
    rule.check(CLASSES);
  }

  @Test
  void theWorkflowSeesBucketsOnlyThroughThePort() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(
                "org.artifactpromoter.promotion..", "org.artifactpromoter.artifact..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.artifactpromoter.aws..",
                "org.artifactpromoter.wiring..",
                "software.amazon.awssdk..");
    rule.check(CLASSES);
  }

  @Test
  void lambdaTypesStayInTheLambdaModule() {
    ArchRule rule =
        noClasses()
            .that()
            .resideOutsideOfPackage("org.artifactpromoter.lambda..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("com.amazonaws.services.lambda..");
    rule.check(CLASSES);
  }

  @Test
  void theCliDoesNotReachIntoTheLambda() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("org.artifactpromoter.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.artifactpromoter.lambda..");
    rule.check(CLASSES);
  }
}
