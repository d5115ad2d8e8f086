package org.artifactpromoter.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.artifact.CopyOutcome;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.artifact.TimeBudget;
import org.artifactpromoter.model.CopySettings;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PartRanges;
import org.artifactpromoter.model.PromotionException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.TaggingDirective;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * Copies inside S3: no byte passes through this process. The target's session must be able to read
 * the source version (the destination role reads the source bucket). Up to S3's CopyObject limit
 * (or the configured threshold) one request; above it a multipart copy whose parts run in parallel
 * and which stops between parts when the time budget runs out, to be resumed by a later invocation.
 */
final class ServerSideCopy {
  private final CopySettings settings;
  private final ExecutorService partExecutor;

  ServerSideCopy(CopySettings settings, ExecutorService partExecutor) {
    this.settings = settings;
    this.partExecutor = partExecutor;
  }

  CopyOutcome copy(
      TargetWrite target, ArtifactVersion source, TimeBudget budget, String resumeUploadId) {
    if (source.sizeBytes() > settings.multipartThresholdBytes()) {
      return multipart(target, source, budget, resumeUploadId);
    }
    CopyObjectRequest.Builder request =
        CopyObjectRequest.builder()
            .sourceBucket(source.bucket())
            .sourceKey(source.key())
            .sourceVersionId(source.versionId())
            .destinationBucket(target.bucket)
            .destinationKey(target.key())
            .contentType(target.contentType())
            .metadataDirective(MetadataDirective.REPLACE)
            .metadata(target.write.metadata())
            .taggingDirective(TaggingDirective.REPLACE)
            .tagging(target.tagging())
            .checksumAlgorithm(ChecksumAlgorithm.SHA256)
            .serverSideEncryption(target.encryption())
            .ssekmsKeyId(target.kmsKeyArn());
    if (target.write.ifAbsent()) {
      request.ifNoneMatch("*");
    }
    if (target.write.ifMatch() != null) {
      request.ifMatch(target.write.ifMatch());
    }
    CopyObjectResponse response;
    try {
      response = target.s3.copyObject(request.build());
    } catch (SdkException e) {
      throw AwsErrors.translate(
          e, target.s3.principal(), "Copying to", target.bucket, target.key());
    }
    String written = Sha256.base64ToHex(response.copyObjectResult().checksumSHA256());
    // S3's own SHA-256 of what it wrote must be the recorded one, or that version goes.
    if (!target.write.expectedSha256().equals(written)) {
      target.takeBack(response.versionId());
      throw target.integrity(source, written == null ? "no checksum" : written);
    }
    return new CopyOutcome.Written(
        target.written(
            response.versionId(), source.sizeBytes(), written, response.copyObjectResult().eTag()));
  }

  private CopyOutcome multipart(
      TargetWrite target, ArtifactVersion source, TimeBudget budget, String resumeUploadId) {
    long size = source.sizeBytes();
    long partSize = settings.partSizeBytes();
    int totalParts = (int) ((size + partSize - 1) / partSize);
    String uploadId = resumeUploadId == null ? target.createUpload() : resumeUploadId;
    SortedMap<Integer, CompletedPart> done = new TreeMap<>();
    try {
      if (resumeUploadId != null) {
        done.putAll(target.listParts(uploadId));
      }
      CompletionService<CompletedPart> completion = new ExecutorCompletionService<>(partExecutor);
      List<Future<CompletedPart>> inFlight = new ArrayList<>();
      Duration slowestPart = Duration.ZERO;
      boolean outOfTime = false;
      for (int part = 1; part <= totalParts; part++) {
        if (done.containsKey(part)) {
          continue;
        }
        while (inFlight.size() >= settings.maxConcurrency()) {
          slowestPart = max(slowestPart, collect(completion, inFlight, done));
        }
        if (!budget.hasTimeFor(slowestPart)) {
          outOfTime = true;
          break;
        }
        final int number = part;
        final long first = (part - 1) * partSize;
        final long last = Math.min(size, first + partSize) - 1;
        final String upload = uploadId;
        inFlight.add(
            completion.submit(() -> copyPart(target, source, upload, number, first, last)));
      }
      while (!inFlight.isEmpty()) {
        slowestPart = max(slowestPart, collect(completion, inFlight, done));
      }
      if (outOfTime && done.size() < totalParts) {
        return new CopyOutcome.Suspended(
            uploadId, PartRanges.of(new TreeSet<>(done.keySet())), totalParts);
      }
      return new CopyOutcome.Written(
          target.complete(uploadId, done, source, TargetWrite.BytesSeen.NONE));
    } catch (RuntimeException e) {
      target.abort(uploadId);
      throw e;
    }
  }

  private static Duration collect(
      CompletionService<CompletedPart> completion,
      List<Future<CompletedPart>> inFlight,
      SortedMap<Integer, CompletedPart> done) {
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

  private static CompletedPart copyPart(
      TargetWrite target,
      ArtifactVersion source,
      String uploadId,
      int number,
      long first,
      long last) {
    try {
      UploadPartCopyResponse response =
          target.s3.uploadPartCopy(
              UploadPartCopyRequest.builder()
                  .sourceBucket(source.bucket())
                  .sourceKey(source.key())
                  .sourceVersionId(source.versionId())
                  .copySourceRange("bytes=" + first + "-" + last)
                  .destinationBucket(target.bucket)
                  .destinationKey(target.key())
                  .uploadId(uploadId)
                  .partNumber(number)
                  .build());
      return CompletedPart.builder()
          .partNumber(number)
          .eTag(response.copyPartResult().eTag())
          .checksumSHA256(response.copyPartResult().checksumSHA256())
          .build();
    } catch (SdkException e) {
      throw AwsErrors.translate(
          e, target.s3.principal(), "Copying part " + number + " to", target.bucket, target.key());
    }
  }
}
