package org.artifactpromoter.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.artifactpromoter.aws.AccountSessions;
import org.artifactpromoter.model.Environment;
import org.artifactpromoter.promotion.PromotionConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Reports jobs of pipelines in the function's own account with its own credentials, and jobs of
 * pipelines in an environment's account through that environment's promotion role (the role the
 * promoter assumes there anyway; its policy grants the job API on that account's pipelines:
 * pipeline-terraform/modules/promotion-role/policies/pipeline-jobs.json.tftpl). A job from an
 * account no environment names is reported with the function's own credentials.
 */
public final class AccountPipelineClients implements PipelineClients {
  /**
   * Its own source identity keeps this session apart from the promotions' S3 sessions (keyed by
   * environment and identity). Like them it is named after the promotion (job) that opened it and
   * reused by the jobs that follow while it is young; a new session gets a new client.
   */
  static final String IDENTITY = "codepipeline-job-results";

  private final CodePipelineClient own;
  private final PromotionConfig config;
  private final AccountSessions sessions;
  private final BiFunction<AwsCredentialsProvider, Region, CodePipelineClient> clientFactory;
  private final Map<String, AccountClient> byAccount = new ConcurrentHashMap<>();

  public AccountPipelineClients(
      CodePipelineClient own,
      PromotionConfig config,
      AccountSessions sessions,
      BiFunction<AwsCredentialsProvider, Region, CodePipelineClient> clientFactory) {
    this.own = own;
    this.config = config;
    this.sessions = sessions;
    this.clientFactory = clientFactory;
  }

  @Override
  public CodePipelineClient forJob(
      String jobAccountId, String functionAccountId, String promotionId) {
    if (jobAccountId == null || jobAccountId.equals(functionAccountId)) {
      return own;
    }
    Environment environment =
        config.environments().values().stream()
            .filter(e -> e.account().equals(jobAccountId))
            .findFirst()
            .orElse(null);
    if (environment == null) {
      return own;
    }
    AwsCredentialsProvider session = sessions.credentials(environment, promotionId, IDENTITY);
    return byAccount
        .compute(
            jobAccountId,
            (account, current) ->
                current != null && current.session() == session
                    ? current
                    : new AccountClient(
                        session, clientFactory.apply(session, Region.of(environment.region()))))
        .client();
  }

  /** A client and the session it signs with. */
  private record AccountClient(AwsCredentialsProvider session, CodePipelineClient client) {}

  /** The account in a Lambda ARN ({@code arn:aws:lambda:region:account:function:name}), or null. */
  public static String accountOf(String functionArn) {
    if (functionArn == null) {
      return null;
    }
    String[] parts = functionArn.split(":");
    return parts.length > 4 && parts[4].matches("\\d{12}") ? parts[4] : null;
  }
}
