package org.artifactpromoter.function;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client that never opens a connection: it answers the calls of a promotion (AssumeRole,
 * the S3 reads and the copy, a CodePipeline job result) with fixed, well-formed answers, so that
 * snapshot priming runs the SDK's whole request and response path (endpoint rules, marshalling,
 * signing, retries, unmarshalling) without calling AWS. The credentials it hands out are fixed
 * placeholders, valid nowhere.
 */
final class PrimingHttpClient implements SdkHttpClient {
  private static final String S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final String ETAG = "\"d41d8cd98f00b204e9800998ecf8427e\"";
  private static final String MODIFIED = "2026-01-01T00:00:00.000Z";

  private final AtomicInteger answered = new AtomicInteger();

  /** How many requests it answered: what priming exercised. */
  int answered() {
    return answered.get();
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        answered.incrementAndGet();
        return answer(request.httpRequest());
      }

      @Override
      public void abort() {}
    };
  }

  private static HttpExecuteResponse answer(SdkHttpRequest request) {
    String authorization = request.firstMatchingHeader("Authorization").orElse("");
    if (authorization.contains("/sts/aws4_request")) {
      return xml(
          "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
              + "<AssumeRoleResult><Credentials><AccessKeyId>ASIAPRIMINGONLY0000</AccessKeyId>"
              + "<SecretAccessKey>priming-placeholder</SecretAccessKey>"
              + "<SessionToken>priming-placeholder</SessionToken>"
              + "<Expiration>2100-01-01T00:00:00Z</Expiration></Credentials>"
              + "<AssumedRoleUser><Arn>arn:aws:sts::000000000000:assumed-role/priming/priming</Arn>"
              + "<AssumedRoleId>AROAPRIMING:priming</AssumedRoleId></AssumedRoleUser>"
              + "</AssumeRoleResult><ResponseMetadata><RequestId>priming</RequestId>"
              + "</ResponseMetadata></AssumeRoleResponse>");
    }
    if (authorization.contains("/codepipeline/aws4_request")) {
      return response("application/x-amz-json-1.1", "{}");
    }
    String method = request.method().name();
    if (method.equals("HEAD")) {
      return HttpExecuteResponse.builder()
          .response(
              SdkHttpResponse.builder()
                  .statusCode(200)
                  .putHeader("ETag", ETAG)
                  .putHeader("Content-Length", "0")
                  .putHeader("x-amz-version-id", "priming")
                  .putHeader("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT")
                  .putHeader("x-amz-meta-git-revision", "0".repeat(40))
                  .build())
          .build();
    }
    if (method.equals("GET") && request.rawQueryParameters().containsKey("versions")) {
      return xml(
          "<ListVersionsResult xmlns=\""
              + S3_NS
              + "\"><Name>priming</Name><Prefix>drop/priming.zip</Prefix>"
              + "<IsTruncated>false</IsTruncated><Version><Key>drop/priming.zip</Key>"
              + "<VersionId>priming</VersionId><IsLatest>true</IsLatest><LastModified>"
              + MODIFIED
              + "</LastModified><ETag>"
              + ETAG
              + "</ETag><Size>0</Size></Version></ListVersionsResult>");
    }
    if (method.equals("GET") && request.rawQueryParameters().containsKey("tagging")) {
      return xml(
          "<Tagging xmlns=\""
              + S3_NS
              + "\"><TagSet><Tag><Key>promotion-id</Key><Value>priming</Value></Tag></TagSet>"
              + "</Tagging>");
    }
    if (method.equals("PUT") && request.firstMatchingHeader("x-amz-copy-source").isPresent()) {
      return xml(
          "<CopyObjectResult xmlns=\""
              + S3_NS
              + "\"><LastModified>"
              + MODIFIED
              + "</LastModified><ETag>"
              + ETAG
              + "</ETag></CopyObjectResult>");
    }
    return response("application/xml", "");
  }

  private static HttpExecuteResponse xml(String body) {
    return response("application/xml", body);
  }

  private static HttpExecuteResponse response(String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return HttpExecuteResponse.builder()
        .response(
            SdkHttpResponse.builder()
                .statusCode(200)
                .putHeader("Content-Type", contentType)
                .putHeader("Content-Length", String.valueOf(bytes.length))
                .putHeader("x-amz-version-id", "priming")
                .build())
        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
        .build();
  }

  @Override
  public String clientName() {
    return "priming";
  }

  @Override
  public void close() {}
}
