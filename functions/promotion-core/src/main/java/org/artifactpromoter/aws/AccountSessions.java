package org.artifactpromoter.aws;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.artifactpromoter.model.Environment;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * S3 clients acting in an environment's account through its promotion role. A session is opened per
 * environment and source identity (who asked) and reused by the promotions that follow while its
 * 900-second credentials are valid: its name carries the id of the promotion that opened it, and
 * every S3 request of a promotion carries that promotion's own id for the attempt log. A warm
 * container saves one AssumeRole per account and promotion that way; CloudTrail ties a reused
 * session's calls to the source identity and the opening promotion, not to each later promotion.
 * When S3 says a session's token expired, {@link SessionS3} opens a new one, named after the
 * promotion that needed it.
 */
public final class AccountSessions implements AutoCloseable {
  /** Short sessions: a promotion takes seconds; a stolen token should expire soon. */
  public static final int SESSION_SECONDS = 900;

  /** Below the SDK's 5-minute prefetch window, so a session is never refreshed under its name. */
  static final Duration REUSE_FOR = Duration.ofMinutes(9);

  private static final int MAX_OPEN_SESSIONS = 16;
  private static final Pattern SESSION_CHARS = Pattern.compile("[^\\w+=,.@-]");

  private final StsClient sts;
  private final AwsClients clients;
  private final Map<String, Session> sessions =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
          // Not closed: a copy may still be using it; it holds no connection of its own.
          return size() > MAX_OPEN_SESSIONS;
        }
      };

  public AccountSessions(StsClient sts, AwsClients clients) {
    this.sts = sts;
    this.clients = clients;
  }

  /**
   * An S3 client in {@code environment}'s account for promotion {@code promotionId}, with {@code
   * sourceIdentity} (who asked: the approver, or the CLI user) set on the session.
   */
  SessionS3 s3(Environment environment, String promotionId, String sourceIdentity) {
    Session session = session(environment, promotionId, sourceIdentity);
    return new SessionS3(
        session.s3,
        session.credentials,
        promotionId,
        StorePrincipal.promotionRole(environment.role()));
  }

  /**
   * The same session's credentials, for another service in that account (the CodePipeline job API
   * of a pipeline in the environment's account).
   */
  public AwsCredentialsProvider credentials(
      Environment environment, String promotionId, String sourceIdentity) {
    return session(environment, promotionId, sourceIdentity).credentials;
  }

  private synchronized Session session(
      Environment environment, String promotionId, String sourceIdentity) {
    String identity = sourceIdentityOf(sourceIdentity);
    String key = environment.name() + "/" + identity;
    Session session = sessions.get(key);
    long now = System.nanoTime();
    if (session == null || now - session.openedAt > REUSE_FOR.toNanos()) {
      session = open(environment, promotionId, identity, now);
      sessions.put(key, session);
    }
    return session;
  }

  private Session open(
      Environment environment, String promotionId, String sourceIdentity, long openedAt) {
    RoleCredentials credentials =
        new RoleCredentials(
            environment.role(),
            forPromotion -> assumeRole(environment, forPromotion, sourceIdentity),
            promotionId);
    return new Session(
        credentials, clients.s3(Region.of(environment.region()), credentials), openedAt);
  }

  private StsAssumeRoleCredentialsProvider assumeRole(
      Environment environment, String promotionId, String sourceIdentity) {
    AssumeRoleRequest request =
        AssumeRoleRequest.builder()
            .roleArn(environment.role())
            .roleSessionName(sessionName(promotionId))
            .externalId(environment.externalId())
            .sourceIdentity(sourceIdentity)
            .durationSeconds(SESSION_SECONDS)
            .overrideConfiguration(
                o -> o.putExecutionAttribute(AttemptLog.PROMOTION_ID, promotionId))
            .build();
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts)
        .refreshRequest(request)
        .asyncCredentialUpdateEnabled(false)
        .build();
  }

  /** RoleSessionName allows 2-64 characters of [\w+=,.@-]. */
  static String sessionName(String promotionId) {
    String name = "promote-" + SESSION_CHARS.matcher(promotionId).replaceAll("_");
    return name.length() <= 64 ? name : name.substring(0, 64);
  }

  /** SourceIdentity allows 2-64 characters of [\w+=,.@-]. */
  static String sourceIdentityOf(String who) {
    String identity =
        who == null || who.isBlank()
            ? "artifact-promoter"
            : SESSION_CHARS.matcher(who.strip()).replaceAll("_");
    if (identity.length() < 2) {
      identity = identity + "_";
    }
    return identity.length() <= 64 ? identity : identity.substring(0, 64);
  }

  /**
   * Drops every open session: after a snapshot restore, whose copies must not share role sessions,
   * and whose monotonic clock no longer tells a session's age. The next promotion opens new ones.
   */
  public synchronized void forgetSessions() {
    sessions.values().forEach(Session::close);
    sessions.clear();
  }

  /** How many role sessions are open: none may be in a snapshot. */
  public synchronized int openSessions() {
    return sessions.size();
  }

  @Override
  public void close() {
    forgetSessions();
  }

  private record Session(RoleCredentials credentials, S3Client s3, long openedAt) {
    void close() {
      s3.close();
      credentials.close();
    }
  }
}
