package org.artifactpromoter.provenance;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.artifactpromoter.provenance.ProvenanceException.Reason;

/**
 * Verifies a release's provenance envelope before anything is written: the envelope is an in-toto
 * DSSE envelope, a signature verifies with the trusted key's public key (SHA256withECDSA over the
 * PAE, DER signatures as KMS returns them), and the signed statement names exactly the bytes,
 * function and revision being promoted. The first check that fails is reported.
 */
public final class ProvenanceVerifier {
  /** keyid values quoted in messages: ARN-like text only, so a hostile keyid cannot forge lines. */
  private static final Pattern QUOTABLE_KEY_ID = Pattern.compile("[A-Za-z0-9:/_+=,.@-]{1,256}");

  private final PublicKeyProvider keys;
  private final SigningKeyArn trustedKey;

  public ProvenanceVerifier(PublicKeyProvider keys, SigningKeyArn trustedKey) {
    this.keys = keys;
    this.trustedKey = trustedKey;
  }

  /**
   * Returns the verified statement (builder, build id, repository for the record), or throws {@link
   * ProvenanceException} naming the reason.
   */
  public ProvenanceStatement verify(byte[] envelopeJson, ExpectedRelease expected) {
    DsseEnvelope envelope = DsseEnvelope.parse(envelopeJson);
    if (!DsseEnvelope.IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
      throw new ProvenanceException(
          Reason.WRONG_PAYLOAD_TYPE,
          "The provenance envelope's payloadType is not "
              + DsseEnvelope.IN_TOTO_PAYLOAD_TYPE
              + ": it does not carry an in-toto statement. Promote a build that publish signed.");
    }
    verifySignature(envelope);
    ProvenanceStatement statement = ProvenanceStatement.fromJson(envelope.payload());
    if (!statement.sha256().equals(expected.sha256())) {
      throw new ProvenanceException(
          Reason.SUBJECT_DIGEST_MISMATCH,
          "The provenance vouches for a package with SHA-256 "
              + statement.sha256()
              + ", but the release of "
              + expected.function()
              + " at "
              + expected.revision()
              + " has SHA-256 "
              + expected.sha256()
              + ": these are not the bytes that were built and signed. Do not promote them;"
              + " publish the build again from its pipeline.");
    }
    if (!statement.function().equals(expected.function())) {
      throw new ProvenanceException(
          Reason.FUNCTION_MISMATCH,
          "The provenance was signed for function "
              + statement.function()
              + ", not "
              + expected.function()
              + ": the envelope was copied from another function's release.");
    }
    if (!statement.revision().equals(expected.revision())) {
      throw new ProvenanceException(
          Reason.REVISION_MISMATCH,
          "The provenance was signed for revision "
              + statement.revision()
              + ", not "
              + expected.revision()
              + ": the envelope (and perhaps the package) was copied from another revision's"
              + " release.");
    }
    return statement;
  }

  private void verifySignature(DsseEnvelope envelope) {
    PublicKey publicKey = keys.publicKey(trustedKey.toString());
    byte[] pae = envelope.preAuthenticationEncoding();
    boolean trustedKeyNamed = false;
    List<String> otherKeys = new ArrayList<>();
    for (DsseEnvelope.Signature signature : envelope.signatures()) {
      // keyid is a hint anyone can write: every signature is tried against the trusted key.
      if (verifies(publicKey, pae, signature.sig())) {
        return;
      }
      String keyId = signature.keyId();
      if (keyId.isEmpty() || keyId.equals(trustedKey.toString())) {
        trustedKeyNamed = true;
      } else {
        otherKeys.add(
            QUOTABLE_KEY_ID.matcher(keyId).matches() ? keyId : "(a keyid that is not an ARN)");
      }
    }
    if (trustedKeyNamed) {
      throw new ProvenanceException(
          Reason.SIGNATURE_INVALID,
          "The provenance signature does not verify with key "
              + trustedKey
              + ": the statement or the signature was changed after signing. Treat the release as"
              + " tampered with and promote a build that publish signed.");
    }
    throw new ProvenanceException(
        Reason.UNTRUSTED_KEY,
        "The provenance is signed by "
            + otherKeys
            + ", not by the configured signing key "
            + trustedKey
            + ". Only builds signed with provenance.signingKeyArn are promoted; if the key was"
            + " replaced, update the configuration.");
  }

  private static boolean verifies(PublicKey publicKey, byte[] pae, byte[] derSignature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(pae);
      return verifier.verify(derSignature);
    } catch (java.security.SignatureException malformedSignature) {
      // Not DER, or not an ECDSA signature: it does not verify.
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM verifies SHA256withECDSA", e);
    }
  }
}
