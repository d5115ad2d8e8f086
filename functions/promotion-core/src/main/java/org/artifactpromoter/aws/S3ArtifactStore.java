package org.artifactpromoter.aws;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.artifact.ArtifactWrite;
import org.artifactpromoter.artifact.CopyOutcome;
import org.artifactpromoter.artifact.KeyVersions;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.artifact.SmallObject;
import org.artifactpromoter.artifact.TimeBudget;
import org.artifactpromoter.model.CopySettings;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.ObjectVersion;
import org.artifactpromoter.model.PromotionException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The {@link ArtifactStore} of one S3 bucket in one session. Writes carry the bucket's KMS key;
 * copies from this same store, or in server-side mode, happen inside S3; in streamed mode a copy
 * from another account's store reads with that store and writes with this one.
 */
public final class S3ArtifactStore implements ArtifactStore {
  /** Versions per ListObjectVersions page when looking for the newest few of a key. */
  static final int VERSIONS_PAGE = 16;

  private final SessionS3 s3;
  private final String bucket;
  private final String kmsKeyArn;
  private final CopySettings settings;
  private final ServerSideCopy serverSide;
  private final StreamedCopy streamed;

  S3ArtifactStore(
      SessionS3 s3,
      String bucket,
      String kmsKeyArn,
      CopySettings settings,
      ExecutorService partExecutor) {
    this.s3 = s3;
    this.bucket = bucket;
    this.kmsKeyArn = kmsKeyArn;
    this.settings = settings;
    this.serverSide = new ServerSideCopy(settings, partExecutor);
    this.streamed = new StreamedCopy(settings);
  }

