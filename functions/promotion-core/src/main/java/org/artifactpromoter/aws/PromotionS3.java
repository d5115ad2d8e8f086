package org.artifactpromoter.aws;

import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One promotion's view of an account session's S3 client. Every request carries the promotion id
 * (so {@link AttemptLog} can name it), and a call that S3 refuses because the session's token
 * expired is made once more with a new session: one AssumeRole, shared by the calls that saw the
 * same expired token. Closing it leaves the session's client open for the next promotion.
 */
final class PromotionS3 implements InvocationHandler {
  private static final System.Logger LOG = System.getLogger(PromotionS3.class.getName());

  /** What S3 (and services signed by STS sessions) answer when a session token has expired. */
  private static final Set<String> EXPIRED_TOKEN =
      Set.of("ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired");

  private final S3Client session;
  private final RoleCredentials credentials;
  private final String promotionId;

  private PromotionS3(S3Client session, RoleCredentials credentials, String promotionId) {
    this.session = session;
    this.credentials = credentials;
    this.promotionId = promotionId;
  }

  static S3Client of(S3Client session, RoleCredentials credentials, String promotionId) {
    return (S3Client)
        Proxy.newProxyInstance(
            S3Client.class.getClassLoader(),
            new Class<?>[] {S3Client.class},
            new PromotionS3(session, credentials, promotionId));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("close") && method.getParameterCount() == 0) {
      return null;
    }
    if (method.isDefault() && args != null && args.length > 0 && args[0] instanceof Consumer) {
      // The consumer-builder forms build the request and call back into this proxy.
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    if (args == null || args.length == 0 || !(args[0] instanceof SdkRequest request)) {
      return call(method, args);
    }
    Object[] tagged = args.clone();
    tagged[0] = AttemptLog.tagged(request, promotionId);
    long session = credentials.generation();
    try {
      return call(method, tagged);
    } catch (S3Exception e) {
      if (e.awsErrorDetails() == null || !EXPIRED_TOKEN.contains(e.awsErrorDetails().errorCode())) {
        throw e;
      }
      LOG.log(
          Level.INFO,
          "s3 {0} promotion {1}: the role session''s token expired ({2}); assuming the role again"
              + " and retrying once",
          method.getName(),
          promotionId,
          e.awsErrorDetails().errorCode());
      credentials.renew(session, promotionId);
      return call(method, tagged);
    }
  }

  private Object call(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(session, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
