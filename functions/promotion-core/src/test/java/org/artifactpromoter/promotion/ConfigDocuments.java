package org.artifactpromoter.promotion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/**
 * A valid three-account promotion configuration (dev -> stage -> prod) for every module's unit
 * tests, and a way to break one part of it at a time. No AWS call is ever made with it.
 */
public final class ConfigDocuments {
  public static final String DEV_EXTERNAL_ID = "dev-shared-secret-7f3a";
  public static final String DEV_KMS_KEY =
      "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  public static final String PROD_KMS_ALIAS = "arn:aws:kms:eu-west-1:444444444444:alias/artifacts";

  public static final String FULL =
      """
      {
        "environments": {
          "dev": {
            "account": "222222222222", "region": "us-east-1", "bucket": "acme-dev-artifacts",
            "role": "arn:aws:iam::222222222222:role/artifact-promotion",
            "externalId": "dev-shared-secret-7f3a",
            "kmsKeyArn": "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
          },
          "stage": {
            "account": "333333333333", "region": "us-east-1", "bucket": "acme-stage-artifacts",
            "role": "arn:aws:iam::333333333333:role/promotion/artifact-promotion",
            "externalId": "stage-shared-secret-19c2"
          },
          "prod": {
            "account": "444444444444", "region": "eu-west-1", "bucket": "acme.prod.artifacts",
            "role": "arn:aws:iam::444444444444:role/artifact-promotion",
            "externalId": "prod-shared-secret-55e0",
            "kmsKeyArn": "arn:aws:kms:eu-west-1:444444444444:alias/artifacts"
          }
        },
        "promotions": { "dev": ["stage"], "stage": ["prod"] },
        "copy": {
          "mode": "streamed", "multipartThresholdBytes": 104857600,
          "partSizeBytes": 8388608, "maxConcurrency": 8
        }
      }
      """;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ConfigDocuments() {}

  public static PromotionConfig full() {
    return PromotionConfig.parse(FULL);
  }

  /** {@link #FULL} with one edit applied, as JSON text. */
  public static String edited(Consumer<ObjectNode> edit) {
    try {
      ObjectNode root = (ObjectNode) MAPPER.readTree(FULL);
      edit.accept(root);
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ObjectNode environment(ObjectNode root, String name) {
    return (ObjectNode) root.get("environments").get(name);
  }
}
