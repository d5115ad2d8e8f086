package org.artifactpromoter.aws;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.artifact.ArtifactWrite;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.ObjectVersion;
import org.artifactpromoter.model.PromotionException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * One object being written into a bucket: what every copy strategy shares. It sets the request
 * headers the same way for every write (metadata, tags, SHA-256 checksums, and the bucket's KMS
 * key, which S3 takes as two headers: the encryption kind and the key), runs multipart uploads
 * (created with metadata and tags, since a multipart copy carries neither; completed only when
 * every part is there; aborted on any failure), and takes back a version that must not stay.
 */
final class TargetWrite {
  static final String CONTENT_TYPE = "application/zip";
  static final String JSON_CONTENT_TYPE = "application/json";

  final SessionS3 s3;
  final String bucket;
  final ArtifactWrite write;
  private final String kmsKeyArn;

  TargetWrite(SessionS3 s3, String bucket, String kmsKeyArn, ArtifactWrite write) {
    this.s3 = s3;
    this.bucket = bucket;
    this.kmsKeyArn = kmsKeyArn;
    this.write = write;
  }

  String key() {
    return write.key();
  }

  /** Packages are zips; provenance envelopes are JSON. */
  String contentType() {
    return contentTypeOf(write.key());
  }

  static String contentTypeOf(String key) {
    return key.endsWith(".json") ? JSON_CONTENT_TYPE : CONTENT_TYPE;
  }

  /** SSE-KMS with the bucket's key, or null (not sent: the bucket's default encryption applies). */
  ServerSideEncryption encryption() {
    return kmsKeyArn == null ? null : ServerSideEncryption.AWS_KMS;
  }

  String kmsKeyArn() {
    return kmsKeyArn;
  }

  Tagging tagging() {
    List<Tag> tagSet = new ArrayList<>();
    write.tags().forEach((k, v) -> tagSet.add(Tag.builder().key(k).value(v).build()));
    return Tagging.builder().tagSet(tagSet).build();
  }

  /** The version written: {@code checksumSha256} is S3's own hash of it, null for multipart. */
  ArtifactVersion written(String versionId, long sizeBytes, String checksumSha256, String eTag) {
    return new ArtifactVersion(
        new ObjectVersion(bucket, write.key(), versionId),
        sizeBytes,
        checksumSha256,
        checksumSha256 == null,
        write.metadata(),
        null,
        eTag);
  }

  String createUpload() {
    try {
      return s3.createMultipartUpload(
              CreateMultipartUploadRequest.builder()
                  .bucket(bucket)
                  .key(write.key())
                  .contentType(contentType())
                  // A multipart copy does not carry metadata or tags: they are set on the upload.
                  .metadata(write.metadata())
                  .tagging(urlEncoded(write.tags()))
                  .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                  .serverSideEncryption(encryption())
                  .ssekmsKeyId(kmsKeyArn)
                  .build())
          .uploadId();
    } catch (SdkException e) {
      throw AwsErrors.translate(
          e, s3.principal(), "Starting a multipart upload to", bucket, write.key());
    }
  }

  /** The parts an earlier invocation finished, as S3 lists them: the truth on resume. */
  SortedMap<Integer, CompletedPart> listParts(String uploadId) {
    SortedMap<Integer, CompletedPart> parts = new TreeMap<>();
    Integer marker = null;
    try {
      while (true) {
        ListPartsResponse page =
            s3.listParts(
                ListPartsRequest.builder()
                    .bucket(bucket)
                    .key(write.key())
                    .uploadId(uploadId)
                    .partNumberMarker(marker)
                    .build());
        page.parts()
            .forEach(
                p ->
                    parts.put(
                        p.partNumber(),
                        CompletedPart.builder()
                            .partNumber(p.partNumber())
                            .eTag(p.eTag())
                            .checksumSHA256(p.checksumSHA256())
                            .build()));
        if (!Boolean.TRUE.equals(page.isTruncated())) {
          return parts;
        }
        marker = page.nextPartNumberMarker();
      }
    } catch (SdkException e) {
      throw AwsErrors.translate(
          e, s3.principal(), "Resuming the multipart upload to", bucket, write.key());
    }
  }

