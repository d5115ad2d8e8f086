package org.artifactpromoter.provenance;

/**
 * A provenance envelope that cannot be made or trusted, with a {@link Reason} a caller can map to a
 * stable error code (a promotion maps every reason to {@code PROVENANCE_INVALID}, except {@link
 * Reason#KEY_UNAVAILABLE}, which is an access or configuration problem) and a message that says
 * what to change. Messages never quote envelope content beyond values checked to be harmless.
 */
public final class ProvenanceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an envelope was refused or could not be produced. */
  public enum Reason {
    /** The envelope is larger than {@link DsseEnvelope#MAX_BYTES}. */
    ENVELOPE_TOO_LARGE,
    /**
     * The envelope is not the DSSE JSON shape: bad JSON, unknown fields, wrong types, bad base64.
     */
    MALFORMED_ENVELOPE,
    /** {@code payloadType} is not {@code application/vnd.in-toto+json}. */
    WRONG_PAYLOAD_TYPE,
    /** No signature names the trusted key and none verifies with it. */
    UNTRUSTED_KEY,
    /** A signature names the trusted key (or none names any) but does not verify: tampering. */
    SIGNATURE_INVALID,
    /** The signed payload is not an in-toto Statement v1 with a SLSA provenance v1 predicate. */
    MALFORMED_STATEMENT,
    /** The statement's subject digest is not the SHA-256 of the bytes being promoted. */
    SUBJECT_DIGEST_MISMATCH,
    /** The statement was made for another function. */
    FUNCTION_MISMATCH,
    /** The statement was made for another revision. */
    REVISION_MISMATCH,
    /**
     * The signing key's public key could not be read, or it is not an ECC_NIST_P256 signing key.
     */
    KEY_UNAVAILABLE,
    /** The pre-authentication encoding exceeds what KMS signs as a RAW message. */
    PAYLOAD_TOO_LARGE,
    /** KMS refused or failed to sign. */
    SIGNING_FAILED
  }

  private final Reason reason;

  public ProvenanceException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ProvenanceException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
