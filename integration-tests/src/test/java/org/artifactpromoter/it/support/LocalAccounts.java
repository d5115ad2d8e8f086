package org.artifactpromoter.it.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.Publisher;
import org.artifactpromoter.aws.S3ArtifactStore;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.provenance.KmsEnvelopeSigner;
import org.artifactpromoter.provenance.SigningKeyArn;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Four separate accounts on one moto server (ops 111111111111, dev 222222222222, stage
 * 333333333333, prod 444444444444), each with a versioned, KMS-encrypted artifact bucket, and the
 * promotion configuration that names them. Admin clients act in an account through an assumed role,
 * as moto scopes state by the caller's account.
 */
public final class LocalAccounts {
  public static final Map<String, String> ACCOUNTS =
      Map.of(
          "ops",
          "111111111111",
          "dev",
          "222222222222",
          "stage",
          "333333333333",
          "prod",
          "444444444444");
  public static final List<String> ENVIRONMENTS = List.of("dev", "stage", "prod");
  public static final Region REGION = Region.US_EAST_1;

  private final MotoServer moto;
  private final Map<String, String> kmsKeys = new LinkedHashMap<>();
  private final Map<String, S3Client> admins = new LinkedHashMap<>();
  private String signingKeyArn;

  public LocalAccounts(MotoServer moto) {
    this.moto = moto;
    // The code under test reads the SDK's standard endpoint and credential settings; in this JVM
    // they come from system properties (a child process gets the same as environment variables).
    System.setProperty("aws.endpointUrl", moto.endpoint().toString());
    System.setProperty("aws.accessKeyId", "testing");
    System.clearProperty("aws.sessionToken");
    System.setProperty("aws.secretAccessKey", "testing");
    System.setProperty("aws.region", REGION.id());
  }

  public MotoServer moto() {
    return moto;
  }

