package org.artifactpromoter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.artifact.ArtifactWrite;
import org.artifactpromoter.artifact.CopyOutcome;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.artifact.TimeBudget;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.ObjectVersion;
import org.artifactpromoter.model.PromotionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectResult;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;

/**
 * The check after a server-side copy: S3 reports the SHA-256 of what it wrote; when that is not the
 * recorded one, the version just written is removed and the copy refused. A fake S3 answers with
 * chosen checksums (the emulator never corrupts a copy, so only a fake can show this path).
 */
class ServerSideCopyIntegrityTest {
  private static final String RECORDED =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final String OTHER =
      "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

  /** Answers CopyObject with a fixed checksum and records deletions. */
  private static final class FakeS3 implements S3Client {
    final String checksumHex;
    final List<DeleteObjectRequest> deleted = new ArrayList<>();
    final List<CopyObjectRequest> copies = new ArrayList<>();

    FakeS3(String checksumHex) {
      this.checksumHex = checksumHex;
    }

    @Override
    public CopyObjectResponse copyObject(CopyObjectRequest request) {
      copies.add(request);
      return CopyObjectResponse.builder()
          .versionId("v-written")
          .copyObjectResult(
              CopyObjectResult.builder().checksumSHA256(Sha256.hexToBase64(checksumHex)).build())
          .build();
    }

    @Override
    public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
      deleted.add(request);
      return DeleteObjectResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "s3";
    }

    @Override
    public void close() {}
  }

  /** A copy within {@code store}'s own bucket's account: server-side, as every default copy. */
  private static ArtifactStore.Copy copy(ArtifactStore store) {
    ArtifactVersion source =
        new ArtifactVersion(
            new ObjectVersion(
                "src-bucket", "releases/orders-api/" + "a".repeat(40) + ".zip", "v-source"),
            1234,
            RECORDED,
            false,
            Map.of("sha256", RECORDED),
            Instant.EPOCH,
            "\"source-etag\"");
    return new ArtifactStore.Copy(
        store,
        source,
        new ArtifactWrite(
            "releases/orders-api/" + "a".repeat(40) + ".zip",
            RECORDED,
            Map.of("sha256", RECORDED),
            Map.of("git-revision", "a".repeat(40)),
            true),
        null);
  }

  private static S3ArtifactStore store(FakeS3 s3) {
    return S3ArtifactStore.withClient(s3, "dst-bucket", null);
  }

  @Test
  void serverSide_whenS3WroteOtherBytes_removesThatVersionAndFailsWithIntegrityMismatch() {
    FakeS3 s3 = new FakeS3(OTHER);

    S3ArtifactStore store = store(s3);

    assertThatThrownBy(() -> store.copy(copy(store), TimeBudget.unbounded()))
        .isInstanceOfSatisfying(
            PromotionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_MISMATCH);
              assertThat(e.getMessage()).contains(OTHER, RECORDED, "Nothing was promoted");
            });
    assertThat(s3.deleted)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.bucket()).isEqualTo("dst-bucket");
              assertThat(d.versionId()).isEqualTo("v-written");
            });
  }

  @Test
  void serverSide_whenChecksumsAgree_keepsTheVersionAndPinsTheSourceVersion() {
    FakeS3 s3 = new FakeS3(RECORDED);

    S3ArtifactStore store = store(s3);

    CopyOutcome outcome = store.copy(copy(store), TimeBudget.unbounded());

    ArtifactVersion written = ((CopyOutcome.Written) outcome).version();
    assertThat(written.versionId()).isEqualTo("v-written");
    assertThat(written.checksumSha256()).isEqualTo(RECORDED);
    assertThat(s3.deleted).isEmpty();
    CopyObjectRequest copy = s3.copies.get(0);
    assertThat(copy.sourceVersionId()).isEqualTo("v-source");
    assertThat(copy.ifNoneMatch()).isEqualTo("*");
    assertThat(copy.metadataDirectiveAsString()).isEqualTo("REPLACE");
    assertThat(copy.taggingDirectiveAsString()).isEqualTo("REPLACE");
  }
}
