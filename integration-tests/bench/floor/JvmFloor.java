import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.TaggingDirective;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The least a JVM can do for a promotion, for cold_promotion.py: exactly what the AWS CLI baseline
 * does (AssumeRole, then one CopyObject with replaced metadata and tags), with the same SDK, HTTP
 * client and JVM options as the promoter, and no checks at all. It bounds from below what any
 * fresh-JVM promotion can reach on this machine; it is not a product.
 *
 * <p>Arguments: role ARN, external id, source bucket, source key, destination bucket, destination
 * key, revision. Endpoint and region from the SDK's standard settings (AWS_ENDPOINT_URL...).
 */
public final class JvmFloor {
  public static void main(String[] args) {
    UrlConnectionHttpClient http = (UrlConnectionHttpClient) UrlConnectionHttpClient.create();
    Credentials session;
    try (StsClient sts = StsClient.builder().httpClient(http).region(Region.US_EAST_1).build()) {
      session =
          sts.assumeRole(
                  r ->
                      r.roleArn(args[0])
                          .externalId(args[1])
                          .roleSessionName("jvm-floor")
                          .durationSeconds(900))
              .credentials();
    }
    try (S3Client s3 =
        S3Client.builder()
            .httpClient(http)
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(
                        session.accessKeyId(), session.secretAccessKey(), session.sessionToken())))
            .build()) {
      s3.copyObject(
          r ->
              r.sourceBucket(args[2])
                  .sourceKey(args[3])
                  .destinationBucket(args[4])
                  .destinationKey(args[5])
                  .metadataDirective(MetadataDirective.REPLACE)
                  .metadata(Map.of("git-revision", args[6], "source-env", "dev"))
                  .taggingDirective(TaggingDirective.REPLACE)
                  .tagging("git-revision=" + args[6] + "&promoted-from=dev"));
    }
    http.close();
  }
}