  /**
   * Creates each environment's artifact bucket (versioned, default SSE-KMS) and its key, and the
   * provenance signing key (ECC_NIST_P256, SIGN_VERIFY) in the ops account, as the Terraform
   * example does: plain credentials act in ops, which is also where the promoter runs.
   */
  public LocalAccounts create() {
    try (KmsClient ops = opsKms()) {
      signingKeyArn =
          ops.createKey(
                  b ->
                      b.keySpec(KeySpec.ECC_NIST_P256)
                          .keyUsage(KeyUsageType.SIGN_VERIFY)
                          .description("provenance signing"))
              .keyMetadata()
              .arn();
    }
    for (String env : ENVIRONMENTS) {
      S3Client s3 = admin(env);
      s3.createBucket(b -> b.bucket(bucket(env)));
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket(env))
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      try (KmsClient kms =
          KmsClient.builder()
              .endpointOverride(moto.endpoint())
              .region(REGION)
              .credentialsProvider(credentials(env))
              .httpClient(UrlConnectionHttpClient.create())
              .build()) {
        kmsKeys.put(env, kms.createKey(b -> b.description(env + " artifacts")).keyMetadata().arn());
      }
    }
    return this;
  }

  public static String account(String env) {
    return ACCOUNTS.get(env);
  }

  public static String bucket(String env) {
    return "acme-" + env + "-artifacts";
  }

  public static String roleArn(String env) {
    return "arn:aws:iam::" + account(env) + ":role/artifact-promotion-" + env;
  }

  public static String externalId(String env) {
    return "ext-" + env + "-5d1e9c";
  }

  public String kmsKeyArn(String env) {
    return kmsKeys.get(env);
  }

  /** The ops account's provenance signing key. */
  public String signingKeyArn() {
    return signingKeyArn;
  }

  /** KMS in the ops account (the signing key's), with the plain test credentials. */
  public KmsClient opsKms() {
    return KmsClient.builder()
        .endpointOverride(moto.endpoint())
        .region(REGION)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /**
   * The PROMOTION_CONFIG document for these accounts, with {@code requireApproval} false in every
   * environment: for scenarios about copying, integrity and refusals, which promote directly and
   * from the CLI. {@code copy} is a JSON object or null. Scenarios about approvals use {@link
   * #configJsonRequiringApproval}.
   */
  public String configJson(String copy) {
    return configJson(copy, false);
  }

  /**
   * The PROMOTION_CONFIG document with {@code conditionalWrites: true}, as deployed, for a moto
   * patched to honour If-None-Match and If-Match on CopyObject as S3 does (moto as it is ignores
   * them there: {@link #configJson} sets false).
   */
  public String configJsonWithConditionalWrites(String copy) {
    return configJson(copy, false)
        .replace("\"conditionalWrites\":false", "\"conditionalWrites\":true");
  }

  /**
   * The PROMOTION_CONFIG document as deployed by default: stage and prod require approval (the
   * default), so a promotion into them needs an approved CodePipeline job or the CLI's break-glass.
   */
  public String configJsonRequiringApproval(String copy) {
    return configJson(copy, true);
  }

  private String configJson(String copy, boolean requireApproval) {
    StringBuilder envs = new StringBuilder();
    for (String env : ENVIRONMENTS) {
      if (envs.length() > 0) {
        envs.append(',');
      }
      envs.append(
          String.format(
              "\"%s\":{\"account\":\"%s\",\"region\":\"%s\",\"bucket\":\"%s\",\"role\":\"%s\","
                  // moto ignores If-None-Match on CopyObject: races are settled by listing.
                  + "\"externalId\":\"%s\",\"kmsKeyArn\":\"%s\",\"conditionalWrites\":false%s}",
              env,
              account(env),
              REGION.id(),
              bucket(env),
              roleArn(env),
              externalId(env),
              kmsKeyArn(env),
              requireApproval ? "" : ",\"requireApproval\":false"));
    }
    return "{\"environments\":{"
        + envs
        + "},\"promotions\":{\"dev\":[\"stage\"],\"stage\":[\"prod\"]}"
        + (copy == null ? "" : ",\"copy\":" + copy)
        + ",\"provenance\":{\"signingKeyArn\":\""
        + signingKeyArn
        + "\",\"required\":true}"
        + "}";
  }

  public PromotionConfig config(String copy) {
    return PromotionConfig.parse(configJson(copy));
  }

  /** Credentials acting in {@code env}'s account with full rights (moto's root of that account). */
  public AwsCredentialsProvider credentials(String env) {
    try (StsClient sts =
        StsClient.builder()
            .endpointOverride(moto.endpoint())
            .region(REGION)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      Credentials c =
          sts.assumeRole(
                  b ->
                      b.roleArn("arn:aws:iam::" + account(env) + ":role/admin")
                          .roleSessionName("test-admin"))
              .credentials();
      return StaticCredentialsProvider.create(
          software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
              c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    }
  }

  public S3Client admin(String env) {
    return admins.computeIfAbsent(
        env,
        e ->
            S3Client.builder()
                .endpointOverride(moto.endpoint())
                .forcePathStyle(true)
                .region(REGION)
                .credentialsProvider(credentials(e))
                .httpClient(UrlConnectionHttpClient.create())
                .build());
  }

  public static URI endpoint(MotoServer moto) {
    return moto.endpoint();
  }

  /**
   * Publishes {@code file} to {@code env} as the build step would: with provenance signed by the
   * ops signing key.
   */
  public Publisher.PublishResult publish(String function, String env, Path file, BuildInfo git) {
    S3Client s3 = admin(env);
    try (KmsClient kms = opsKms()) {
      return new Publisher(
              new Publisher.Signing(
                  new KmsEnvelopeSigner(kms, SigningKeyArn.parse(signingKeyArn)),
                  "arn:aws:codebuild:us-east-1:"
                      + account(env)
                      + ":project/"
                      + function
                      + "-build"))
          .publish(
              function, S3ArtifactStore.withClient(s3, bucket(env), kmsKeyArn(env)), file, git);
    }
  }

  /** Publishes without provenance, as a build that does not sign (or a forger) would. */
  public Publisher.PublishResult publishUnsigned(
      String function, String env, Path file, BuildInfo git) {
    return new Publisher()
        .publish(
            function,
            S3ArtifactStore.withClient(admin(env), bucket(env), kmsKeyArn(env)),
            file,
            git);
  }

  /**
   * Every object version in every bucket with its size, ETag, metadata and tags: equal snapshots
   * before and after an operation prove it wrote nothing.
   */
  public List<String> snapshot() {
    List<String> lines = new ArrayList<>();
    for (String env : ENVIRONMENTS) {
      S3Client s3 = admin(env);
      for (ObjectVersion v : s3.listObjectVersions(b -> b.bucket(bucket(env))).versions()) {
        var head = s3.headObject(b -> b.bucket(bucket(env)).key(v.key()).versionId(v.versionId()));
        Map<String, String> tags = new TreeMap<>();
        s3.getObjectTagging(b -> b.bucket(bucket(env)).key(v.key()).versionId(v.versionId()))
            .tagSet()
            .forEach(t -> tags.put(t.key(), t.value()));
        lines.add(
            String.join(
                " ",
                bucket(env),
                v.key(),
                v.versionId(),
                String.valueOf(v.isLatest()),
                String.valueOf(head.contentLength()),
                head.eTag(),
                new TreeMap<>(head.metadata()).toString(),
                tags.toString()));
      }
      s3.listObjectVersions(b -> b.bucket(bucket(env)))
          .deleteMarkers()
          .forEach(d -> lines.add(bucket(env) + " " + d.key() + " delete-marker " + d.versionId()));
      s3.listMultipartUploads(b -> b.bucket(bucket(env)))
          .uploads()
          .forEach(u -> lines.add(bucket(env) + " " + u.key() + " open-upload " + u.uploadId()));
    }
    lines.sort(String::compareTo);
    return lines;
  }

  /** A file of {@code size} pseudo-random bytes, different for each {@code seed}. */
  public static Path packageFile(Path dir, String name, int size, long seed)
      throws java.io.IOException {
    byte[] bytes = new byte[size];
    new java.util.Random(seed).nextBytes(bytes);
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  /** A 40-hex revision derived from {@code seed}. */
  public static String revision(long seed) {
    return String.format("%040x", new java.math.BigInteger(1, sha1(seed)));
  }

  private static byte[] sha1(long seed) {
    try {
      return java.security.MessageDigest.getInstance("SHA-1")
          .digest(String.valueOf(seed).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Overwrites an object's bytes while keeping its metadata: a tampered or corrupted release. */
  public void tamper(String env, String key, Map<String, String> metadata) {
    admin(env)
        .putObject(
            b -> b.bucket(bucket(env)).key(key).metadata(metadata).checksumAlgorithm("SHA256"),
            RequestBody.fromString("tampered"));
  }
}
