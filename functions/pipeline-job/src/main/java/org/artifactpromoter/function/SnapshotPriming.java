package org.artifactpromoter.function;

import java.lang.System.Logger.Level;
import javax.inject.Inject;
import org.artifactpromoter.aws.AccountSessions;
import org.artifactpromoter.aws.AwsClients;
import org.artifactpromoter.json.Json;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.promotion.PromotionConfig;
import org.artifactpromoter.promotion.PromotionIds;
import org.artifactpromoter.promotion.PromotionRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * What a SnapStart snapshot of the function should and should not hold. Before the snapshot, a
 * promotion's classes are loaded and linked, and the SDK's request path warmed, by running the SDK
 * calls of a promotion against {@link PrimingHttpClient} (no connection, no AWS call) with
 * placeholder credentials: the function's own credentials are never resolved, and no role session
 * is opened, so none can be captured. After a restore, the promotion-id source is reseeded (copies
 * of one snapshot share its state) and any role session is dropped.
 */
public final class SnapshotPriming implements PromoteFunction.SnapshotHooks {
  private static final System.Logger LOG = System.getLogger(SnapshotPriming.class.getName());

  /** Valid nowhere: signing needs some credentials, and these must not be real ones. */
  private static final StaticCredentialsProvider PLACEHOLDER =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create("AKIAPRIMINGONLY00000", "priming-placeholder-not-a-secret"));

  private static final String BUCKET = "priming-bucket";
  private static final String KEY = "drop/priming.zip";

  private final Region region;
  private final AccountSessions sessions;
  private final PromotionConfig config;

  @Inject
  public SnapshotPriming(Region region, AccountSessions sessions, PromotionConfig config) {
    this.region = region;
    this.sessions = sessions;
    this.config = config;
  }

  /**
   * Runs a promotion's SDK calls offline; returns how many requests were answered offline (what the
   * priming covered). Priming is an optimisation: a failure is logged and the snapshot goes on.
   */
  @Override
  public int beforeSnapshot() {
    PrimingHttpClient offline = new PrimingHttpClient();
    try (AwsClients clients = new AwsClients(offline, true)) {
      try (StsClient sts = clients.sts(region, PLACEHOLDER);
          StsAssumeRoleCredentialsProvider role =
              StsAssumeRoleCredentialsProvider.builder()
                  .stsClient(sts)
                  .refreshRequest(
                      r ->
                          r.roleArn("arn:aws:iam::000000000000:role/priming")
                              .roleSessionName("priming")
                              .externalId("priming")
                              .sourceIdentity("priming")
                              .durationSeconds(AccountSessions.SESSION_SECONDS))
                  .asyncCredentialUpdateEnabled(false)
                  .build();
          S3Client s3 = clients.s3(region, role)) {
        s3.headObject(r -> r.bucket(BUCKET).key(KEY).checksumMode(ChecksumMode.ENABLED));
        s3.getObjectTagging(r -> r.bucket(BUCKET).key(KEY).versionId("priming"));
        s3.listObjectVersions(r -> r.bucket(BUCKET).prefix(KEY).maxKeys(16));
        s3.copyObject(
            r ->
                r.sourceBucket(BUCKET)
                    .sourceKey(KEY)
                    .sourceVersionId("priming")
                    .destinationBucket(BUCKET)
                    .destinationKey("releases/priming/priming.zip")
                    .ifNoneMatch("*"));
        s3.putObject(r -> r.bucket(BUCKET).key("priming.json"), RequestBody.fromString("{}"));
      }
      try (CodePipelineClient pipeline =
          FunctionModule.codePipelineBuilder(clients, region)
              .credentialsProvider(PLACEHOLDER)
              .build()) {
        pipeline.putJobSuccessResult(r -> r.jobId("priming"));
      }
      primeRequestParsing();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Snapshot priming stopped early; the snapshot is taken anyway", e);
    }
    if (sessions.openSessions() != 0) {
      // Never expected: priming opens no session. A snapshot must not carry one.
      sessions.forgetSessions();
    }
    return offline.answered();
  }

  /** The request and result JSON paths; the request is refused or accepted, both are fine. */
  private void primeRequestParsing() {
    String[] names = config.environments().keySet().toArray(String[]::new);
    String from = names.length > 0 ? names[0] : "dev";
    String to = names.length > 1 ? names[1] : "stage";
    try {
      PromotionRequest.parse(
          "{\"function\":\"priming\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}", config);
    } catch (PromotionException refused) {
      Json.write(refused.code());
    }
    Json.write(Json.object().put("status", "PROMOTED"));
  }

  /** After a restore: ids of this copy's own, and no session opened before the snapshot. */
  @Override
  public void afterRestore() {
    PromotionIds.reseed();
    sessions.forgetSessions();
  }
}
