package org.artifactpromoter.provenance;

import java.security.PublicKey;

/** The public half of a signing key, by key ARN. */
public interface PublicKeyProvider {
  /**
   * The EC P-256 public key of {@code keyArn}; throws {@link ProvenanceException} with {@link
   * ProvenanceException.Reason#KEY_UNAVAILABLE} when it cannot be had.
   */
  PublicKey publicKey(String keyArn);
}
