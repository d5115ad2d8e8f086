package org.artifactpromoter.it.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency directions of the code, checked on every module's main classes (this module's
 * test class path holds them all): model at the bottom, the workflow above the artifact store port,
 * the AWS adapter beside it, the wiring, the function and the two entry points on top.
 */
@AnalyzeClasses(
    packages = "org.artifactpromoter",
    importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("org.artifactpromoter.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule modelDependsOnNothingOfOurs =
      noClasses()
          .that()
          .resideInAPackage("org.artifactpromoter.model..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("org.artifactpromoter..")
                  .and(not(resideInAPackage("org.artifactpromoter.model.."))));

  @ArchTest
  static final ArchRule theWorkflowSeesBucketsOnlyThroughThePort =
      noClasses()
          .that()
          .resideInAnyPackage("org.artifactpromoter.promotion..", "org.artifactpromoter.artifact..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.artifactpromoter.aws..",
              "org.artifactpromoter.wiring..",
              "software.amazon.awssdk..");

  @ArchTest
  static final ArchRule lambdaTypesStayInTheLambdaModule =
      noClasses()
          .that()
          .resideOutsideOfPackage("org.artifactpromoter.lambda..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.amazonaws.services.lambda..");

  @ArchTest
  static final ArchRule theCliDoesNotReachIntoTheLambda =
      noClasses()
          .that()
          .resideInAPackage("org.artifactpromoter.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.artifactpromoter.lambda..");
}
