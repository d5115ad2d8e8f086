package org.artifactpromoter.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.artifactpromoter.provenance.ProvenanceException.Reason;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

class KmsEnvelopeSignerTest {
  /** A KMS with no operations: any call would throw UnsupportedOperationException. */
  private static final KmsClient NO_CALLS_EXPECTED =
      new KmsClient() {
        @Override
        public String serviceName() {
          return "kms";
        }

        @Override
        public void close() {}
      };

  @Test
  void sign_refusesAMessageOverKmsRawLimit_beforeCallingKms() {
    KmsEnvelopeSigner signer =
        new KmsEnvelopeSigner(NO_CALLS_EXPECTED, SigningKeyArn.parse(TestKeys.TRUSTED_ARN));

    assertThatThrownBy(() -> signer.sign(new byte[KmsEnvelopeSigner.MAX_RAW_MESSAGE_BYTES + 1]))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE))
        .hasMessageContaining("4097 bytes")
        .hasMessageContaining("at most 4096");
  }

  @Test
  void keyId_isTheKeyArn() {
    assertThat(
            new KmsEnvelopeSigner(NO_CALLS_EXPECTED, SigningKeyArn.parse(TestKeys.TRUSTED_ARN))
                .keyId())
        .isEqualTo(TestKeys.TRUSTED_ARN);
  }
}