  /**
   * A bucket read and written with a client of the caller's own credentials (the build's role, a
   * profile), with the default copy settings: {@code publish}, {@code inspect --bucket}. Copies
   * above the multipart threshold run their parts one at a time on a daemon thread, created only
   * when one is needed.
   *
   * @param kmsKeyArn the key writes are encrypted with, or null for the bucket's default
   */
  public static S3ArtifactStore withClient(S3Client client, String bucket, String kmsKeyArn) {
    return new S3ArtifactStore(
        SessionS3.of(client),
        bucket,
        kmsKeyArn,
        CopySettings.defaults(),
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "artifact-promoter-part");
              thread.setDaemon(true);
              return thread;
            }));
  }

  @Override
  public String bucket() {
    return bucket;
  }

  @Override
  public Optional<ArtifactVersion> head(String key, String versionId) {
    try {
      HeadObjectResponse head =
          s3.headObject(
              HeadObjectRequest.builder()
                  .bucket(bucket)
                  .key(key)
                  .versionId(versionId)
                  .checksumMode(ChecksumMode.ENABLED)
                  .build());
      if (Boolean.TRUE.equals(head.deleteMarker())) {
        return Optional.empty();
      }
      boolean multipart = isMultipartETag(head.eTag());
      return Optional.of(
          new ArtifactVersion(
              new ObjectVersion(bucket, key, head.versionId()),
              head.contentLength(),
              // A multipart object's checksum is a checksum of part checksums, not of the bytes.
              multipart ? null : Sha256.base64ToHex(head.checksumSHA256()),
              multipart,
              head.metadata(),
              head.lastModified(),
              head.eTag()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      // HEAD has no body: a missing key or version is a bare 404 (or 400 for a malformed id).
      if (e.statusCode() == 404 || e.statusCode() == 400 && versionId != null) {
        return Optional.empty();
      }
      throw AwsErrors.translate(e, s3.principal(), "Reading", bucket, key);
    } catch (SdkException e) {
      throw AwsErrors.translate(e, s3.principal(), "Reading", bucket, key);
    }
  }

  /** Multipart objects have an ETag of the form "hash-partCount" and no full-object checksum. */
  private static boolean isMultipartETag(String eTag) {
    return eTag != null && eTag.replace("\"", "").contains("-");
  }

  @Override
  public Map<String, String> tags(String key, String versionId) {
    try {
      Map<String, String> tags = new LinkedHashMap<>();
      s3.getObjectTagging(
              GetObjectTaggingRequest.builder()
                  .bucket(bucket)
                  .key(key)
                  .versionId(versionId)
                  .build())
          .tagSet()
          .forEach(t -> tags.put(t.key(), t.value()));
      return tags;
    } catch (SdkException e) {
      throw AwsErrors.translate(e, s3.principal(), "Reading tags of", bucket, key);
    }
  }

  /**
   * Small pages when listing stops early: a drop key gains a version per promotion, and the
   * versions asked for are the newest few; a page of a thousand would be read (and sent) on every
   * promotion. A full listing (history) takes S3's default pages.
   */
  @Override
  public KeyVersions versions(String key, String stopAfter) {
    List<KeyVersions.Entry> versions = new ArrayList<>();
    boolean[] deleteMarkers = {false};
    eachPage(
        key,
        stopAfter == null ? null : VERSIONS_PAGE,
        page -> {
          page.versions().stream()
              .filter(v -> v.key().equals(key))
              .forEach(
                  v ->
                      versions.add(
                          new KeyVersions.Entry(
                              v.versionId(), v.lastModified(), Boolean.TRUE.equals(v.isLatest()))));
          deleteMarkers[0] |= page.deleteMarkers().stream().anyMatch(m -> m.key().equals(key));
          return stopAfter != null
              && versions.stream().anyMatch(v -> v.versionId().equals(stopAfter));
        });
    return new KeyVersions(versions, deleteMarkers[0]);
  }

  /**
   * Lists the versions under prefix {@code key} page by page until the last page, or until {@code
   * enough} says so; {@code pageSize} null is S3's default (a thousand).
   */
  private void eachPage(
      String key, Integer pageSize, Predicate<ListObjectVersionsResponse> enough) {
    try {
      String keyMarker = null;
      String versionMarker = null;
      while (true) {
        ListObjectVersionsResponse page =
            s3.listObjectVersions(
                ListObjectVersionsRequest.builder()
                    .bucket(bucket)
                    .prefix(key)
                    .keyMarker(keyMarker)
                    .versionIdMarker(versionMarker)
                    .maxKeys(pageSize)
                    .build());
        if (enough.test(page) || !Boolean.TRUE.equals(page.isTruncated())) {
          return;
        }
        keyMarker = page.nextKeyMarker();
        versionMarker = page.nextVersionIdMarker();
      }
    } catch (SdkException e) {
      throw AwsErrors.translate(e, s3.principal(), "Listing versions of", bucket, key);
    }
  }

  @Override
  public Optional<SmallObject> readSmall(String key, int maxBytes) {
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(
            GetObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .checksumMode(ChecksumMode.ENABLED)
                .build())) {
      GetObjectResponse response = in.response();
      byte[] bytes = in.readNBytes(maxBytes + 1);
      return Optional.of(
          new SmallObject(
              new ArtifactVersion(
                  new ObjectVersion(bucket, key, response.versionId()),
                  response.contentLength(),
                  Sha256.base64ToHex(response.checksumSHA256()),
                  isMultipartETag(response.eTag()),
                  response.metadata(),
                  response.lastModified(),
                  response.eTag()),
              bytes));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw AwsErrors.translate(e, s3.principal(), "Reading", bucket, key);
    } catch (SdkException e) {
      throw AwsErrors.translate(e, s3.principal(), "Reading", bucket, key);
    } catch (java.io.IOException e) {
      throw new PromotionException(
          ErrorCode.INTERNAL, "Reading s3://" + bucket + "/" + key + " failed: " + e, e);
    }
  }

  @Override
  public InputStream open(ArtifactVersion version) {
    try {
      return s3.getObject(
          GetObjectRequest.builder()
              .bucket(version.bucket())
              .key(version.key())
              .versionId(version.versionId())
              .build());
    } catch (SdkException e) {
      throw AwsErrors.translate(e, s3.principal(), "Reading", version.bucket(), version.key());
    }
  }

  @Override
  public CopyOutcome copy(Copy copy, TimeBudget budget) {
    TargetWrite target = new TargetWrite(s3, bucket, kmsKeyArn, copy.target());
    if (settings.mode() == CopySettings.CopyMode.STREAMED && copy.from() != this) {
      return new CopyOutcome.Written(streamed.copy(target, copy.from(), copy.source()));
    }
    return serverSide.copy(target, copy.source(), budget, copy.resumeUploadId());
  }

  /** With {@code ifAbsent} the write is conditional: S3 refuses it if the key already exists. */
  @Override
  public ArtifactVersion put(ArtifactWrite write, Path file) {
    return put(write, RequestBody.fromFile(file), file.toFile().length());
  }

  @Override
  public ArtifactVersion put(ArtifactWrite write, byte[] bytes) {
    return put(write, RequestBody.fromBytes(bytes), bytes.length);
  }

  private ArtifactVersion put(ArtifactWrite write, RequestBody body, long size) {
    TargetWrite target = new TargetWrite(s3, bucket, kmsKeyArn, write);
    PutObjectRequest request =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(write.key())
            .contentType(target.contentType())
            .metadata(write.metadata())
            .tagging(target.tagging())
            .checksumAlgorithm(ChecksumAlgorithm.SHA256)
            .checksumSHA256(Sha256.hexToBase64(write.expectedSha256()))
            .serverSideEncryption(target.encryption())
            .ssekmsKeyId(kmsKeyArn)
            .ifNoneMatch(write.ifAbsent() ? "*" : null)
            .ifMatch(write.ifMatch())
            .build();
    try {
      PutObjectResponse response = s3.putObject(request, body);
      return target.written(
          response.versionId(),
          size,
          Sha256.base64ToHex(response.checksumSHA256()),
          response.eTag());
    } catch (SdkException e) {
      throw AwsErrors.translate(e, s3.principal(), "Publishing to", bucket, write.key());
    }
  }

  @Override
  public void abortUpload(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(
          AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
    } catch (NoSuchUploadException alreadyGone) {
      // Completed or aborted already.
    } catch (SdkException e) {
      throw AwsErrors.translate(e, s3.principal(), "Aborting an unfinished upload to", bucket, key);
    }
  }

  @Override
  public void deleteVersion(String key, String versionId) {
    try {
      s3.deleteObject(
          DeleteObjectRequest.builder().bucket(bucket).key(key).versionId(versionId).build());
    } catch (SdkException e) {
      throw AwsErrors.translate(
          e, s3.principal(), "Removing a version this promotion wrote at", bucket, key);
    }
  }
}
