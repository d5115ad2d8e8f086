package org.artifactpromoter.aws;

/**
 * Whose credentials an artifact store's calls carry and which policy grants them: what a refused
 * call's message names, so that the person reading it knows which policy to open. A promotion reads
 * and writes through an environment's promotion role; {@code publish} and {@code inspect --bucket}
 * use the credentials the command itself runs with (in CodeBuild, the build role).
 */
record StorePrincipal(String description, String policyToCheck) {
  static final StorePrincipal OWN_CREDENTIALS =
      new StorePrincipal(
          "the credentials this command runs with (AWS_PROFILE, the AWS_* environment variables"
              + " or the instance's role; in CodeBuild, the project's build role)",
          "the policy of those credentials (for a build role made by pipeline-terraform:"
              + " modules/function-pipeline/policies/build-publish.json.tftpl)");

  static StorePrincipal promotionRole(String roleArn) {
    return new StorePrincipal(
        "the promotion role " + roleArn,
        "that role's policy (pipeline-terraform/modules/promotion-role/policies/access.json.tftpl)");
  }
}
