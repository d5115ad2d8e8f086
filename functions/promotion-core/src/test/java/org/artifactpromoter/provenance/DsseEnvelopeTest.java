package org.artifactpromoter.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.artifactpromoter.provenance.ProvenanceException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DsseEnvelopeTest {
  private static final String SIG = "MEUCIQDx"; // base64 of a few bytes; parse does not verify

  @Test
  void preAuthenticationEncoding_isTheDsseSpecTestVector() {
    // envelope.md's example: payloadType http://example.com/HelloWorld, payload "hello world".
    byte[] pae =
        DsseEnvelope.preAuthenticationEncoding(
            "http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(pae, StandardCharsets.UTF_8))
        .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  }

  @Test
  void preAuthenticationEncoding_countsBytesNotCharacters() {
    byte[] pae =
        DsseEnvelope.preAuthenticationEncoding("t/é", "ü".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 4 t/é 2 ü");
  }

  @Test
  void toJson_thenParse_givesTheSameEnvelope() {
    DsseEnvelope envelope =
        new DsseEnvelope(
            DsseEnvelope.IN_TOTO_PAYLOAD_TYPE,
            new byte[] {1, 2, 3},
            List.of(new DsseEnvelope.Signature(TestKeys.TRUSTED_ARN, new byte[] {9, 8})));

    String json = new String(envelope.toJson(), StandardCharsets.UTF_8);
    DsseEnvelope parsed = DsseEnvelope.parse(envelope.toJson());

    assertThat(json)
        .isEqualTo(
            "{\"payload\":\"AQID\",\"payloadType\":\"application/vnd.in-toto+json\","
                + "\"signatures\":[{\"keyid\":\""
                + TestKeys.TRUSTED_ARN
                + "\",\"sig\":\"CQg=\"}]}");
    assertThat(parsed.payload()).containsExactly(1, 2, 3);
    assertThat(parsed.payloadType()).isEqualTo(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE);
    assertThat(parsed.signatures())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.keyId()).isEqualTo(TestKeys.TRUSTED_ARN);
              assertThat(s.sig()).containsExactly(9, 8);
            });
  }

  @Test
  void parse_acceptsUrlSafeBase64AndAMissingKeyid() {
    DsseEnvelope parsed =
        parse(
            "{\"payload\":\"-_8\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\""
                + SIG
                + "\"}]}");

    assertThat(parsed.payload()).containsExactly(0xfb, 0xff);
    assertThat(parsed.signatures().get(0).keyId()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[]",
        "\"a string\"",
        // unknown field at the top level and in a signature
        "{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\""
            + SIG
            + "\"}],\"extra\":1}",
        "{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\""
            + SIG
            + "\",\"cert\":\"x\"}]}",
        // missing fields
        "{\"payloadType\":\"x\",\"signatures\":[{\"sig\":\"" + SIG + "\"}]}",
        "{\"payload\":\"AQID\",\"signatures\":[{\"sig\":\"" + SIG + "\"}]}",
        "{\"payload\":\"AQID\",\"payloadType\":\"x\"}",
        "{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[{\"keyid\":\"k\"}]}",
        // wrong types
        "{\"payload\":123,\"payloadType\":\"x\",\"signatures\":[{\"sig\":\"" + SIG + "\"}]}",
        "{\"payload\":\"AQID\",\"payloadType\":[\"x\"],\"signatures\":[{\"sig\":\"" + SIG + "\"}]}",
        "{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":{\"sig\":\"" + SIG + "\"}}",
        "{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[\"" + SIG + "\"]}",
        "{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[{\"keyid\":7,\"sig\":\""
            + SIG
            + "\"}]}",
        "{\"payload\":null,\"payloadType\":\"x\",\"signatures\":[{\"sig\":\"" + SIG + "\"}]}",
        // malformed base64 in the payload and in a signature, empty signature
        "{\"payload\":\"AQ ID\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\"" + SIG + "\"}]}",
        "{\"payload\":\"A*ID\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\"" + SIG + "\"}]}",
        "{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\"M=E\"}]}",
        "{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\"\"}]}",
        // no signatures; a duplicate key (which one would a verifier read?); two documents
        "{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[]}",
        "{\"payload\":\"AQID\",\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\""
            + SIG
            + "\"}]}",
        "{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\"" + SIG + "\"}]} {}"
      })
  void parse_refusesWhatIsNotAStrictDsseEnvelope(String json) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_ENVELOPE))
        .hasMessageStartingWith("The provenance envelope ")
        .hasMessageContaining("treat the release as untrusted");
  }

  @Test
  void parse_refusesMoreSignaturesThanAnyHonestEnvelopeCarries() {
    String one = "{\"sig\":\"" + SIG + "\"}";
    String nine = String.join(",", java.util.Collections.nCopies(9, one));

    assertThatThrownBy(
            () ->
                parse("{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[" + nine + "]}"))
        .isInstanceOf(ProvenanceException.class)
        .hasMessageContaining("1 to 8 signatures, not 9");
  }

  @Test
  void parse_doesNotQuoteTheEnvelopesText() {
    String hostile =
        "{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\""
            + SIG
            + "\"}],\"INFO promoted by admin\":1}";

    assertThatThrownBy(() -> parse(hostile))
        .isInstanceOf(ProvenanceException.class)
        .hasMessageNotContaining("INFO promoted")
        .hasMessageContaining("1 unknown field(s) at the top level");
    assertThatThrownBy(() -> parse("{\"payload\": secretToken123}"))
        .isInstanceOf(ProvenanceException.class)
        .hasMessageNotContaining("secretToken123")
        .hasMessageContaining("line 1");
  }

  @Test
  void parse_refusesAnOversizeEnvelope() {
    String padding = "A".repeat(DsseEnvelope.MAX_BYTES);
    String json =
        "{\"payload\":\""
            + padding
            + "\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\""
            + SIG
            + "\"}]}";

    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.ENVELOPE_TOO_LARGE))
        .hasMessageContaining("larger than 65536 bytes");
  }

  @Test
  void read_stopsReadingJustPastTheLimit() {
    long[] served = {0};
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            served[0]++;
            return ' ';
          }
        };

    assertThatThrownBy(() -> DsseEnvelope.read(endless))
        .isInstanceOfSatisfying(
            ProvenanceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.ENVELOPE_TOO_LARGE));
    assertThat(served[0]).isEqualTo(DsseEnvelope.MAX_BYTES + 1L);
  }

  @Test
  void read_parsesAnEnvelopeWithinTheLimit() throws Exception {
    byte[] json =
        ("{\"payload\":\"AQID\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\"" + SIG + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(DsseEnvelope.read(new ByteArrayInputStream(json)).payload())
        .containsExactly(1, 2, 3);
  }

  private static DsseEnvelope parse(String json) {
    return DsseEnvelope.parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
