package org.artifactpromoter.artifact;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/** The artifact operations on one bucket's account, with errors that say what to check. */
public final class S3ArtifactStore {
  /** Versions per ListObjectVersions page when looking for the newest few of a key. */
  static final int VERSIONS_PAGE = 16;

  public static final String CONTENT_TYPE = "application/zip";

  private final S3Client s3;

  public S3ArtifactStore(S3Client s3) {
    this.s3 = s3;
  }

  public S3Client client() {
    return s3;
  }

  /** The object version (the current one when {@code versionId} is null), or empty if absent. */
  public Optional<StoredArtifact> head(String bucket, String key, String versionId) {
    try {
      HeadObjectResponse head =
          s3.headObject(
              b ->
                  b.bucket(bucket)
                      .key(key)
                      .versionId(versionId)
                      .checksumMode(ChecksumMode.ENABLED));
      if (Boolean.TRUE.equals(head.deleteMarker())) {
        return Optional.empty();
      }
      return Optional.of(
          new StoredArtifact(
              bucket,
              key,
              head.versionId(),
              head.contentLength(),
              head.eTag(),
              // A multipart object's checksum is a checksum of part checksums, not of the bytes.
              isMultipartETag(head.eTag()) ? null : Sha256.base64ToHex(head.checksumSHA256()),
              head.metadata(),
              head.lastModified()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      // HEAD has no body: a missing key or version is a bare 404 (or 400 for a malformed id).
      if (e.statusCode() == 404 || e.statusCode() == 400 && versionId != null) {
        return Optional.empty();
      }
      throw S3Errors.translate(e, "Reading", bucket, key);
    } catch (SdkException e) {
      throw S3Errors.translate(e, "Reading", bucket, key);
    }
  }

  static boolean isMultipartETag(String eTag) {
    return eTag != null && eTag.replace("\"", "").contains("-");
  }

  public Map<String, String> tags(String bucket, String key, String versionId) {
    try {
      Map<String, String> tags = new LinkedHashMap<>();
      s3.getObjectTagging(b -> b.bucket(bucket).key(key).versionId(versionId))
          .tagSet()
          .forEach(t -> tags.put(t.key(), t.value()));
      return tags;
    } catch (SdkException e) {
      throw S3Errors.translate(e, "Reading tags of", bucket, key);
    }
  }

  /**
   * Every version of exactly {@code key}, newest first, in the order S3 stored them (not sorted by
   * LastModified: S3 reports it to the second, and for a multipart upload it is when the upload
   * started).
   */
  public List<ObjectVersion> versions(String bucket, String key) {
    List<ObjectVersion> versions = new ArrayList<>();
    eachPage(
        bucket,
        key,
        null,
        page -> {
          page.versions().stream().filter(v -> v.key().equals(key)).forEach(versions::add);
          return false;
        });
    return versions;
  }

  /**
   * The versions of exactly {@code key} as S3 lists them, newest first. Listing stops after the
   * page that holds {@code stopAfter} (a version known to be older than every one the caller cares
   * about), or at the end when it is null.
   */
  public KeyVersions listVersions(String bucket, String key, String stopAfter) {
    List<String> versions = new ArrayList<>();
    boolean[] deleteMarkers = {false};
    // Small pages: a drop key gains a version per promotion, and the versions asked for are the
    // newest few; a page of a thousand would be read (and sent) on every promotion.
    eachPage(
        bucket,
        key,
        VERSIONS_PAGE,
        page -> {
          page.versions().stream()
              .filter(v -> v.key().equals(key))
              .forEach(v -> versions.add(v.versionId()));
          deleteMarkers[0] |= page.deleteMarkers().stream().anyMatch(m -> m.key().equals(key));
          return stopAfter != null && versions.contains(stopAfter);
        });
    return new KeyVersions(versions, deleteMarkers[0]);
  }

  /**
   * Lists the versions under prefix {@code key} page by page until the last page, or until {@code
   * enough} says so; {@code pageSize} null is S3's default (a thousand).
   */
  private void eachPage(
      String bucket, String key, Integer pageSize, Predicate<ListObjectVersionsResponse> enough) {
    try {
      String keyMarker = null;
      String versionMarker = null;
      while (true) {
        final String km = keyMarker;
        final String vm = versionMarker;
        ListObjectVersionsResponse page =
            s3.listObjectVersions(
                b ->
                    b.bucket(bucket)
                        .prefix(key)
                        .keyMarker(km)
                        .versionIdMarker(vm)
                        .maxKeys(pageSize));
        if (enough.test(page) || !Boolean.TRUE.equals(page.isTruncated())) {
          return;
        }
        keyMarker = page.nextKeyMarker();
        versionMarker = page.nextVersionIdMarker();
      }
    } catch (SdkException e) {
      throw S3Errors.translate(e, "Listing versions of", bucket, key);
    }
  }

  /**
   * Uploads {@code file} with S3 verifying its SHA-256. With {@code ifAbsent} the write is
   * conditional: it fails with HTTP 412 if the key already exists.
   */
  public WrittenObject put(
      String bucket,
      String key,
      Path file,
      String sha256Hex,
      Map<String, String> metadata,
      Map<String, String> tags,
      String kmsKeyArn,
      boolean ifAbsent) {
    PutObjectRequest.Builder request =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType(CONTENT_TYPE)
            .metadata(metadata)
            .tagging(tagging(tags))
            .checksumAlgorithm(ChecksumAlgorithm.SHA256)
            .checksumSHA256(Sha256.hexToBase64(sha256Hex));
    if (ifAbsent) {
      request.ifNoneMatch("*");
    }
    encryption(request, kmsKeyArn);
    PutObjectResponse response = s3.putObject(request.build(), RequestBody.fromFile(file));
    return new WrittenObject(
        bucket, key, response.versionId(), Sha256.base64ToHex(response.checksumSHA256()));
  }

  /**
   * Removes exactly one version, permanently: used only to take back a version this promotion wrote
   * (one that failed its checksum, or lost a race to another promotion's write). A version that is
   * already gone is not an error.
   */
  public void deleteVersion(String bucket, String key, String versionId) {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key).versionId(versionId));
    } catch (SdkException e) {
      throw S3Errors.translate(e, "Removing a version this promotion wrote at", bucket, key);
    }
  }

  public static Tagging tagging(Map<String, String> tags) {
    List<Tag> tagSet = new ArrayList<>();
    tags.forEach((k, v) -> tagSet.add(Tag.builder().key(k).value(v).build()));
    return Tagging.builder().tagSet(tagSet).build();
  }

  static void encryption(PutObjectRequest.Builder request, String kmsKeyArn) {
    if (kmsKeyArn != null) {
      request.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyArn);
    }
  }
}
