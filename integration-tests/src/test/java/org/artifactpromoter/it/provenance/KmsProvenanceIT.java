package org.artifactpromoter.it.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.artifactpromoter.it.support.WithMoto;
import org.artifactpromoter.provenance.DsseEnvelope;
import org.artifactpromoter.provenance.ExpectedRelease;
import org.artifactpromoter.provenance.KmsEnvelopeSigner;
import org.artifactpromoter.provenance.KmsPublicKeyProvider;
import org.artifactpromoter.provenance.ProvenanceException;
import org.artifactpromoter.provenance.ProvenanceException.Reason;
import org.artifactpromoter.provenance.ProvenanceStatement;
import org.artifactpromoter.provenance.ProvenanceVerifier;
import org.artifactpromoter.provenance.SigningKeyArn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyRequest;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Provenance signed by a KMS key and verified with the public key KMS hands out, on moto's KMS in
 * the ops account: the signer's RAW message is the DSSE PAE, and what KMS signs is what {@code
 * java.security} verifies.
 */
class KmsProvenanceIT extends WithMoto {
  private static final String SHA256 =
      "da2d9102ea2b5d4e8a9a1b0bb1b9e2d1d4f6c0d7f1b8e9a2c3d4e5f60718293a";
  private static final String REVISION = "19f1a9f2c3d4e5f60718293a4b5c6d7e8f901234";
  private static final ProvenanceStatement STATEMENT =
      new ProvenanceStatement(
          "orders-api",
          "orders-api.zip",
          SHA256,
          "https://git.example/acme/orders-api.git",
          REVISION,
          "arn:aws:codebuild:us-east-1:222222222222:project/orders-api-build",
          "arn:aws:codebuild:us-east-1:222222222222:build/orders-api-build:0b9d3c4e");
  private static final ExpectedRelease EXPECTED =
      new ExpectedRelease("orders-api", REVISION, SHA256);

  private final AtomicInteger getPublicKeyCalls = new AtomicInteger();
  private KmsClient kms;

  @BeforeEach
  void kmsClient() {
    kms =
        KmsClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(
                o ->
                    o.addExecutionInterceptor(
                        new ExecutionInterceptor() {
                          @Override
                          public void beforeExecution(
                              Context.BeforeExecution context, ExecutionAttributes attributes) {
                            if (context.request() instanceof GetPublicKeyRequest) {
                              getPublicKeyCalls.incrementAndGet();
                            }
                          }
                        }))
            .build();
  }

  @AfterEach
  void closeClient() {
    kms.close();
  }

  private SigningKeyArn createSigningKey() {
    return SigningKeyArn.parse(
        kms.createKey(
                b ->
                    b.keySpec(KeySpec.ECC_NIST_P256)
                        .keyUsage(KeyUsageType.SIGN_VERIFY)
                        .description("provenance"))
            .keyMetadata()
            .arn());
  }

  @Test
  void envelopeSignedWithKms_verifiesWithTheKeysPublicKey_fetchedOnce() {
    SigningKeyArn key = createSigningKey();
    byte[] envelope = STATEMENT.sign(new KmsEnvelopeSigner(kms, key)).toJson();
    ProvenanceVerifier verifier = new ProvenanceVerifier(new KmsPublicKeyProvider(kms), key);

    ProvenanceStatement first = verifier.verify(envelope, EXPECTED);
    ProvenanceStatement second = verifier.verify(envelope, EXPECTED);

    assertThat(first).isEqualTo(STATEMENT);
    assertThat(second).isEqualTo(STATEMENT);
    assertThat(getPublicKeyCalls).hasValue(1);
    assertThat(DsseEnvelope.parse(envelope).signatures().get(0).keyId()).isEqualTo(key.toString());
  }

  @Test
  void signatureOverThePae_isOneKmsItselfVerifies() {
    SigningKeyArn key = createSigningKey();
    DsseEnvelope envelope = STATEMENT.sign(new KmsEnvelopeSigner(kms, key));

    boolean valid =
        kms.verify(
                b ->
                    b.keyId(key.toString())
                        .message(SdkBytes.fromByteArray(envelope.preAuthenticationEncoding()))
                        .messageType(MessageType.RAW)
                        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
                        .signature(SdkBytes.fromByteArray(envelope.signatures().get(0).sig())))
            .signatureValid();

    assertThat(valid).isTrue();
  }

  @Test
  void envelopeSignedWithAnotherKmsKey_isRefused() {
    SigningKeyArn trusted = createSigningKey();
    SigningKeyArn other = createSigningKey();
    byte[] envelope = STATEMENT.sign(new KmsEnvelopeSigner(kms, other)).toJson();

    assertThatThrownBy(
            () ->
                new ProvenanceVerifier(new KmsPublicKeyProvider(kms), trusted)
                    .verify(envelope, EXPECTED))
        .isInstanceOfSatisfying(
            ProvenanceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_KEY))
        .hasMessageContaining(other.toString());
  }

  @Test
  void envelopeForOtherBytes_isRefused() {
    SigningKeyArn key = createSigningKey();
    byte[] envelope = STATEMENT.sign(new KmsEnvelopeSigner(kms, key)).toJson();
    ExpectedRelease forged = new ExpectedRelease("orders-api", REVISION, SHA256.replace('d', 'e'));

    assertThatThrownBy(
            () ->
                new ProvenanceVerifier(new KmsPublicKeyProvider(kms), key).verify(envelope, forged))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SUBJECT_DIGEST_MISMATCH));
  }

  @Test
  void aKeyThatCannotSign_isNamedAsUnusable() {
    SigningKeyArn symmetric =
        SigningKeyArn.parse(kms.createKey(b -> b.description("artifacts")).keyMetadata().arn());
    byte[] envelope = STATEMENT.sign(new KmsEnvelopeSigner(kms, createSigningKey())).toJson();

    assertThatThrownBy(
            () ->
                new ProvenanceVerifier(new KmsPublicKeyProvider(kms), symmetric)
                    .verify(envelope, EXPECTED))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.KEY_UNAVAILABLE))
        .hasMessageContaining(symmetric.toString());
    assertThatThrownBy(() -> new KmsEnvelopeSigner(kms, symmetric).sign(new byte[] {1}))
        .isInstanceOfSatisfying(
            ProvenanceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIGNING_FAILED))
        .hasMessageContaining("kms:Sign");
  }

  @Test
  void aKeyThatDoesNotExist_isNamedWithKmsErrorCode() {
    SigningKeyArn missing =
        SigningKeyArn.parse(
            "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000");
    byte[] envelope = STATEMENT.sign(new KmsEnvelopeSigner(kms, createSigningKey())).toJson();

    assertThatThrownBy(
            () ->
                new ProvenanceVerifier(new KmsPublicKeyProvider(kms), missing)
                    .verify(envelope, EXPECTED))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.KEY_UNAVAILABLE))
        .hasMessageContaining("NotFoundException");
  }
}
