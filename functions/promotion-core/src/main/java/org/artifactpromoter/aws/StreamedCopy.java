package org.artifactpromoter.aws;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import org.artifactpromoter.artifact.ArtifactStore;
import org.artifactpromoter.artifact.ArtifactVersion;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.model.CopySettings;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.PromotionException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Reads the source with the source account's store and writes with the destination's, hashing every
 * byte on the way: for accounts whose roles cannot read each other's buckets. Never suspends: the
 * bytes pass through this process, and a part in memory cannot wait for the next invocation.
 */
final class StreamedCopy {
  /** Streamed parts are held in memory to make each one retryable and S3-verified. */
  static final long STREAMED_PART_LIMIT = 64L * 1024 * 1024;

  private final CopySettings settings;

  StreamedCopy(CopySettings settings) {
    this.settings = settings;
  }

  ArtifactVersion copy(TargetWrite target, ArtifactStore from, ArtifactVersion source) {
    if (source.sizeBytes() > settings.multipartThresholdBytes()) {
      return multipart(target, from, source);
    }
    String expected = target.write.expectedSha256();
    PutObjectRequest request =
        PutObjectRequest.builder()
            .bucket(target.bucket)
            .key(target.key())
            .contentType(target.contentType())
            .contentLength(source.sizeBytes())
            .metadata(target.write.metadata())
            .tagging(target.tagging())
            // S3 refuses the upload unless the bytes it receives hash to what was built.
            .checksumAlgorithm(ChecksumAlgorithm.SHA256)
            .checksumSHA256(Sha256.hexToBase64(expected))
            .serverSideEncryption(target.encryption())
            .ssekmsKeyId(target.kmsKeyArn())
            .ifNoneMatch(target.write.ifAbsent() ? "*" : null)
            .ifMatch(target.write.ifMatch())
            .build();
    VerifyingSource body = new VerifyingSource(from, source, expected);
    PutObjectResponse response;
    try {
      response =
          target.s3.putObject(
              request,
              RequestBody.fromContentProvider(body, source.sizeBytes(), target.contentType()));
    } catch (SdkException e) {
      if (body.mismatch != null) {
        throw target.integrity(source, body.mismatch);
      }
      throw AwsErrors.translate(
          e, target.s3.principal(), "Streaming to", target.bucket, target.key());
    } finally {
      body.close();
    }
    if (body.mismatch != null) {
      // Unreachable with S3 (it checks the header), but an emulator may not: take it back.
      target.takeBack(response.versionId());
      throw target.integrity(source, body.mismatch);
    }
    return target.written(response.versionId(), source.sizeBytes(), expected, response.eTag());
  }

  private ArtifactVersion multipart(
      TargetWrite target, ArtifactStore from, ArtifactVersion source) {
    long partSize = Math.min(settings.partSizeBytes(), STREAMED_PART_LIMIT);
    String uploadId = target.createUpload();
    MessageDigest whole = Sha256.newDigest();
    SortedMap<Integer, CompletedPart> done = new TreeMap<>();
    try (InputStream in = from.open(source)) {
      byte[] buffer = new byte[(int) partSize];
      for (int number = 1; ; number++) {
        int filled = in.readNBytes(buffer, 0, buffer.length);
        if (filled == 0) {
          break;
        }
        whole.update(buffer, 0, filled);
        MessageDigest partDigest = Sha256.newDigest();
        partDigest.update(buffer, 0, filled);
        String partChecksum = Base64.getEncoder().encodeToString(partDigest.digest());
        UploadPartResponse response =
            target.s3.uploadPart(
                UploadPartRequest.builder()
                    .bucket(target.bucket)
                    .key(target.key())
                    .uploadId(uploadId)
                    .partNumber(number)
                    .checksumSHA256(partChecksum)
                    .build(),
                RequestBody.fromByteBuffer(ByteBuffer.wrap(buffer, 0, filled)));
        done.put(
            number,
            CompletedPart.builder()
                .partNumber(number)
                .eTag(response.eTag())
                .checksumSHA256(partChecksum)
                .build());
      }
      String actual = HexFormat.of().formatHex(whole.digest());
      if (!actual.equals(target.write.expectedSha256())) {
        throw target.integrity(source, actual);
      }
      return target.complete(uploadId, done, source, TargetWrite.BytesSeen.HASHED_WHILE_UPLOADING);
    } catch (IOException e) {
      target.abort(uploadId);
      throw new PromotionException(
          ErrorCode.INTERNAL, "Reading the source while streaming failed: " + e.getMessage(), e);
    } catch (SdkException e) {
      target.abort(uploadId);
      throw AwsErrors.translate(
          e, target.s3.principal(), "Streaming to", target.bucket, target.key());
    } catch (RuntimeException e) {
      target.abort(uploadId);
      throw e;
    }
  }

  /**
   * The streamed upload's body: a fresh read of the source version for every attempt, hashed as it
   * is read; at the end of a mismatching stream it fails the read, so the upload never completes.
   */
  private static final class VerifyingSource implements ContentStreamProvider {
    private final ArtifactStore from;
    private final ArtifactVersion source;
    private final String expectedSha256;
    private InputStream current;
    volatile String mismatch;

    VerifyingSource(ArtifactStore from, ArtifactVersion source, String expectedSha256) {
      this.from = from;
      this.source = source;
      this.expectedSha256 = expectedSha256;
    }

    @Override
    public InputStream newStream() {
      close();
      InputStream raw = from.open(source);
      MessageDigest digest = Sha256.newDigest();
      current =
          new FilterInputStream(raw) {
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
                if (total >= source.sizeBytes()) {
                  String actual = HexFormat.of().formatHex(digest.digest());
                  if (!actual.equals(expectedSha256)) {
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
}
