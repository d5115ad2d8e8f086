package org.artifactpromoter.pipeline;

import org.artifactpromoter.promotion.PromotionConfig;

/** A valid three-account configuration for unit tests (no AWS call is ever made with it). */
final class TestConfig {
  private TestConfig() {}

  static PromotionConfig config() {
    StringBuilder envs = new StringBuilder();
    String[][] accounts = {
      {"dev", "222222222222"}, {"stage", "333333333333"}, {"prod", "444444444444"}
    };
    for (String[] env : accounts) {
      if (envs.length() > 0) {
        envs.append(',');
      }
      envs.append(
          String.format(
              "\"%s\":{\"account\":\"%s\",\"region\":\"us-east-1\",\"bucket\":\"acme-%s-artifacts\","
                  + "\"role\":\"arn:aws:iam::%s:role/artifact-promotion-%s\",\"externalId\":\"ext-%s\"}",
              env[0], env[1], env[0], env[1], env[0], env[0]));
    }
    return PromotionConfig.parse(
        "{\"environments\":{"
            + envs
            + "},\"promotions\":{\"dev\":[\"stage\"],\"stage\":[\"prod\"]}}");
  }
}
