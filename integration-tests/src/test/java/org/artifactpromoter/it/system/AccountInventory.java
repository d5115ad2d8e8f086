package org.artifactpromoter.it.system;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.PolicyScopeType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * What is left in one emulated account, read through the SDK in this JVM: one aws CLI process per
 * call (a Python start-up each, dozens of them after a destroy) was most of the system test's
 * post-destroy time.
 */
final class AccountInventory implements AutoCloseable {
  private final SdkHttpClient http = UrlConnectionHttpClient.create();
  private final URI endpoint;
  private final StaticCredentialsProvider credentials;

  /**
   * {@code keys}: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN of a role there.
   */
  AccountInventory(URI endpoint, Map<String, String> keys) {
    this.endpoint = endpoint;
    this.credentials =
        StaticCredentialsProvider.create(
            AwsSessionCredentials.create(
                keys.get("AWS_ACCESS_KEY_ID"),
                keys.get("AWS_SECRET_ACCESS_KEY"),
                keys.get("AWS_SESSION_TOKEN")));
  }

  List<String> bucketNames() {
    try (S3Client s3 = s3()) {
      return s3.listBuckets().buckets().stream().map(b -> b.name()).toList();
    }
  }

  /** Deletes every version and delete marker, as an operator empties a bucket before destroy. */
  void emptyBucket(String bucket) {
    try (S3Client s3 = s3()) {
      for (var page : s3.listObjectVersionsPaginator(r -> r.bucket(bucket))) {
        List<ObjectIdentifier> objects = new ArrayList<>();
        page.versions().forEach(v -> objects.add(id(v.key(), v.versionId())));
        page.deleteMarkers().forEach(m -> objects.add(id(m.key(), m.versionId())));
        if (!objects.isEmpty()) {
          var deleted =
              s3.deleteObjects(
                  r -> r.bucket(bucket).delete(Delete.builder().objects(objects).build()));
          if (!deleted.errors().isEmpty()) {
            throw new IllegalStateException("emptying " + bucket + ": " + deleted.errors());
          }
        }
      }
    }
  }

  List<String> roleArns() {
    try (IamClient iam = build(IamClient.builder())) {
      return iam.listRolesPaginator().roles().stream().map(r -> r.arn()).toList();
    }
  }

  List<String> localPolicyArns() {
    try (IamClient iam = build(IamClient.builder())) {
      return iam.listPoliciesPaginator(r -> r.scope(PolicyScopeType.LOCAL)).policies().stream()
          .map(p -> p.arn())
          .toList();
    }
  }

  List<String> functionNames() {
    try (LambdaClient lambda = build(LambdaClient.builder())) {
      return lambda.listFunctionsPaginator().functions().stream()
          .map(f -> f.functionName())
          .toList();
    }
  }

  List<String> codeBuildProjects() {
    try (CodeBuildClient codeBuild = build(CodeBuildClient.builder())) {
      return codeBuild.listProjectsPaginator().projects().stream().toList();
    }
  }

  List<String> pipelineNames() {
    try (CodePipelineClient codePipeline = build(CodePipelineClient.builder())) {
      return codePipeline.listPipelines().pipelines().stream().map(p -> p.name()).toList();
    }
  }

  List<String> logGroupNames() {
    try (CloudWatchLogsClient logs = build(CloudWatchLogsClient.builder())) {
      return logs.describeLogGroupsPaginator().logGroups().stream()
          .map(g -> g.logGroupName())
          .toList();
    }
  }

  List<String> eventRuleNames() {
    try (EventBridgeClient events = build(EventBridgeClient.builder())) {
      return events.listRules(r -> {}).rules().stream().map(r -> r.name()).toList();
    }
  }

  List<String> kmsAliasNames() {
    try (KmsClient kms = build(KmsClient.builder())) {
      return kms.listAliasesPaginator().aliases().stream().map(a -> a.aliasName()).toList();
    }
  }

  /** Each key of the account with its state (a destroyed key is PendingDeletion, not gone). */
  Map<String, String> kmsKeyStates() {
    try (KmsClient kms = build(KmsClient.builder())) {
      Map<String, String> states = new java.util.LinkedHashMap<>();
      kms.listKeysPaginator()
          .keys()
          .forEach(
              k ->
                  states.put(
                      k.keyId(),
                      kms.describeKey(r -> r.keyId(k.keyId())).keyMetadata().keyStateAsString()));
      return states;
    }
  }

  @Override
  public void close() {
    http.close();
  }

  private S3Client s3() {
    return build(S3Client.builder().forcePathStyle(true));
  }

  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
    return builder
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .httpClient(http)
        .build();
  }

  private static ObjectIdentifier id(String key, String versionId) {
    return ObjectIdentifier.builder().key(key).versionId(versionId).build();
  }
}
