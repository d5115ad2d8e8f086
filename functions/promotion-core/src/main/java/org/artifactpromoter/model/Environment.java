package org.artifactpromoter.model;

/**
 * One account's artifact bucket and the role the promoter assumes there. {@code kmsKeyArn} may be
 * null (bucket default encryption then applies).
 *
 * @param conditionalWrites whether the bucket's store refuses a second write at a release key
 *     ({@code If-None-Match: *}, as S3 does): then S3 settles two promotions writing one release at
 *     once, and no listing after the write is needed. False for stores that ignore the condition
 *     (moto ignores it on CopyObject).
 */
public record Environment(
    String name,
    String account,
    String region,
    String bucket,
    String role,
    String externalId,
    String kmsKeyArn,
    boolean conditionalWrites) {

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
        + ", conditionalWrites="
        + conditionalWrites
        + "]";
  }
}
