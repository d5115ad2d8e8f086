package org.artifactpromoter.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.artifactpromoter.provenance.ProvenanceException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ProvenanceVerifierTest {
  private static final String SHA256 =
      "da2d9102ea2b5d4e8a9a1b0bb1b9e2d1d4f6c0d7f1b8e9a2c3d4e5f60718293a";
  private static final String OTHER_SHA256 =
      "0000000000000000000000000000000000000000000000000000000000000001";
  private static final String REVISION = "19f1a9f2c3d4e5f60718293a4b5c6d7e8f901234";
  private static final String OTHER_REVISION = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String PROJECT =
      "arn:aws:codebuild:us-east-1:222222222222:project/orders-api-build";
  private static final String BUILD =
      "arn:aws:codebuild:us-east-1:222222222222:build/orders-api-build:0b9d3c4e";

  private final KeyPair trusted = TestKeys.p256();
  private final KeyPair attacker = TestKeys.p256();
  private final ProvenanceVerifier verifier =
      new ProvenanceVerifier(
          keyArn -> {
            assertThat(keyArn).isEqualTo(TestKeys.TRUSTED_ARN);
            return trusted.getPublic();
          },
          SigningKeyArn.parse(TestKeys.TRUSTED_ARN));

  private static ProvenanceStatement statement(String function, String sha256, String revision) {
    return new ProvenanceStatement(
        function,
        function + ".zip",
        sha256,
        "https://git.example/acme/" + function + ".git",
        revision,
        PROJECT,
        BUILD);
  }

  private static ExpectedRelease expected() {
    return new ExpectedRelease("orders-api", REVISION, SHA256);
  }

  private byte[] signedByTrusted(ProvenanceStatement statement) {
    return statement.sign(TestKeys.signer(trusted, TestKeys.TRUSTED_ARN)).toJson();
  }

  @Test
  void verify_acceptsWhatTheTrustedKeySignedForTheseBytes() {
    ProvenanceStatement signed = statement("orders-api", SHA256, REVISION);

    ProvenanceStatement verified = verifier.verify(signedByTrusted(signed), expected());

    assertThat(verified).isEqualTo(signed);
    assertThat(verified.builderId()).isEqualTo(PROJECT);
    assertThat(verified.buildId()).isEqualTo(BUILD);
  }

  @Test
  void verify_refusesATamperedPayload() throws Exception {
    byte[] envelope = signedByTrusted(statement("orders-api", SHA256, REVISION));
    ObjectNode json = (ObjectNode) DsseEnvelope.MAPPER.readTree(envelope);
    String payload =
        new String(
            Base64.getDecoder().decode(json.get("payload").textValue()), StandardCharsets.UTF_8);
    // The attacker points the signed statement at their own bytes.
    json.put(
        "payload",
        Base64.getEncoder()
            .encodeToString(
                payload.replace(SHA256, OTHER_SHA256).getBytes(StandardCharsets.UTF_8)));

    assertRefused(
        () ->
            verifier.verify(
                DsseEnvelope.MAPPER.writeValueAsBytes(json),
                new ExpectedRelease("orders-api", REVISION, OTHER_SHA256)),
        Reason.SIGNATURE_INVALID,
        "does not verify with key " + TestKeys.TRUSTED_ARN);
  }

  @Test
  void verify_refusesAStatementSignedWithAnotherKeyThatClaimsTheTrustedKeyid() {
    byte[] forged =
        statement("orders-api", SHA256, REVISION)
            .sign(TestKeys.signer(attacker, TestKeys.TRUSTED_ARN))
            .toJson();

    assertRefused(() -> verifier.verify(forged, expected()), Reason.SIGNATURE_INVALID, "tampered");
  }

  @Test
  void verify_refusesAStatementSignedWithAnotherKey_namingIt() {
    byte[] forged =
        statement("orders-api", SHA256, REVISION)
            .sign(TestKeys.signer(attacker, TestKeys.OTHER_ARN))
            .toJson();

    assertRefused(
        () -> verifier.verify(forged, expected()),
        Reason.UNTRUSTED_KEY,
        "signed by [" + TestKeys.OTHER_ARN + "], not by the configured signing key");
  }

  @Test
  void verify_doesNotQuoteAHostileKeyid() {
    byte[] forged =
        statement("orders-api", SHA256, REVISION)
            .sign(TestKeys.signer(attacker, "x\nINFO promoted orders-api to prod"))
            .toJson();

    assertThatThrownBy(() -> verifier.verify(forged, expected()))
        .isInstanceOf(ProvenanceException.class)
        .hasMessageNotContaining("\n")
        .hasMessageContaining("(a keyid that is not an ARN)");
  }

  @Test
  void verify_acceptsWhenAnyOfSeveralSignaturesIsTheTrustedKeys() {
    ProvenanceStatement signed = statement("orders-api", SHA256, REVISION);
    byte[] payload = signed.toJson();
    byte[] pae = DsseEnvelope.preAuthenticationEncoding(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, payload);
    DsseEnvelope envelope =
        new DsseEnvelope(
            DsseEnvelope.IN_TOTO_PAYLOAD_TYPE,
            payload,
            List.of(
                new DsseEnvelope.Signature(
                    TestKeys.OTHER_ARN, TestKeys.signer(attacker, "").sign(pae)),
                new DsseEnvelope.Signature(
                    TestKeys.TRUSTED_ARN, TestKeys.signer(trusted, "").sign(pae))));

    assertThat(verifier.verify(envelope.toJson(), expected())).isEqualTo(signed);
  }

  @Test
  void verify_refusesASignatureThatIsNotDer() {
    byte[] payload = statement("orders-api", SHA256, REVISION).toJson();
    DsseEnvelope envelope =
        new DsseEnvelope(
            DsseEnvelope.IN_TOTO_PAYLOAD_TYPE,
            payload,
            List.of(new DsseEnvelope.Signature(TestKeys.TRUSTED_ARN, new byte[64])));

    assertRefused(
        () -> verifier.verify(envelope.toJson(), expected()), Reason.SIGNATURE_INVALID, "");
  }

  @Test
  void verify_refusesAnotherPackagesDigest() {
    byte[] envelope = signedByTrusted(statement("orders-api", OTHER_SHA256, REVISION));

    assertRefused(
        () -> verifier.verify(envelope, expected()),
        Reason.SUBJECT_DIGEST_MISMATCH,
        "vouches for a package with SHA-256 " + OTHER_SHA256);
  }

  @Test
  void verify_refusesAnotherRevisionsProvenance() {
    byte[] envelope = signedByTrusted(statement("orders-api", SHA256, OTHER_REVISION));

    assertRefused(
        () -> verifier.verify(envelope, expected()),
        Reason.REVISION_MISMATCH,
        "signed for revision " + OTHER_REVISION + ", not " + REVISION);
  }

  @Test
  void verify_refusesAnotherFunctionsProvenance() {
    byte[] envelope = signedByTrusted(statement("billing-api", SHA256, REVISION));

    assertRefused(
        () -> verifier.verify(envelope, expected()),
        Reason.FUNCTION_MISMATCH,
        "signed for function billing-api, not orders-api");
  }

  @Test
  void verify_refusesAValidSignatureOverAnotherPayloadType() {
    byte[] envelope =
        DsseEnvelope.sign(
                "application/json",
                statement("orders-api", SHA256, REVISION).toJson(),
                TestKeys.signer(trusted, TestKeys.TRUSTED_ARN))
            .toJson();

    assertRefused(
        () -> verifier.verify(envelope, expected()),
        Reason.WRONG_PAYLOAD_TYPE,
        "payloadType is not application/vnd.in-toto+json");
  }

  @Test
  void verify_refusesAPayloadTypeChangedAfterSigning() throws Exception {
    // Signed as something else, relabelled as in-toto: the PAE binds the type, so it fails.
    byte[] signed =
        DsseEnvelope.sign(
                "application/json",
                statement("orders-api", SHA256, REVISION).toJson(),
                TestKeys.signer(trusted, TestKeys.TRUSTED_ARN))
            .toJson();
    ObjectNode json = (ObjectNode) DsseEnvelope.MAPPER.readTree(signed);
    json.put("payloadType", DsseEnvelope.IN_TOTO_PAYLOAD_TYPE);

    assertRefused(
        () -> verifier.verify(DsseEnvelope.MAPPER.writeValueAsBytes(json), expected()),
        Reason.SIGNATURE_INVALID,
        "");
  }

  @Test
  void verify_refusesMalformedBase64() throws Exception {
    ObjectNode json =
        (ObjectNode)
            DsseEnvelope.MAPPER.readTree(
                signedByTrusted(statement("orders-api", SHA256, REVISION)));
    json.put("payload", "%%%" + json.get("payload").textValue());

    assertRefused(
        () -> verifier.verify(DsseEnvelope.MAPPER.writeValueAsBytes(json), expected()),
        Reason.MALFORMED_ENVELOPE,
        "field \"payload\" is not valid base64");
  }

  @Test
  void verify_refusesAnOversizeEnvelopeBeforeAnyKeyIsFetched() {
    ProvenanceVerifier noKeys =
        new ProvenanceVerifier(
            keyArn -> {
              throw new AssertionError("no key is needed to refuse an oversize envelope");
            },
            SigningKeyArn.parse(TestKeys.TRUSTED_ARN));
    byte[] oversize = new byte[DsseEnvelope.MAX_BYTES + 1];

    assertRefused(
        () -> noKeys.verify(oversize, expected()), Reason.ENVELOPE_TOO_LARGE, "larger than");
  }

  @Test
  void verify_refusesASignedPayloadThatIsNotAProvenanceStatement() {
    byte[] envelope =
        DsseEnvelope.sign(
                DsseEnvelope.IN_TOTO_PAYLOAD_TYPE,
                "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],\"predicateType\":\"https://slsa.dev/provenance/v1\"}"
                    .getBytes(StandardCharsets.UTF_8),
                TestKeys.signer(trusted, TestKeys.TRUSTED_ARN))
            .toJson();

    assertRefused(
        () -> verifier.verify(envelope, expected()),
        Reason.MALFORMED_STATEMENT,
        "exactly one subject");
  }

  private static void assertRefused(ThrowingCallable call, Reason reason, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ProvenanceException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(messagePart);
  }
}
