package org.artifactpromoter.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.artifactpromoter.provenance.ProvenanceException.Reason;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CustomerMasterKeySpec;
import software.amazon.awssdk.services.kms.model.GetPublicKeyRequest;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * The cache and the key checks, against a stand-in KMS; the real calls are proven in
 * KmsProvenanceIT.
 */
class KmsPublicKeyProviderTest {
  private final KeyPair keys = TestKeys.p256();

  /** Answers GetPublicKey with {@code answer}, counting calls; every other operation is absent. */
  private static final class StandInKms implements KmsClient {
    final AtomicInteger calls = new AtomicInteger();
    private final java.util.function.Supplier<GetPublicKeyResponse> answer;

    StandInKms(java.util.function.Supplier<GetPublicKeyResponse> answer) {
      this.answer = answer;
    }

    @Override
    public GetPublicKeyResponse getPublicKey(Consumer<GetPublicKeyRequest.Builder> request) {
      calls.incrementAndGet();
      return answer.get();
    }

    @Override
    public String serviceName() {
      return "kms";
    }

    @Override
    public void close() {}
  }

  private GetPublicKeyResponse p256Answer() {
    return GetPublicKeyResponse.builder()
        .keyId(TestKeys.TRUSTED_ARN)
        .keySpec(KeySpec.ECC_NIST_P256)
        .keyUsage(KeyUsageType.SIGN_VERIFY)
        .signingAlgorithms(SigningAlgorithmSpec.ECDSA_SHA_256)
        .publicKey(SdkBytes.fromByteArray(keys.getPublic().getEncoded()))
        .build();
  }

  @Test
  void publicKey_asksKmsOncePerKey_evenFromManyThreadsAtOnce() throws Exception {
    StandInKms kms = new StandInKms(this::p256Answer);
    KmsPublicKeyProvider provider = new KmsPublicKeyProvider(kms);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<PublicKey>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 32; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return provider.publicKey(TestKeys.TRUSTED_ARN);
                }));
      }
      start.countDown();
      for (Future<PublicKey> result : results) {
        assertThat(result.get().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(kms.calls).hasValue(1);
  }

  @Test
  void publicKey_doesNotKeepAFailure_soTheNextPromotionAsksAgain() {
    AtomicInteger attempt = new AtomicInteger();
    StandInKms kms =
        new StandInKms(
            () -> {
              if (attempt.incrementAndGet() == 1) {
                throw (KmsException)
                    KmsException.builder()
                        .statusCode(400)
                        .awsErrorDetails(
                            AwsErrorDetails.builder()
                                .errorCode("AccessDeniedException")
                                .errorMessage(
                                    "User: arn:aws:sts::1:assumed-role/x is not authorized")
                                .build())
                        .build();
              }
              return p256Answer();
            });
    KmsPublicKeyProvider provider = new KmsPublicKeyProvider(kms);

    assertThatThrownBy(() -> provider.publicKey(TestKeys.TRUSTED_ARN))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.KEY_UNAVAILABLE))
        .hasMessageContaining("(AccessDeniedException)")
        .hasMessageContaining("kms:GetPublicKey")
        .hasMessageNotContaining("is not authorized");
    assertThat(provider.publicKey(TestKeys.TRUSTED_ARN)).isNotNull();
    assertThat(kms.calls).hasValue(2);
  }

  @Test
  void publicKey_readsTheOlderCustomerMasterKeySpec_whenKeySpecIsAbsent() {
    StandInKms kms =
        new StandInKms(
            () ->
                p256Answer().toBuilder()
                    .keySpec((String) null)
                    .customerMasterKeySpec(CustomerMasterKeySpec.ECC_NIST_P256)
                    .build());

    assertThat(new KmsPublicKeyProvider(kms).publicKey(TestKeys.TRUSTED_ARN)).isNotNull();
  }

  @Test
  void publicKey_refusesAKeyWithoutAKeySpec() {
    StandInKms kms = new StandInKms(() -> p256Answer().toBuilder().keySpec((String) null).build());

    assertThatThrownBy(() -> new KmsPublicKeyProvider(kms).publicKey(TestKeys.TRUSTED_ARN))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.KEY_UNAVAILABLE));
  }

  @Test
  void publicKey_refusesAnEncryptionKeyEvenOnTheRightCurve() {
    StandInKms kms =
        new StandInKms(() -> p256Answer().toBuilder().keyUsage(KeyUsageType.KEY_AGREEMENT).build());

    assertThatThrownBy(() -> new KmsPublicKeyProvider(kms).publicKey(TestKeys.TRUSTED_ARN))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.KEY_UNAVAILABLE))
        .hasMessageContaining("ECC_NIST_P256 KEY_AGREEMENT key");
  }

  @Test
  void publicKey_refusesAKeyThatIsNotAnEccP256SigningKey() {
    StandInKms kms =
        new StandInKms(
            () ->
                p256Answer().toBuilder()
                    .keySpec(KeySpec.RSA_2048)
                    .signingAlgorithms(SigningAlgorithmSpec.RSASSA_PSS_SHA_256)
                    .build());

    assertThatThrownBy(() -> new KmsPublicKeyProvider(kms).publicKey(TestKeys.TRUSTED_ARN))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.KEY_UNAVAILABLE))
        .hasMessageContaining("is a RSA_2048 SIGN_VERIFY key")
        .hasMessageContaining("needs an ECC_NIST_P256 SIGN_VERIFY key");
  }

  @Test
  void publicKey_refusesBytesThatAreNotAPublicKey() {
    StandInKms kms =
        new StandInKms(
            () ->
                p256Answer().toBuilder()
                    .publicKey(SdkBytes.fromByteArray(new byte[] {1, 2}))
                    .build());

    assertThatThrownBy(() -> new KmsPublicKeyProvider(kms).publicKey(TestKeys.TRUSTED_ARN))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.KEY_UNAVAILABLE))
        .hasMessageContaining("not a DER SubjectPublicKeyInfo");
  }
}
