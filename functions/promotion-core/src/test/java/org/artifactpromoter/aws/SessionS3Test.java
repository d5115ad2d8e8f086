package org.artifactpromoter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

class SessionS3Test {
  private static final String ROLE = "arn:aws:iam::333333333333:role/artifact-promotion-stage";
  private final StsClient sts =
      StsClient.builder()
          .region(Region.US_EAST_1)
          .credentialsProvider(AnonymousCredentialsProvider.create())
          .build();
  private final List<String> sessionsOpenedFor = new ArrayList<>();
  private final RoleCredentials credentials =
      new RoleCredentials(
          ROLE,
          promotionId -> {
            sessionsOpenedFor.add(promotionId);
            return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> r.roleArn("arn:aws:iam::333333333333:role/x"))
                .build();
          },
          "first");

  @AfterEach
  void close() {
    sts.close();
  }

  @Test
  void expiredToken_opensOneNewSessionForThisPromotion_andRepeatsTheCallOnce() {
    Answers session = new Answers(error("ExpiredToken", 400), null);

    HeadObjectResponse response =
        new SessionS3(session, credentials, "second", StorePrincipal.promotionRole(ROLE))
            .headObject(HeadObjectRequest.builder().build());

    assertThat(response).isNotNull();
    assertThat(session.calls).hasValue(2);
    assertThat(sessionsOpenedFor).containsExactly("first", "second");
  }

  @Test
  void tokenStillExpiredAfterRenewal_fails_withoutASecondRenewal() {
    Answers session = new Answers(error("ExpiredToken", 400), error("ExpiredToken", 400));

    assertThatThrownBy(
            () ->
                new SessionS3(session, credentials, "second", StorePrincipal.promotionRole(ROLE))
                    .headObject(HeadObjectRequest.builder().build()))
        .isInstanceOf(S3Exception.class);
    assertThat(session.calls).hasValue(2);
    assertThat(sessionsOpenedFor).containsExactly("first", "second");
  }

  @Test
  void otherErrors_areNotRepeated_andOpenNoSession() {
    Answers session = new Answers(error("AccessDenied", 403), null);

    assertThatThrownBy(
            () ->
                new SessionS3(session, credentials, "second", StorePrincipal.promotionRole(ROLE))
                    .headObject(HeadObjectRequest.builder().build()))
        .isInstanceOf(S3Exception.class);
    assertThat(session.calls).hasValue(1);
    assertThat(sessionsOpenedFor).containsExactly("first");
  }

  @Test
  void callsThatSawTheSameExpiredSession_shareOneNewSession() {
    long seen = credentials.generation();

    credentials.renew(seen, "a");
    credentials.renew(seen, "b");

    assertThat(sessionsOpenedFor).containsExactly("first", "a");
    assertThat(credentials.generation()).isEqualTo(seen + 1);
  }

  @Test
  void everyRequest_carriesThePromotionId_forTheAttemptLog() {
    Answers session = new Answers(null, null);

    new SessionS3(
            session, credentials, "20261122T050921Z-5d1e9c0a", StorePrincipal.promotionRole(ROLE))
        .headObject(HeadObjectRequest.builder().bucket("b").key("k").build());

    assertThat(session.lastRequest.bucket()).isEqualTo("b");
    assertThat(
            session
                .lastRequest
                .overrideConfiguration()
                .orElseThrow()
                .executionAttributes()
                .getAttribute(AttemptLog.PROMOTION_ID))
        .isEqualTo("20261122T050921Z-5d1e9c0a");
  }

  @Test
  void aClientWithItsOwnCredentials_doesNotRepeatAnExpiredTokenCall_norAssumeARole() {
    Answers session = new Answers(error("ExpiredToken", 400), null);

    assertThatThrownBy(() -> SessionS3.of(session).headObject(HeadObjectRequest.builder().build()))
        .isInstanceOf(S3Exception.class);
    assertThat(session.calls).hasValue(1);
    assertThat(sessionsOpenedFor).containsExactly("first");
    assertThat(session.closed).isFalse();
  }

  @Test
  void aDeniedHeadWithoutBody_isRethrownAsS3sAnswer_withoutRenewingTheSession() {
    // S3 answers a denied HEAD with a bare 403: error details without a code.
    Answers session = new Answers(error(null, 403), null);

    assertThatThrownBy(
            () ->
                new SessionS3(session, credentials, "second", StorePrincipal.promotionRole(ROLE))
                    .headObject(HeadObjectRequest.builder().build()))
        .isInstanceOf(S3Exception.class)
        .hasFieldOrPropertyWithValue("statusCode", 403);
    assertThat(session.calls).hasValue(1);
    assertThat(sessionsOpenedFor).containsExactly("first");
  }

  private static S3Exception error(String code, int status) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
            .build();
  }

  /** A session client that answers its first and second calls as told (null: success). */
  private static final class Answers implements S3Client {
    final AtomicInteger calls = new AtomicInteger();
    private final S3Exception first;
    private final S3Exception second;
    HeadObjectRequest lastRequest;
    boolean closed;

    Answers(S3Exception first, S3Exception second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest request) {
      lastRequest = request;
      S3Exception answer = calls.incrementAndGet() == 1 ? first : second;
      if (answer != null) {
        throw answer;
      }
      return HeadObjectResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "s3";
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
