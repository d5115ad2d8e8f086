package org.artifactpromoter.artifact;

import static org.artifactpromoter.artifact.ArtifactMetadata.BUILD_ID;
import static org.artifactpromoter.artifact.ArtifactMetadata.GIT_BRANCH;
import static org.artifactpromoter.artifact.ArtifactMetadata.GIT_REPOSITORY;
import static org.artifactpromoter.artifact.ArtifactMetadata.GIT_REVISION;
import static org.artifactpromoter.artifact.ArtifactMetadata.PROMOTION_ID;
import static org.artifactpromoter.artifact.ArtifactMetadata.REVISION_SUMMARY;
import static org.artifactpromoter.artifact.ArtifactMetadata.SHA256;
import static org.artifactpromoter.artifact.ArtifactMetadata.SOURCE_ENV;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactMetadataTest {
  private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";
  private static final String SHA =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String REPOSITORY = "https://scm/acme/orders-api.git";
  private static final String BUILD = "orders-api-build:6f1c0d3e-2b7a-4c1e-9d55-0a1b2c3d4e5f";
  private static final String PROMOTION = "20260304T120506Z-0a1b2c3d";
  private static final String JOB_PROMOTION = "job-11111111-2222-4333-8444-555555555555";

  /** Characters that need more than one escape each: 2-, 3- and 4-byte UTF-8, a surrogate pair. */
  private static final String WIDE = "é€🚀";

  private static final Pattern ESCAPE = Pattern.compile("%(..)?");

  private static BuildInfo git(String branch, String message) {
    return new BuildInfo(REVISION, branch, REPOSITORY, message, BUILD);
  }

  // --- what a build publishes ------------------------------------------------------------------

  @Test
  void of_keepsEveryBuildFact() {
    Map<String, String> metadata =
        ArtifactMetadata.of(git("main", "Add refunds\n\nWith a body."), SHA, null, null);

    assertThat(metadata)
        .containsEntry(GIT_REVISION, REVISION)
        .containsEntry(SHA256, SHA)
        .containsEntry(GIT_BRANCH, "main")
        .containsEntry(GIT_REPOSITORY, REPOSITORY)
        .containsEntry(BUILD_ID, BUILD)
        .containsEntry(REVISION_SUMMARY, "0123456 Add refunds")
        .doesNotContainKeys(SOURCE_ENV, PROMOTION_ID);
    assertFitsS3(metadata);
  }

  @Test
  void of_unknownFacts_areLeftOut() {
    Map<String, String> metadata =
        ArtifactMetadata.of(new BuildInfo(REVISION, null, "", null, null), SHA, null, null);

    assertThat(metadata.keySet()).containsExactlyInAnyOrder(GIT_REVISION, SHA256, REVISION_SUMMARY);
    assertThat(metadata).containsEntry(REVISION_SUMMARY, "0123456");
  }

  @Test
  void of_summary_isShortShaAndFirstLineOfTheMessage() {
    assertThat(summaryOf("Add refunds")).isEqualTo("0123456 Add refunds");
    assertThat(summaryOf("Add refunds\n\nFixes #12.")).isEqualTo("0123456 Add refunds");
    assertThat(summaryOf("\n\n  Add refunds  \r\nSecond line")).isEqualTo("0123456 Add refunds");
    assertThat(summaryOf("   ")).isEqualTo("0123456");
  }

  private static String summaryOf(String message) {
    return ArtifactMetadata.of(git("main", message), SHA, null, null).get(REVISION_SUMMARY);
  }

  @Test
  void of_nonAsciiFacts_arePercentEncodedAndDecodeBack() {
    String subject = "Zahlungen für Kunden ✓ " + WIDE;
    BuildInfo git =
        new BuildInfo(
            REVISION,
            "feature/café",
            "https://scm/équipe/orders-api",
            subject + "\n\nbody",
            "bau:ü");

    Map<String, String> metadata = ArtifactMetadata.of(git, SHA, null, null);

    assertFitsS3(metadata);
    assertThat(metadata.get(GIT_BRANCH)).isEqualTo("feature/caf%C3%A9");
    assertThat(ArtifactMetadata.buildInfoOf(metadata))
        .isEqualTo(
            new BuildInfo(
                REVISION, "feature/café", "https://scm/équipe/orders-api", subject, "bau:ü"));
  }

  @Test
  void of_percentSignsAndControlCharacters_areEscapedSoTheyDecodeBack() {
    String subject = "Raise rollout to 100% (was 50%25)\tnow";
    Map<String, String> metadata = ArtifactMetadata.of(git("50%-done", subject), SHA, null, null);

    assertFitsS3(metadata);
    assertThat(ArtifactMetadata.buildInfoOf(metadata).message()).isEqualTo(subject);
    assertThat(ArtifactMetadata.buildInfoOf(metadata).branch()).isEqualTo("50%-done");
  }

  @Test
  void encode_writesUtf8BytesAsUpperCaseEscapes() {
    assertThat(ArtifactMetadata.encode("é")).isEqualTo("%C3%A9");
    assertThat(ArtifactMetadata.encode("🚀")).isEqualTo("%F0%9F%9A%80");
    assertThat(ArtifactMetadata.encode("a%b\n")).isEqualTo("a%25b%0A");
    assertThat(ArtifactMetadata.encode("plain ASCII: ~!@#$^&*()"))
        .isEqualTo("plain ASCII: ~!@#$^&*()");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"50% rollout", "100%", "%", "50%off", "%+1 sign", "%-1", "%%41", "café 50% off"})
  void decode_leavesTextThatIsNotAnEscapeAsItIs(String written) {
    // Other tools write codepipeline-artifact-revision-summary too: reading theirs must not fail.
    assertThat(ArtifactMetadata.decode(written)).isEqualTo(written.replace("%41", "A"));
  }

  @Test
  void of_tenThousandCharacterMessage_fitsIn2048Bytes() {
    String message = "Refactor everything " + "x".repeat(10_000);

    Map<String, String> metadata = ArtifactMetadata.of(git("main", message), SHA, null, null);

    assertFitsS3(metadata);
    String summary = metadata.get(REVISION_SUMMARY);
    assertThat(summary).startsWith("0123456 Refactor everything xxx").endsWith("...");
    assertThat(ArtifactMetadata.size(metadata)).isGreaterThan(2000);
  }

  @Test
  void of_2000CharacterBranch_isCutAndEverythingStillFits() {
    String branch = "feature/" + "b".repeat(2000);

    Map<String, String> metadata =
        ArtifactMetadata.of(git(branch, "Add refunds"), SHA, "dev", PROMOTION);

    assertFitsS3(metadata);
    assertThat(metadata.get(GIT_BRANCH)).hasSizeLessThanOrEqualTo(256).startsWith("feature/bbb");
    assertThat(metadata).containsEntry(REVISION_SUMMARY, "0123456 Add refunds");
  }

  @Test
  void of_everyFactHuge_stillFitsAndKeepsTheRevision() {
    String huge = WIDE.repeat(2000);
    BuildInfo git = new BuildInfo(REVISION, huge, REPOSITORY + huge, huge + "\n" + huge, huge);

    Map<String, String> metadata = ArtifactMetadata.of(git, SHA, "dev", JOB_PROMOTION);

    assertFitsS3(metadata);
    assertThat(metadata)
        .containsEntry(GIT_REVISION, REVISION)
        .containsEntry(SHA256, SHA)
        .containsEntry(SOURCE_ENV, "dev")
        .containsEntry(PROMOTION_ID, JOB_PROMOTION);
    assertThat(metadata.get(REVISION_SUMMARY)).startsWith("0123456 %C3%A9");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
  void of_truncation_neverSplitsAnEscapeOrASurrogatePair(int shift) {
    // Shifting the text by one character at a time puts the cut at every position of a character.
    String text = "x".repeat(shift) + WIDE.repeat(3000);

    Map<String, String> metadata = ArtifactMetadata.of(git(text, text), SHA, null, null);

    assertFitsS3(metadata);
    assertDecodesToAPrefixOf(metadata.get(GIT_BRANCH), text);
    assertDecodesToAPrefixOf(metadata.get(REVISION_SUMMARY), "0123456 " + text);
  }

  // --- what a promotion writes -----------------------------------------------------------------

  @Test
  void promoted_keepsBuildFactsAndReplacesPromotionFacts() {
    Map<String, String> built = ArtifactMetadata.of(git("main", "Add refunds"), SHA, null, null);

    Map<String, String> inStage = ArtifactMetadata.promoted(built, "dev", PROMOTION);
    Map<String, String> inProd = ArtifactMetadata.promoted(inStage, "stage", JOB_PROMOTION);

    for (String fact :
        new String[] {
          GIT_REVISION, SHA256, GIT_BRANCH, GIT_REPOSITORY, BUILD_ID, REVISION_SUMMARY
        }) {
      assertThat(inStage.get(fact)).as(fact).isEqualTo(built.get(fact));
      assertThat(inProd.get(fact)).as(fact).isEqualTo(built.get(fact));
    }
    assertThat(inStage).containsEntry(SOURCE_ENV, "dev").containsEntry(PROMOTION_ID, PROMOTION);
    assertThat(inProd)
        .containsEntry(SOURCE_ENV, "stage")
        .containsEntry(PROMOTION_ID, JOB_PROMOTION);
    assertFitsS3(inProd);
  }

  @Test
  void promoted_doesNotEncodeAlreadyEncodedValuesAgain() {
    BuildInfo git =
        new BuildInfo(REVISION, "feature/café", REPOSITORY, "Réparer 100% " + WIDE, "bau:ü");
    Map<String, String> built = ArtifactMetadata.of(git, SHA, null, null);

    Map<String, String> inProd =
        ArtifactMetadata.promoted(
            ArtifactMetadata.promoted(built, "dev", PROMOTION), "stage", JOB_PROMOTION);

    assertThat(inProd.get(GIT_BRANCH)).isEqualTo("feature/caf%C3%A9").doesNotContain("%25");
    assertThat(inProd.get(REVISION_SUMMARY)).isEqualTo(built.get(REVISION_SUMMARY));
    assertThat(ArtifactMetadata.buildInfoOf(inProd))
        .isEqualTo(ArtifactMetadata.buildInfoOf(built))
        .isEqualTo(
            new BuildInfo(REVISION, "feature/café", REPOSITORY, "Réparer 100% " + WIDE, "bau:ü"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
  void promoted_ofAFullArtifact_fitsWithoutSplittingAnEscape(int shift) {
    // The build used all 2048 bytes; the promotion adds source-env and promotion-id.
    String message = "x".repeat(shift) + WIDE.repeat(3000);
    Map<String, String> built = ArtifactMetadata.of(git("main", message), SHA, null, null);

    Map<String, String> inStage = ArtifactMetadata.promoted(built, "dev", PROMOTION);
    Map<String, String> inProd = ArtifactMetadata.promoted(inStage, "stage", JOB_PROMOTION);

    for (Map<String, String> metadata : List.of(inStage, inProd)) {
      assertFitsS3(metadata);
      assertThat(metadata).containsEntry(GIT_BRANCH, "main").containsKey(PROMOTION_ID);
      assertDecodesToAPrefixOf(metadata.get(REVISION_SUMMARY), "0123456 " + message);
    }
  }

  @Test
  void promoted_sourceWithoutSummary_getsNone() {
    Map<String, String> source = new HashMap<>(Map.of(GIT_REVISION, REVISION, SHA256, SHA));

    Map<String, String> promoted = ArtifactMetadata.promoted(source, "dev", PROMOTION);

    assertThat(promoted)
        .containsOnlyKeys(GIT_REVISION, SHA256, SOURCE_ENV, PROMOTION_ID)
        .containsEntry(SOURCE_ENV, "dev");
  }

  // --- tags ------------------------------------------------------------------------------------

  @Test
  void tags_carryRevisionOriginPromotionAndApprover() {
    Map<String, String> tags =
        ArtifactMetadata.tags(
            REVISION, "stage", PROMOTION, "arn:aws:sts::111111111111:assumed-role/Approver/alice");

    assertThat(tags)
        .containsExactly(
            Map.entry("git-revision", REVISION),
            Map.entry("promoted-from", "stage"),
            Map.entry("promotion-id", PROMOTION),
            Map.entry("approved-by", "arn:aws:sts::111111111111:assumed-role/Approver/alice"))
        .hasSizeLessThanOrEqualTo(10);
  }

  @Test
  void tags_unknownValues_areLeftOut() {
    assertThat(ArtifactMetadata.tags(REVISION, null, null, null)).containsOnlyKeys("git-revision");
    assertThat(ArtifactMetadata.tags(REVISION, "", PROMOTION, "")).hasSize(2);
  }

  @Test
  void tags_approverOutsideTheTagCharset_isReducedToIt() {
    Map<String, String> tags = ArtifactMetadata.tags(REVISION, "dev", PROMOTION, "Jörg <ops> #1");

    assertThat(tags).containsEntry("approved-by", "J_rg _ops_ _1");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "alice@acme ops_team.1:2/3=4+5-6 | alice@acme ops_team.1:2/3=4+5-6",
        "a,b;c*d\"e!f                    | a_b_c_d_e_f",
        "Zoë                             | Zo_",
        "🚀x                             | _x"
      })
  void tagValue_keepsOnlyTheS3TagCharset(String value, String expected) {
    assertThat(ArtifactMetadata.tagValue(value)).isEqualTo(expected);
  }

  @Test
  void tagValue_controlCharacters_becomeUnderscores() {
    assertThat(ArtifactMetadata.tagValue("line\nbreak\ttab")).isEqualTo("line_break_tab");
  }

  @Test
  void tagValue_isAtMost256Characters() {
    assertThat(ArtifactMetadata.tagValue("a".repeat(1000))).hasSize(256);
    assertThat(ArtifactMetadata.tagValue(WIDE.repeat(1000))).hasSize(256).matches("_{256}");
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** What S3 accepts as user metadata: printable ASCII, at most 2048 bytes of keys and values. */
  private static void assertFitsS3(Map<String, String> metadata) {
    int bytes = 0;
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      assertThat(entry.getValue()).as(entry.getKey()).matches("[\\x20-\\x7e]*");
      assertWellFormedEscapes(entry.getKey(), entry.getValue());
      bytes += entry.getKey().getBytes(StandardCharsets.UTF_8).length;
      bytes += entry.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    assertThat(bytes).as("metadata bytes of %s", metadata.keySet()).isLessThanOrEqualTo(2048);
  }

  private static void assertWellFormedEscapes(String key, String value) {
    Matcher escape = ESCAPE.matcher(value);
    while (escape.find()) {
      assertThat(escape.group(1))
          .as("escape at %d of %s: ...%s", escape.start(), key, tail(value, escape.start()))
          .isNotNull()
          .matches("[0-9A-F]{2}");
    }
    String decoded = ArtifactMetadata.decode(value);
    assertThat(decoded).as("%s decoded", key).doesNotContain("\uFFFD");
    assertThat(
            decoded
                .codePoints()
                .filter(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE))
        .as("lone surrogates in %s", key)
        .isEmpty();
  }

  private static void assertDecodesToAPrefixOf(String encoded, String original) {
    String decoded = ArtifactMetadata.decode(encoded);
    String withoutMarker =
        decoded.endsWith("...") ? decoded.substring(0, decoded.length() - 3) : decoded;
    assertThat(original).startsWith(withoutMarker);
    assertThat(withoutMarker.length()).isGreaterThan(10);
  }

  private static String tail(String value, int from) {
    return value.substring(from, Math.min(value.length(), from + 12));
  }
}
