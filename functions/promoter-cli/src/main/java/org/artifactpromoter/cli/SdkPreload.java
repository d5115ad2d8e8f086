package org.artifactpromoter.cli;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.artifactpromoter.aws.AwsClients;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Overlaps the AWS SDK's one-time set-up with what a command does before its first request
 * (picocli's model, the configuration): in a fresh JVM, building the first STS and S3 clients
 * initialises a few thousand classes, the endpoint rules, the region metadata of every service and
 * the TLS trust store, which takes longer than the requests of a promotion. A daemon thread builds
 * and closes throwaway clients while the main thread parses; the command waits for it before it
 * builds its own, so no two threads ever initialise the SDK's classes at once.
 *
 * <p>The throwaway clients have anonymous credentials and send nothing: no credentials are read, no
 * request leaves the process. A failure here only means the command does the set-up itself.
 */
final class SdkPreload {
  private static final Logger LOG = Logger.getLogger(SdkPreload.class.getName());

  /** Commands whose first step after parsing is building SDK clients. */
  private static final Set<String> AWS_COMMANDS =
      Set.of("promote", "publish", "status", "history", "verify", "inspect", "invoke");

  /** Longer than any preload takes on a loaded machine; past it, the command goes on alone. */
  private static final long WAIT_MILLIS = 10_000;

  private static volatile Thread running;

  private SdkPreload() {}

  /**
   * Starts the preload when {@code command} is one that calls AWS (and ARTIFACT_PROMOTER_PRELOAD is
   * not {@code off}); returns whether it did.
   */
  static boolean startFor(String command) {
    if (command == null
        || !AWS_COMMANDS.contains(command)
        || "off".equals(System.getenv("ARTIFACT_PROMOTER_PRELOAD"))) {
      return false;
    }
    Thread thread = new Thread(SdkPreload::buildThrowawayClients, "sdk-preload");
    thread.setDaemon(true);
    running = thread;
    thread.start();
    return true;
  }

  /** Waits until the preload has finished (or was never started); call before building clients. */
  static void awaitBeforeClients() {
    Thread thread = running;
    if (thread == null) {
      return;
    }
    try {
      thread.join(WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    running = null;
  }

  private static void buildThrowawayClients() {
    long started = System.nanoTime();
    try (AwsClients clients = new AwsClients()) {
      clients.sts(Region.US_EAST_1, AnonymousCredentialsProvider.create()).close();
      clients.s3(Region.US_EAST_1, AnonymousCredentialsProvider.create()).close();
    } catch (RuntimeException | LinkageError e) {
      LOG.log(Level.FINE, "SDK preload failed; the command sets the SDK up itself", e);
    }
    LOG.log(
        Level.FINE,
        "SDK preload took {0} ms",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }
}
