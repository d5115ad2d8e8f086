package org.artifactpromoter.aws;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingRequest;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The S3 calls the artifact store makes, in one session: an account session's client seen by one
 * promotion (or read), or the build's own client. Not an {@link S3Client}: it offers exactly the
 * operations the store uses. Every request carries the session's id (so {@link AttemptLog} can name
 * it), and a call that S3 refuses because a role session's token expired is made once more with a
 * new session: one AssumeRole, shared by the calls that saw the same expired token.
 */
final class SessionS3 {
  private static final System.Logger LOG = System.getLogger(SessionS3.class.getName());

  /** What S3 answers when a session token has expired. */
  private static final Set<String> EXPIRED_TOKEN =
      Set.of("ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired");

  private final S3Client session;
  private final SessionRenewal renewal;
  private final String promotionId;
  private final StorePrincipal principal;

  SessionS3(
      S3Client session, SessionRenewal renewal, String promotionId, StorePrincipal principal) {
    this.session = session;
    this.renewal = renewal;
    this.promotionId = promotionId;
    this.principal = principal;
  }

  /** A client with credentials of its own (the build's role): nothing to renew, no promotion. */
  static SessionS3 of(S3Client client) {
    return new SessionS3(client, SessionRenewal.NONE, null, StorePrincipal.OWN_CREDENTIALS);
  }

  /** Whose credentials these calls carry: what a refusal names. */
  StorePrincipal principal() {
    return principal;
  }

  HeadObjectResponse headObject(HeadObjectRequest request) {
    return call("HeadObject", () -> session.headObject(tagged(request)));
  }

  <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
    return call("GetObject", () -> session.getObject(tagged(request), transformer));
  }

  /** The version's bytes; the caller closes the stream. */
  ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
    return getObject(request, ResponseTransformer.toInputStream());
  }

  GetObjectTaggingResponse getObjectTagging(GetObjectTaggingRequest request) {
    return call("GetObjectTagging", () -> session.getObjectTagging(tagged(request)));
  }

  ListObjectVersionsResponse listObjectVersions(ListObjectVersionsRequest request) {
    return call("ListObjectVersions", () -> session.listObjectVersions(tagged(request)));
  }

  CopyObjectResponse copyObject(CopyObjectRequest request) {
    return call("CopyObject", () -> session.copyObject(tagged(request)));
  }

  PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
    // The body's content provider opens a fresh stream per attempt, so the call can be repeated.
    return call("PutObject", () -> session.putObject(tagged(request), body));
  }

  DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
    return call("DeleteObject", () -> session.deleteObject(tagged(request)));
  }

  CreateMultipartUploadResponse createMultipartUpload(CreateMultipartUploadRequest request) {
    return call("CreateMultipartUpload", () -> session.createMultipartUpload(tagged(request)));
  }

  UploadPartCopyResponse uploadPartCopy(UploadPartCopyRequest request) {
    return call("UploadPartCopy", () -> session.uploadPartCopy(tagged(request)));
  }

  UploadPartResponse uploadPart(UploadPartRequest request, RequestBody body) {
    return call("UploadPart", () -> session.uploadPart(tagged(request), body));
  }

  ListPartsResponse listParts(ListPartsRequest request) {
    return call("ListParts", () -> session.listParts(tagged(request)));
  }

  CompleteMultipartUploadResponse completeMultipartUpload(CompleteMultipartUploadRequest request) {
    return call("CompleteMultipartUpload", () -> session.completeMultipartUpload(tagged(request)));
  }

  AbortMultipartUploadResponse abortMultipartUpload(AbortMultipartUploadRequest request) {
    return call("AbortMultipartUpload", () -> session.abortMultipartUpload(tagged(request)));
  }

  private <R extends software.amazon.awssdk.core.SdkRequest> R tagged(R request) {
    return promotionId == null ? request : AttemptLog.tagged(request, promotionId);
  }

  private <T> T call(String operation, Supplier<T> call) {
    long sessionSeen = renewal.generation();
    try {
      return call.get();
    } catch (S3Exception e) {
      // A HEAD has no body, so its refusal has no error code: Set.of(...).contains(null) throws.
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (code == null || !EXPIRED_TOKEN.contains(code) || !renewal.renewable()) {
        throw e;
      }
      LOG.log(
          Level.INFO,
          "S3 {0} promotion {1}: the role session''s token expired ({2}); assuming the role again"
              + " and retrying once",
          operation,
          promotionId,
          code);
      renewal.renew(sessionSeen, promotionId);
      return call.get();
    }
  }
}
