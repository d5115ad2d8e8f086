package org.artifactpromoter.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds SDK clients that share one HTTP client, so that a client per account session costs no new
 * connection pool. Endpoints follow the SDK's standard settings ({@code AWS_ENDPOINT_URL}, {@code
 * AWS_ENDPOINT_URL_S3}, ...); when an endpoint is overridden (an emulator), S3 uses path-style
 * addressing because loopback hosts have no bucket subdomains.
 */
public final class AwsClients implements AutoCloseable {
  private final SdkHttpClient http;
  private final boolean pathStyle;

  public AwsClients() {
    this(
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofMinutes(2))
            .build(),
        endpointOverridden());
  }

  public AwsClients(SdkHttpClient http, boolean pathStyle) {
    this.http = http;
    this.pathStyle = pathStyle;
  }

  public S3Client s3(Region region, AwsCredentialsProvider credentials) {
    return S3Client.builder()
        .httpClient(http)
        .region(region)
        .credentialsProvider(credentials)
        .forcePathStyle(pathStyle)
        // We ask for SHA-256 where we want it; no extra CRC trailers on every upload.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  public StsClient sts(Region region, AwsCredentialsProvider credentials) {
    return StsClient.builder()
        .httpClient(http)
        .region(region)
        .credentialsProvider(credentials)
        .build();
  }

  /** The HTTP client, for other service clients (CodePipeline) that should share it. */
  public SdkHttpClient http() {
    return http;
  }

  private static boolean endpointOverridden() {
    return present(System.getenv("AWS_ENDPOINT_URL"))
        || present(System.getenv("AWS_ENDPOINT_URL_S3"))
        || present(System.getProperty("aws.endpointUrl"))
        || present(System.getProperty("aws.endpointUrlS3"));
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank() && URI.create(value.trim()).getHost() != null;
  }

  @Override
  public void close() {
    http.close();
  }
}
