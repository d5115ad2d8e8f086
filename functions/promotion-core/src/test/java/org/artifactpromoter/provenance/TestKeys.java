package org.artifactpromoter.provenance;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** EC P-256 key pairs made in the test, and a signer over them that behaves as KMS's does. */
public final class TestKeys {
  public static final String TRUSTED_ARN =
      "arn:aws:kms:us-east-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  public static final String OTHER_ARN =
      "arn:aws:kms:us-east-1:222222222222:key/11111111-2222-3333-4444-555555555555";

  private TestKeys() {}

  public static KeyPair p256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs with SHA256withECDSA, which yields DER signatures as KMS's ECDSA_SHA_256 does. */
  public static EnvelopeSigner signer(KeyPair keys, String keyId) {
    return new EnvelopeSigner() {
      @Override
      public String keyId() {
        return keyId;
      }

      @Override
      public byte[] sign(byte[] preAuthenticationEncoding) {
        try {
          Signature signature = Signature.getInstance("SHA256withECDSA");
          signature.initSign(keys.getPrivate());
          signature.update(preAuthenticationEncoding);
          return signature.sign();
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }
}
