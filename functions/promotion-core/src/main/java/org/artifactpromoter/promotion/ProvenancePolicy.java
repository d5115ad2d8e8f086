package org.artifactpromoter.promotion;

import org.artifactpromoter.provenance.SigningKeyArn;

/**
 * The configuration's {@code provenance}: which KMS key signs build provenance, and whether a
 * release without a valid signed envelope may still be promoted.
 *
 * @param signingKeyArn the key publish signs with and promotions verify against; null when
 *     provenance is off
 * @param required refuse ({@code PROVENANCE_INVALID}) a release whose envelope is missing; an
 *     envelope that exists is verified either way
 */
public record ProvenancePolicy(SigningKeyArn signingKeyArn, boolean required) {
  /** No {@code provenance} in the configuration: nothing is signed or checked. */
  public static final ProvenancePolicy OFF = new ProvenancePolicy(null, false);

  public boolean enabled() {
    return signingKeyArn != null;
  }
}
