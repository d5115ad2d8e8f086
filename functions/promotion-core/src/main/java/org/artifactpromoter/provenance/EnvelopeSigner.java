package org.artifactpromoter.provenance;

/** Signs a DSSE pre-authentication encoding; the signature is verified with SHA256withECDSA. */
public interface EnvelopeSigner {
  /** The {@code keyid} written next to the signature: the signing key's ARN. */
  String keyId();

  /** An ASN.1 DER ECDSA P-256 signature over SHA-256 of {@code preAuthenticationEncoding}. */
  byte[] sign(byte[] preAuthenticationEncoding);
}
