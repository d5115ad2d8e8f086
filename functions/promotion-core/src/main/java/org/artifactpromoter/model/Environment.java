package org.artifactpromoter.model;

/**
 * One account's artifact bucket and the role the promoter assumes there. {@code kmsKeyArn} may be
 * null (bucket default encryption then applies).
 */
public record Environment(
    String name,
    String account,
    String region,
    String bucket,
    String role,
    String externalId,
    String kmsKeyArn) {

  /** The external id is a shared secret between accounts: never printed. */
  @Override
  public String toString() {
    return "Environment[name="
        + name
        + ", account="
        + account
        + ", region="
        + region
        + ", bucket="
        + bucket
        + ", role="
        + role
        + ", externalId=***, kmsKeyArn="
        + kmsKeyArn
        + "]";
  }
}
