package org.artifactpromoter.provenance;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.artifactpromoter.provenance.ProvenanceException.Reason;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Public keys from KMS GetPublicKey, fetched once per key ARN and kept for the life of the object
 * (a warm Lambda verifies every promotion without calling KMS). A failed fetch is not kept, so the
 * next promotion asks again. Safe for concurrent promotions.
 */
public final class KmsPublicKeyProvider implements PublicKeyProvider {
  private final KmsClient kms;
  private final ConcurrentMap<String, PublicKey> cache = new ConcurrentHashMap<>();

  /** {@code kms} must be a client in the keys' region. */
  public KmsPublicKeyProvider(KmsClient kms) {
    this.kms = kms;
  }

  @Override
  public PublicKey publicKey(String keyArn) {
    return cache.computeIfAbsent(keyArn, this::fetch);
  }

  private PublicKey fetch(String keyArn) {
    GetPublicKeyResponse response;
    try {
      response = kms.getPublicKey(request -> request.keyId(keyArn));
    } catch (KmsException e) {
      throw new ProvenanceException(
          Reason.KEY_UNAVAILABLE,
          "KMS GetPublicKey on the provenance signing key "
              + keyArn
              + " failed ("
              + errorCode(e)
              + "). Check provenance.signingKeyArn, that the key is enabled, and that its key"
              + " policy lets the promote function's role call kms:GetPublicKey.",
          e);
    }
    // KeySpec replaced CustomerMasterKeySpec; KMS sends both, some emulators only the older one.
    String keySpec =
        response.keySpec() != null
            ? response.keySpecAsString()
            : response.customerMasterKeySpecAsString();
    if (!KeySpec.ECC_NIST_P256.toString().equals(keySpec)
        || response.keyUsage() != KeyUsageType.SIGN_VERIFY
        || !response.signingAlgorithms().contains(SigningAlgorithmSpec.ECDSA_SHA_256)) {
      throw new ProvenanceException(
          Reason.KEY_UNAVAILABLE,
          "The provenance signing key "
              + keyArn
              + " is a "
              + keySpec
              + " "
              + response.keyUsageAsString()
              + " key; provenance needs an ECC_NIST_P256 SIGN_VERIFY key (ECDSA_SHA_256).");
    }
    try {
      PublicKey key =
          KeyFactory.getInstance("EC")
              .generatePublic(new X509EncodedKeySpec(response.publicKey().asByteArray()));
      if (!(key instanceof ECPublicKey ec)
          || ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new ProvenanceException(
            Reason.KEY_UNAVAILABLE,
            "KMS returned a public key for " + keyArn + " that is not on the P-256 curve.");
      }
      return key;
    } catch (GeneralSecurityException e) {
      throw new ProvenanceException(
          Reason.KEY_UNAVAILABLE,
          "KMS returned a public key for " + keyArn + " that is not a DER SubjectPublicKeyInfo.",
          e);
    }
  }

  /** The service's error code (AccessDeniedException, NotFoundException, ...), never its text. */
  static String errorCode(KmsException e) {
    return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
        ? e.awsErrorDetails().errorCode()
        : "HTTP " + e.statusCode();
  }
}
