package org.artifactpromoter.promotion;

import java.util.Optional;
import org.artifactpromoter.artifact.SmallObject;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.provenance.DsseEnvelope;
import org.artifactpromoter.provenance.ExpectedRelease;
import org.artifactpromoter.provenance.ProvenanceException;
import org.artifactpromoter.provenance.ProvenanceVerifier;
import org.artifactpromoter.provenance.PublicKeyProvider;

/**
 * The promotion's side of signed provenance (configuration {@code provenance}): whether a release's
 * envelope is looked for, and whether the one found vouches for exactly the bytes, function and
 * revision being promoted. Refusals are {@code PROVENANCE_INVALID}; a signing key that cannot be
 * read is {@code ACCESS_DENIED} (a key policy or configuration to fix, not a bad release).
 */
public final class ReleaseProvenance {
  /** Envelopes are far smaller; a larger object is refused without reading it all. */
  static final int MAX_ENVELOPE_BYTES = DsseEnvelope.MAX_BYTES;

  private final ProvenancePolicy policy;
  private final PublicKeyProvider keys;
  private final ProvenanceVerifier verifier;

  /** {@code keys} gives the public key of {@code policy}'s signing key; unused when it is off. */
  public ReleaseProvenance(ProvenancePolicy policy, PublicKeyProvider keys) {
    this.policy = policy;
    this.keys = keys;
    this.verifier = policy.enabled() ? new ProvenanceVerifier(keys, policy.signingKeyArn()) : null;
  }

  /** Provenance off: nothing looked for, nothing checked. */
  public static ReleaseProvenance off() {
    return new ReleaseProvenance(
        ProvenancePolicy.OFF,
        keyArn -> {
          throw new IllegalStateException("provenance is off");
        });
  }

  boolean enabled() {
    return policy.enabled();
  }

  /**
   * Fetches the signing key's public key ahead of {@link #verified}, so that the KMS round trip
   * overlaps the S3 lookups (the key is cached: a warm promoter makes no KMS call). A failure is
   * left for {@link #verified} to report, with its context.
   */
  void prefetchKey() {
    try {
      keys.publicKey(policy.signingKeyArn().toString());
    } catch (RuntimeException reportedWhenVerifying) {
      // verified() asks again and reports it.
    }
  }

  /**
   * The envelope to promote with the release, verified; empty when there is none and none is
   * required.
   *
   * @param where the release's location, for messages
   */
  Optional<SmallObject> verified(
      Optional<SmallObject> envelope, ExpectedRelease expected, String where) {
    if (envelope.isEmpty()) {
      if (policy.required()) {
        throw new PromotionException(
            ErrorCode.PROVENANCE_INVALID,
            where
                + " has no signed provenance next to it ("
                + where.replaceAll("\\.zip$", ".intoto.json")
                + "), and the configuration requires it (provenance.required). Promote only"
                + " packages that `artifact-promoter publish` signed in the build; republish this"
                + " revision from its pipeline.");
      }
      return Optional.empty();
    }
    try {
      verifier.verify(envelope.get().bytes(), expected);
      return envelope;
    } catch (ProvenanceException e) {
      throw new PromotionException(
          e.reason() == ProvenanceException.Reason.KEY_UNAVAILABLE
              ? ErrorCode.ACCESS_DENIED
              : ErrorCode.PROVENANCE_INVALID,
          "The provenance of " + where + " was refused (" + e.reason() + "): " + e.getMessage(),
          e);
    }
  }
}
