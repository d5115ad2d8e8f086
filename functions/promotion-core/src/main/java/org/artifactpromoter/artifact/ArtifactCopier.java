package org.artifactpromoter.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.artifactpromoter.promotion.CopySettings;
import org.artifactpromoter.promotion.ErrorCode;
import org.artifactpromoter.promotion.PromotionException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.TaggingDirective;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes one verified source version to a target key, either as a server-side copy (S3 moves the
 * bytes; none pass through this process) or streamed (read with the source account's client,
 * written with the destination's). Every path is atomic at the target: a single request, or a
 * multipart upload that is completed only when every part is there and aborted on any failure.
 */
public final class ArtifactCopier {
  /** Streamed parts are held in memory to make each one retryable and S3-verified. */
  static final long STREAMED_PART_LIMIT = 64L * 1024 * 1024;

  private final CopySettings settings;
  private final ExecutorService partExecutor;

  public ArtifactCopier(CopySettings settings, ExecutorService partExecutor) {
    this.settings = settings;
    this.partExecutor = partExecutor;
  }

  public CopySettings settings() {
    return settings;
  }

  /** Copies inside S3; {@code destination} acts with a role that can read the source version. */
  public WrittenObject serverSide(S3Client destination, CopySpec spec, CopyControl control) {
    if (spec.source().sizeBytes() > settings.multipartThresholdBytes()) {
      return multipartServerSide(destination, spec, control);
    }
    CopyObjectRequest.Builder request =
        CopyObjectRequest.builder()
            .sourceBucket(spec.source().bucket())
            .sourceKey(spec.source().key())
            .sourceVersionId(spec.source().versionId())
            .destinationBucket(spec.targetBucket())
            .destinationKey(spec.targetKey())
            .contentType(S3ArtifactStore.CONTENT_TYPE)
            .metadataDirective(MetadataDirective.REPLACE)
            .metadata(spec.metadata())
            .taggingDirective(TaggingDirective.REPLACE)
            .tagging(S3ArtifactStore.tagging(spec.tags()))
            .checksumAlgorithm(ChecksumAlgorithm.SHA256);
    if (spec.ifAbsent()) {
      request.ifNoneMatch("*");
    }
    if (spec.kmsKeyArn() != null) {
      request.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(spec.kmsKeyArn());
    }
    CopyObjectResponse response;
    try {
      response = destination.copyObject(request.build());
    } catch (SdkException e) {
      throw S3Errors.translate(e, "Copying to", spec.targetBucket(), spec.targetKey());
    }
    String written = Sha256.base64ToHex(response.copyObjectResult().checksumSHA256());
    WrittenObject object =
        new WrittenObject(spec.targetBucket(), spec.targetKey(), response.versionId(), written);
    verifyOrTakeBack(destination, spec, object);
    return object;
  }

  /** Reads with {@code source} and writes with {@code destination}, hashing every byte. */
  public WrittenObject streamed(
      S3Client source, S3Client destination, CopySpec spec, CopyControl control) {
    if (spec.source().sizeBytes() > settings.multipartThresholdBytes()) {
      return multipartStreamed(source, destination, spec);
    }
    PutObjectRequest.Builder request =
        PutObjectRequest.builder()
            .bucket(spec.targetBucket())
            .key(spec.targetKey())
            .contentType(S3ArtifactStore.CONTENT_TYPE)
            .contentLength(spec.source().sizeBytes())
            .metadata(spec.metadata())
            .tagging(S3ArtifactStore.tagging(spec.tags()))
            // S3 refuses the upload unless the bytes it receives hash to what was built.
            .checksumAlgorithm(ChecksumAlgorithm.SHA256)
            .checksumSHA256(Sha256.hexToBase64(spec.expectedSha256()));
    S3ArtifactStore.encryption(request, spec.kmsKeyArn());
    if (spec.ifAbsent()) {
      request.ifNoneMatch("*");
    }
    VerifyingSource body = new VerifyingSource(source, spec);
    PutObjectResponse response;
    try {
      response =
          destination.putObject(
              request.build(),
              RequestBody.fromContentProvider(
                  body, spec.source().sizeBytes(), S3ArtifactStore.CONTENT_TYPE));
    } catch (SdkException e) {
      if (body.mismatch != null) {
        throw integrity(spec, body.mismatch);
      }
      throw S3Errors.translate(e, "Streaming to", spec.targetBucket(), spec.targetKey());
    } finally {
      body.close();
    }
    if (body.mismatch != null) {
      // Unreachable with S3 (it checks the header), but an emulator may not: take it back.
      WrittenObject written =
          new WrittenObject(
              spec.targetBucket(), spec.targetKey(), response.versionId(), body.mismatch);
      takeBack(destination, written);
      throw integrity(spec, body.mismatch);
    }
    return new WrittenObject(
        spec.targetBucket(), spec.targetKey(), response.versionId(), spec.expectedSha256());
  }

  private WrittenObject multipartServerSide(S3Client s3, CopySpec spec, CopyControl control) {
    long size = spec.source().sizeBytes();
    long partSize = settings.partSizeBytes();
    int totalParts = (int) ((size + partSize - 1) / partSize);
    String uploadId = control.resumeUploadId();
    if (uploadId == null) {
      uploadId = createUpload(s3, spec);
    }
    TreeMap<Integer, CompletedPart> done = new TreeMap<>();
    try {
      if (control.resumeUploadId() != null) {
        done.putAll(listParts(s3, spec, uploadId));
      }
      final String upload = uploadId;
      CompletionService<CompletedPart> completion = new ExecutorCompletionService<>(partExecutor);
      List<Future<CompletedPart>> inFlight = new ArrayList<>();
      Duration slowestPart = Duration.ZERO;
      boolean suspended = false;
      for (int part = 1; part <= totalParts; part++) {
        if (done.containsKey(part)) {
          continue;
        }
        while (inFlight.size() >= settings.maxConcurrency()) {
          slowestPart = max(slowestPart, collect(completion, inFlight, done));
        }
        if (!control.hasTimeFor(slowestPart)) {
          suspended = true;
          break;
        }
        final int number = part;
        final long first = (part - 1) * partSize;
        final long last = Math.min(size, first + partSize) - 1;
        inFlight.add(completion.submit(() -> copyPart(s3, spec, upload, number, first, last)));
      }
      while (!inFlight.isEmpty()) {
        slowestPart = max(slowestPart, collect(completion, inFlight, done));
      }
      if (suspended && done.size() < totalParts) {
        throw new CopySuspendedException(uploadId, new TreeSet<>(done.keySet()), totalParts);
      }
      return complete(s3, spec, uploadId, done);
    } catch (CopySuspendedException e) {
      throw e;
    } catch (RuntimeException e) {
      abort(s3, spec, uploadId);
      throw e;
    }
  }

  private Duration collect(
      CompletionService<CompletedPart> completion,
      List<Future<CompletedPart>> inFlight,
      TreeMap<Integer, CompletedPart> done) {
    long started = System.nanoTime();
    try {
      Future<CompletedPart> finished = completion.take();
      inFlight.remove(finished);
      CompletedPart part = finished.get();
      done.put(part.partNumber(), part);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inFlight.forEach(f -> f.cancel(true));
      throw new PromotionException(ErrorCode.INTERNAL, "interrupted while copying parts", e);
    } catch (ExecutionException e) {
      inFlight.forEach(f -> f.cancel(true));
      inFlight.clear();
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new PromotionException(ErrorCode.INTERNAL, "part copy failed", e.getCause());
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private CompletedPart copyPart(
      S3Client s3, CopySpec spec, String uploadId, int number, long first, long last) {
    try {
      UploadPartCopyResponse response =
          s3.uploadPartCopy(
              b ->
                  b.sourceBucket(spec.source().bucket())
                      .sourceKey(spec.source().key())
                      .sourceVersionId(spec.source().versionId())
                      .copySourceRange("bytes=" + first + "-" + last)
                      .destinationBucket(spec.targetBucket())
                      .destinationKey(spec.targetKey())
                      .uploadId(uploadId)
                      .partNumber(number));
      return CompletedPart.builder()
          .partNumber(number)
          .eTag(response.copyPartResult().eTag())
          .checksumSHA256(response.copyPartResult().checksumSHA256())
          .build();
    } catch (SdkException e) {
      throw S3Errors.translate(
          e, "Copying part " + number + " to", spec.targetBucket(), spec.targetKey());
    }
  }

  private WrittenObject multipartStreamed(S3Client source, S3Client destination, CopySpec spec) {
    long partSize = Math.min(settings.partSizeBytes(), STREAMED_PART_LIMIT);
    String uploadId = createUpload(destination, spec);
    MessageDigest whole = Sha256.newDigest();
    TreeMap<Integer, CompletedPart> done = new TreeMap<>();
    try (ResponseInputStream<GetObjectResponse> in = open(source, spec)) {
      byte[] buffer = new byte[(int) partSize];
      for (int number = 1; ; number++) {
        int filled = in.readNBytes(buffer, 0, buffer.length);
        if (filled == 0) {
          break;
        }
        whole.update(buffer, 0, filled);
        MessageDigest partDigest = Sha256.newDigest();
        partDigest.update(buffer, 0, filled);
        String partChecksum = java.util.Base64.getEncoder().encodeToString(partDigest.digest());
        final int partNumber = number;
        UploadPartResponse response =
            destination.uploadPart(
                b ->
                    b.bucket(spec.targetBucket())
                        .key(spec.targetKey())
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .checksumSHA256(partChecksum),
                RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(buffer, 0, filled)));
        done.put(
            number,
            CompletedPart.builder()
                .partNumber(number)
                .eTag(response.eTag())
                .checksumSHA256(partChecksum)
                .build());
      }
      String actual = HexFormat.of().formatHex(whole.digest());
      if (!actual.equals(spec.expectedSha256())) {
        throw integrity(spec, actual);
      }
      return complete(destination, spec, uploadId, done);
    } catch (IOException e) {
      abort(destination, spec, uploadId);
      throw new PromotionException(
          ErrorCode.INTERNAL, "Reading the source while streaming failed: " + e.getMessage(), e);
    } catch (SdkException e) {
      abort(destination, spec, uploadId);
      throw S3Errors.translate(e, "Streaming to", spec.targetBucket(), spec.targetKey());
    } catch (RuntimeException e) {
      abort(destination, spec, uploadId);
      throw e;
    }
  }

  private String createUpload(S3Client s3, CopySpec spec) {
    CreateMultipartUploadRequest.Builder request =
        CreateMultipartUploadRequest.builder()
            .bucket(spec.targetBucket())
            .key(spec.targetKey())
            .contentType(S3ArtifactStore.CONTENT_TYPE)
            // A multipart copy does not carry metadata or tags: they are set on the new upload.
            .metadata(spec.metadata())
            .tagging(urlEncoded(spec.tags()))
            .checksumAlgorithm(ChecksumAlgorithm.SHA256);
    if (spec.kmsKeyArn() != null) {
      request.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(spec.kmsKeyArn());
    }
    try {
      return s3.createMultipartUpload(request.build()).uploadId();
    } catch (SdkException e) {
      throw S3Errors.translate(
          e, "Starting a multipart upload to", spec.targetBucket(), spec.targetKey());
    }
  }

  private Map<Integer, CompletedPart> listParts(S3Client s3, CopySpec spec, String uploadId) {
    Map<Integer, CompletedPart> parts = new TreeMap<>();
    Integer marker = null;
    try {
      while (true) {
        final Integer from = marker;
        ListPartsResponse page =
            s3.listParts(
                b ->
                    b.bucket(spec.targetBucket())
                        .key(spec.targetKey())
                        .uploadId(uploadId)
                        .partNumberMarker(from));
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
      throw S3Errors.translate(
          e, "Resuming the multipart upload to", spec.targetBucket(), spec.targetKey());
    }
  }

  private WrittenObject complete(
      S3Client s3, CopySpec spec, String uploadId, TreeMap<Integer, CompletedPart> parts) {
    try {
      var response =
          s3.completeMultipartUpload(
              b -> {
                b.bucket(spec.targetBucket())
                    .key(spec.targetKey())
                    .uploadId(uploadId)
                    .multipartUpload(m -> m.parts(new ArrayList<>(parts.values())));
                if (spec.ifAbsent()) {
                  b.ifNoneMatch("*");
                }
              });
      WrittenObject written =
          new WrittenObject(spec.targetBucket(), spec.targetKey(), response.versionId(), null);
      long size =
          s3.headObject(
                  b ->
                      b.bucket(spec.targetBucket())
                          .key(spec.targetKey())
                          .versionId(written.versionId()))
              .contentLength();
      if (size != spec.source().sizeBytes()) {
        takeBack(s3, written);
        throw integrity(spec, "a " + size + "-byte object");
      }
      return written;
    } catch (SdkException e) {
      abort(s3, spec, uploadId);
      throw S3Errors.translate(
          e, "Completing the multipart upload to", spec.targetBucket(), spec.targetKey());
    }
  }

  private static void abort(S3Client s3, CopySpec spec, String uploadId) {
    try {
      s3.abortMultipartUpload(
          b -> b.bucket(spec.targetBucket()).key(spec.targetKey()).uploadId(uploadId));
    } catch (SdkException ignored) {
      // Already completed or gone; the bucket's lifecycle rule removes any that remain.
    }
  }

  /** Checks S3's own SHA-256 of what it wrote; a mismatch removes that version and refuses. */
  private static void verifyOrTakeBack(S3Client s3, CopySpec spec, WrittenObject written) {
    if (!spec.expectedSha256().equals(written.checksumSha256())) {
      takeBack(s3, written);
      throw integrity(
          spec, written.checksumSha256() == null ? "no checksum" : written.checksumSha256());
    }
  }

  private static void takeBack(S3Client s3, WrittenObject written) {
    new S3ArtifactStore(s3).deleteVersion(written.bucket(), written.key(), written.versionId());
  }

  private static PromotionException integrity(CopySpec spec, String actual) {
    return new PromotionException(
        ErrorCode.INTEGRITY_MISMATCH,
        "The bytes of s3://"
            + spec.source().bucket()
            + "/"
            + spec.source().key()
            + " (version "
            + spec.source().versionId()
            + ") hash to "
            + actual
            + ", not the SHA-256 recorded at build time ("
            + spec.expectedSha256()
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
              .append(java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8))
              .append('=')
              .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
        });
    return query.toString();
  }

  private static ResponseInputStream<GetObjectResponse> open(S3Client source, CopySpec spec) {
    try {
      return source.getObject(
          b ->
              b.bucket(spec.source().bucket())
                  .key(spec.source().key())
                  .versionId(spec.source().versionId()));
    } catch (SdkException e) {
      throw S3Errors.translate(e, "Reading", spec.source().bucket(), spec.source().key());
    }
  }

  /**
   * The streamed upload's body: a fresh GET of the source version for every attempt, hashed as it
   * is read; at the end of a mismatching stream it fails the read, so the upload never completes.
   */
  private static final class VerifyingSource implements ContentStreamProvider {
    private final S3Client source;
    private final CopySpec spec;
    private InputStream current;
    volatile String mismatch;

    VerifyingSource(S3Client source, CopySpec spec) {
      this.source = source;
      this.spec = spec;
    }

    @Override
    public InputStream newStream() {
      close();
      ResponseInputStream<GetObjectResponse> raw = open(source, spec);
      MessageDigest digest = Sha256.newDigest();
      current =
          new java.io.FilterInputStream(raw) {
            private long total;

            @Override
            public int read() throws IOException {
              byte[] one = new byte[1];
              int n = read(one, 0, 1);
              return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              int n = super.read(b, off, len);
              if (n > 0) {
                digest.update(b, off, n);
                total += n;
                // Check before handing over the last bytes: a mismatching body is never complete.
                if (total >= spec.source().sizeBytes()) {
                  String actual = HexFormat.of().formatHex(digest.digest());
                  if (!actual.equals(spec.expectedSha256())) {
                    mismatch = actual;
                    throw new IOException("source bytes do not match the recorded SHA-256");
                  }
                }
              }
              return n;
            }
          };
      return current;
    }

    void close() {
      if (current != null) {
        try {
          current.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        current = null;
      }
    }
  }

  /** Parts numbers as compact ranges ("1-12,15"), for continuation tokens and summaries. */
  public static String ranges(SortedSet<Integer> parts) {
    StringBuilder out = new StringBuilder();
    Integer start = null;
    Integer previous = null;
    for (Integer part : parts) {
      if (previous != null && part == previous + 1) {
        previous = part;
        continue;
      }
      appendRange(out, start, previous);
      start = part;
      previous = part;
    }
    appendRange(out, start, previous);
    return out.toString();
  }

  private static void appendRange(StringBuilder out, Integer start, Integer end) {
    if (start == null) {
      return;
    }
    if (out.length() > 0) {
      out.append(',');
    }
    out.append(start);
    if (!end.equals(start)) {
      out.append('-').append(end);
    }
  }
}