  /**
   * Completes the upload and proves the whole object is the recorded bytes before anyone may use
   * it: a multipart object has only a composite checksum (of part checksums), which says nothing
   * about the whole, so the object written is read back and hashed. Its size is checked first (a
   * cheap refusal of a wrong part layout). A version that fails is taken back. A streamed upload
   * hashed every byte it sent, with S3 checking each part's SHA-256: it needs no read-back.
   */
  ArtifactVersion complete(
      String uploadId,
      SortedMap<Integer, CompletedPart> parts,
      ArtifactVersion source,
      BytesSeen bytesSeen) {
    try {
      CompleteMultipartUploadRequest.Builder request =
          CompleteMultipartUploadRequest.builder()
              .bucket(bucket)
              .key(write.key())
              .uploadId(uploadId)
              .multipartUpload(
                  CompletedMultipartUpload.builder()
                      .parts(new ArrayList<>(parts.values()))
                      .build());
      if (write.ifAbsent()) {
        request.ifNoneMatch("*");
      }
      if (write.ifMatch() != null) {
        request.ifMatch(write.ifMatch());
      }
      CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(request.build());
      String versionId = completed.versionId();
      long size =
          s3.headObject(
                  HeadObjectRequest.builder()
                      .bucket(bucket)
                      .key(write.key())
                      .versionId(versionId)
                      .build())
              .contentLength();
      if (size != source.sizeBytes()) {
        takeBack(versionId);
        throw integrity(source, "a " + size + "-byte object");
      }
      String readBack =
          bytesSeen == BytesSeen.HASHED_WHILE_UPLOADING ? null : readBackSha256(versionId);
      if (readBack != null && !write.expectedSha256().equals(readBack)) {
        takeBack(versionId);
        throw integrity(source, readBack);
      }
      return written(versionId, size, null, completed.eTag());
    } catch (SdkException e) {
      abort(uploadId);
      throw AwsErrors.translate(
          e, s3.principal(), "Completing the multipart upload to", bucket, write.key());
    }
  }

  /** Whether this process saw the bytes of a multipart upload. */
  enum BytesSeen {
    /** Parts copied inside S3 (UploadPartCopy): no byte passed through here. */
    NONE,
    /** Parts uploaded from here, every byte hashed on the way and each part checked by S3. */
    HASHED_WHILE_UPLOADING
  }

  /** The SHA-256 of the version just written, read back whole. */
  private String readBackSha256(String versionId) {
    try (var in =
        s3.getObject(
            GetObjectRequest.builder()
                .bucket(bucket)
                .key(write.key())
                .versionId(versionId)
                .build())) {
      return Sha256.hexOf(in);
    } catch (java.io.IOException e) {
      throw new PromotionException(
          ErrorCode.INTERNAL,
          "Reading back s3://" + bucket + "/" + write.key() + " to verify it failed: " + e,
          e);
    }
  }

  /** Best effort: already completed or gone is fine; the bucket's lifecycle rule ends the rest. */
  void abort(String uploadId) {
    try {
      s3.abortMultipartUpload(
          AbortMultipartUploadRequest.builder()
              .bucket(bucket)
              .key(write.key())
              .uploadId(uploadId)
              .build());
    } catch (SdkException ignored) {
      // Already completed or gone; the bucket's lifecycle rule removes any that remain.
    }
  }

  /**
   * Removes the version just written, which must not stay (its bytes are not the recorded ones).
   */
  void takeBack(String versionId) {
    try {
      s3.deleteObject(
          DeleteObjectRequest.builder()
              .bucket(bucket)
              .key(write.key())
              .versionId(versionId)
              .build());
    } catch (SdkException e) {
      throw AwsErrors.translate(
          e, s3.principal(), "Removing a version this promotion wrote at", bucket, write.key());
    }
  }

  PromotionException integrity(ArtifactVersion source, String actual) {
    return new PromotionException(
        ErrorCode.INTEGRITY_MISMATCH,
        "The bytes of "
            + source.location().uri()
            + " (version "
            + source.versionId()
            + ") hash to "
            + actual
            + ", not the SHA-256 recorded at build time ("
            + write.expectedSha256()
            + "). Nothing was promoted. Rebuild and republish the package; do not promote it.");
  }

  private static String urlEncoded(Map<String, String> tags) {
    StringBuilder query = new StringBuilder();
    tags.forEach(
        (k, v) -> {
          if (query.length() > 0) {
            query.append('&');
          }
          query
              .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    return query.toString();
  }
}
