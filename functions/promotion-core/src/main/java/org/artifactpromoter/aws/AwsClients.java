package org.artifactpromoter.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds SDK clients that share one HTTP client, so that a client per account session costs no new
 * connection pool. Endpoints follow the SDK's standard settings ({@code AWS_ENDPOINT_URL}, {@code
 * AWS_ENDPOINT_URL_S3}, ...); when an endpoint is overridden (an emulator), S3 uses path-style
 * addressing because loopback hosts have no bucket subdomains.
 */
public final class AwsClients implements AutoCloseable {
  /** Attempts per S3 or STS call, the first included. */
  public static final int MAX_ATTEMPTS = 4;

  private final SdkHttpClient http;
  private final boolean pathStyle;
  private final ClientOverrideConfiguration overrides;

  public AwsClients() {
    this(
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofMinutes(2))
            .build(),
        endpointOverridden());
  }

  public AwsClients(SdkHttpClient http, boolean pathStyle) {
    this(http, pathStyle, ClientOverrideConfiguration.builder().build());
  }

  /** With {@code overrides} (interceptors, retry settings) on every client: benchmarks, tests. */
  public AwsClients(SdkHttpClient http, boolean pathStyle, ClientOverrideConfiguration overrides) {
    this.http = http;
    this.pathStyle = pathStyle;
    ClientOverrideConfiguration.Builder builder =
        overrides.toBuilder().addExecutionInterceptor(new AttemptLog(MAX_ATTEMPTS));
    if (overrides.retryStrategy().isEmpty()) {
      builder.retryStrategy(retryStrategy());
    }
    this.overrides = builder.build();
  }

  /**
   * The SDK's standard retry strategy, stated here rather than left to defaults: throttling
   * (SlowDown, Throttling), 5xx answers and broken connections are retried with jittered
   * exponential back-off, at most {@link #MAX_ATTEMPTS} attempts per call, and the client's token
   * bucket stops retries when most calls fail. {@link AttemptLog} logs each attempt.
   */
  public static RetryStrategy retryStrategy() {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build();
  }

  public S3Client s3(Region region, AwsCredentialsProvider credentials) {
    return configured(S3Client.builder(), region, credentials)
        .forcePathStyle(pathStyle)
        // We ask for SHA-256 where we want it; no extra CRC trailers on every upload.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  public StsClient sts(Region region, AwsCredentialsProvider credentials) {
    return configured(StsClient.builder(), region, credentials).build();
  }

  /** KMS in {@code region}: the provenance signing key's region, whatever the caller's. */
  public KmsClient kms(Region region, AwsCredentialsProvider credentials) {
    return configured(KmsClient.builder(), region, credentials).build();
  }

  /** EventBridge of the promoter's own account (promotion events). */
  public EventBridgeClient eventBridge(Region region, AwsCredentialsProvider credentials) {
    return configured(EventBridgeClient.builder(), region, credentials).build();
  }

  /**
   * Every client shares the HTTP client, the retry strategy and the attempt log. Package-private
   * for the clients only the CLI needs (Lambda: {@link SessionLambdaClients}), which this class
   * does not name, so that the promote function's package (shaded with minimizeJar from what its
   * classes reference) carries no SDK client it never builds.
   */
  <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configured(
      B builder, Region region, AwsCredentialsProvider credentials) {
    return builder
        .httpClient(http)
        .region(region)
        .credentialsProvider(credentials)
        .overrideConfiguration(overrides);
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
