package org.artifactpromoter.provenance;

import org.artifactpromoter.provenance.ProvenanceException.Reason;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Signs with a KMS key (ECC_NIST_P256, ECDSA_SHA_256). KMS is given the PAE itself ({@code
 * MessageType RAW}) and hashes it, as the verifier's SHA256withECDSA does. The alternative, sending
 * our own SHA-256 as a {@code DIGEST}, would lift KMS's 4096-byte message limit, but the emulator
 * the tests run on hashes a DIGEST once more, so that path could not be proven here; statements are
 * far below the limit, and a larger one is refused before KMS is called.
 */
public final class KmsEnvelopeSigner implements EnvelopeSigner {
  /** KMS Sign's limit for a RAW message. */
  public static final int MAX_RAW_MESSAGE_BYTES = 4096;

  private final KmsClient kms;
  private final SigningKeyArn key;

  /** {@code kms} must be a client in the key's region ({@link SigningKeyArn#region()}). */
  public KmsEnvelopeSigner(KmsClient kms, SigningKeyArn key) {
    this.kms = kms;
    this.key = key;
  }

  @Override
  public String keyId() {
    return key.toString();
  }

  @Override
  public byte[] sign(byte[] preAuthenticationEncoding) {
    if (preAuthenticationEncoding.length > MAX_RAW_MESSAGE_BYTES) {
      throw new ProvenanceException(
          Reason.PAYLOAD_TOO_LARGE,
          "The provenance statement to sign is "
              + preAuthenticationEncoding.length
              + " bytes with its DSSE header; KMS signs at most "
              + MAX_RAW_MESSAGE_BYTES
              + ". Shorten what it carries (the repository URL, the build id, the package name).");
    }
    try {
      return kms.sign(
              request ->
                  request
                      .keyId(key.toString())
                      .message(SdkBytes.fromByteArray(preAuthenticationEncoding))
                      .messageType(MessageType.RAW)
                      .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256))
          .signature()
          .asByteArray();
    } catch (KmsException e) {
      throw new ProvenanceException(
          Reason.SIGNING_FAILED,
          "KMS refused to sign provenance with "
              + key
              + " ("
              + KmsPublicKeyProvider.errorCode(e)
              + "). Check that the key is enabled, is an ECC_NIST_P256 SIGN_VERIFY key, and that"
              + " its key policy lets this build role call kms:Sign.",
          e);
    }
  }
}
