package org.artifactpromoter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.artifactpromoter.aws.AccountSessions;
import org.artifactpromoter.aws.AwsClients;
import org.artifactpromoter.promotion.PromotionConfig;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.sts.StsClient;

/** Which credentials report a job: no network (sessions are opened lazily, on first use). */
class AccountPipelineClientsTest {
  private static final String CONFIG =
      "{\"environments\":{"
          + "\"dev\":{\"account\":\"222222222222\",\"region\":\"eu-west-1\",\"bucket\":\"acme-dev\","
          + "\"role\":\"arn:aws:iam::222222222222:role/p\",\"externalId\":\"ext-dev-123\"},"
          + "\"stage\":{\"account\":\"333333333333\",\"region\":\"us-east-1\",\"bucket\":\"acme-stage\","
          + "\"role\":\"arn:aws:iam::333333333333:role/p\",\"externalId\":\"ext-stage-123\"}},"
          + "\"promotions\":{\"dev\":[\"stage\"]}}";

  private final List<Region> built = new ArrayList<>();
  private final CodePipelineClient own = client(Region.US_EAST_1);
  private final AccountPipelineClients clients =
      new AccountPipelineClients(
          own,
          PromotionConfig.parse(CONFIG),
          new AccountSessions(
              StsClient.builder()
                  .region(Region.US_EAST_1)
                  .credentialsProvider(AnonymousCredentialsProvider.create())
                  .httpClient(UrlConnectionHttpClient.create())
                  .build(),
              new AwsClients(UrlConnectionHttpClient.create(), true)),
          (credentials, region) -> {
            built.add(region);
            return client(region);
          });

  private static CodePipelineClient client(Region region) {
    return CodePipelineClient.builder()
        .region(region)
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @Test
  void forJob_inTheFunctionsOwnAccount_usesItsOwnCredentials() {
    assertThat(clients.forJob("222222222222", "222222222222", "p-1")).isSameAs(own);
    assertThat(built).isEmpty();
  }

  @Test
  void forJob_inAnEnvironmentsAccount_usesThatEnvironmentsRoleInItsRegion_once() {
    CodePipelineClient first = clients.forJob("222222222222", "111111111111", "p-1");
    CodePipelineClient second = clients.forJob("222222222222", "111111111111", "p-1");
    assertThat(first).isNotSameAs(own).isSameAs(second);
    assertThat(built).containsExactly(Region.EU_WEST_1);
  }

  @Test
  void forJob_fromAnAccountNoEnvironmentNames_fallsBackToOwnCredentials() {
    assertThat(clients.forJob("999999999999", "111111111111", "p-1")).isSameAs(own);
    assertThat(clients.forJob(null, "111111111111", "p-1")).isSameAs(own);
  }

  @Test
  void accountOf_readsTheAccountOfALambdaArn() {
    assertThat(AccountPipelineClients.accountOf("arn:aws:lambda:us-east-1:111111111111:function:p"))
        .isEqualTo("111111111111");
    assertThat(AccountPipelineClients.accountOf("not-an-arn")).isNull();
    assertThat(AccountPipelineClients.accountOf(null)).isNull();
  }
}
