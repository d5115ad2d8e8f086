package org.artifactpromoter.aws;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
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
 * One promotion's view of an account session's S3 client, for the operations promotions, status and
 * history use (any other throws {@link UnsupportedOperationException}, as the SDK's interface does
 * by default). Every request carries the promotion id (so {@link AttemptLog} can name it), and a
 * call that S3 refuses because the session's token expired is made once more with a new session:
 * one AssumeRole, shared by the calls that saw the same expired token. Closing it leaves the
 * session's client open for the next promotion.
 */
final class PromotionS3 implements S3Client {
  private static final System.Logger LOG = System.getLogger(PromotionS3.class.getName());

  /** What S3 answers when a session token has expired. */
  private static final Set<String> EXPIRED_TOKEN =
      Set.of("ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired");

  private final S3Client session;
  private final RoleCredentials credentials;
  private final String promotionId;

  PromotionS3(S3Client session, RoleCredentials credentials, String promotionId) {
    this.session = session;
    this.credentials = credentials;
    this.promotionId = promotionId;
  }

  @Override
  public HeadObjectResponse headObject(HeadObjectRequest request) {
    return call("HeadObject", () -> session.headObject(tagged(request)));
  }

  @Override
  public <T> T getObject(
      GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
    return call("GetObject", () -> session.getObject(tagged(request), transformer));
  }

  @Override
  public GetObjectTaggingResponse getObjectTagging(GetObjectTaggingRequest request) {
    return call("GetObjectTagging", () -> session.getObjectTagging(tagged(request)));
  }

  @Override
  public ListObjectVersionsResponse listObjectVersions(ListObjectVersionsRequest request) {
    return call("ListObjectVersions", () -> session.listObjectVersions(tagged(request)));
  }

  @Override
  public CopyObjectResponse copyObject(CopyObjectRequest request) {
    return call("CopyObject", () -> session.copyObject(tagged(request)));
  }

  @Override
  public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
    // The body's content provider opens a fresh stream per attempt, so the call can be repeated.
    return call("PutObject", () -> session.putObject(tagged(request), body));
  }

  @Override
  public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
    return call("DeleteObject", () -> session.deleteObject(tagged(request)));
  }

  @Override
  public CreateMultipartUploadResponse createMultipartUpload(CreateMultipartUploadRequest request) {
    return call("CreateMultipartUpload", () -> session.createMultipartUpload(tagged(request)));
  }

  @Override
  public UploadPartCopyResponse uploadPartCopy(UploadPartCopyRequest request) {
    return call("UploadPartCopy", () -> session.uploadPartCopy(tagged(request)));
  }

  @Override
  public UploadPartResponse uploadPart(UploadPartRequest request, RequestBody body) {
    return call("UploadPart", () -> session.uploadPart(tagged(request), body));
  }

  @Override
  public ListPartsResponse listParts(ListPartsRequest request) {
    return call("ListParts", () -> session.listParts(tagged(request)));
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(
      CompleteMultipartUploadRequest request) {
    return call("CompleteMultipartUpload", () -> session.completeMultipartUpload(tagged(request)));
  }

  @Override
  public AbortMultipartUploadResponse abortMultipartUpload(AbortMultipartUploadRequest request) {
    return call("AbortMultipartUpload", () -> session.abortMultipartUpload(tagged(request)));
  }

  @Override
  public S3ServiceClientConfiguration serviceClientConfiguration() {
    return session.serviceClientConfiguration();
  }

  @Override
  public String serviceName() {
    return session.serviceName();
  }

  /** The session's client stays open: the next promotion in this container reuses it. */
  @Override
  public void close() {}

  private <R extends software.amazon.awssdk.core.SdkRequest> R tagged(R request) {
    return AttemptLog.tagged(request, promotionId);
  }

  private <T> T call(String operation, Supplier<T> call) {
    long sessionSeen = credentials.generation();
    try {
      return call.get();
    } catch (S3Exception e) {
      if (e.awsErrorDetails() == null || !EXPIRED_TOKEN.contains(e.awsErrorDetails().errorCode())) {
        throw e;
      }
      LOG.log(
          Level.INFO,
          "S3 {0} promotion {1}: the role session''s token expired ({2}); assuming the role again"
              + " and retrying once",
          operation,
          promotionId,
          e.awsErrorDetails().errorCode());
      credentials.renew(sessionSeen, promotionId);
      return call.get();
    }
  }
}
