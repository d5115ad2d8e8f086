package org.artifactpromoter.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A moto server on a free loopback port, started and stopped by the tests themselves so that a
 * fresh machine needs nothing started by hand. Plain credentials act in the ops account ({@link
 * #OPS_ACCOUNT}); credentials from AssumeRole act in the role's account.
 */
public final class MotoServer implements AutoCloseable {
  public static final String OPS_ACCOUNT = "111111111111";

  /**
   * {@code python -m moto.server}, except that the request URL moto checks signatures against keeps
   * its query string as sent: werkzeug decodes {@code %2F} in it, so under IAM enforcement every
   * signed request with a slash in a query value (ListObjectVersions with {@code
   * prefix=releases/...}) failed with SignatureDoesNotMatch.
   */
  private static final String LAUNCHER =
      String.join(
          "\n",
          "import runpy, sys",
          "import werkzeug.sansio.request as r",
          "current_url = r.get_current_url",
          "def keep_query(scheme, host, root_path=None, path=None, query_string=None):",
          "    url = current_url(scheme, host, root_path, path, None)",
          "    return url + '?' + query_string.decode('latin-1') if query_string else url",
          "r.get_current_url = keep_query",
          "sys.argv = ['moto.server'] + sys.argv[1:]",
          "runpy.run_module('moto.server', run_name='__main__', alter_sys=True)");

  private final Process process;
  private final int port;
  private final Path log;

  private MotoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts moto with {@code python3} (override with the system property {@code moto.python}). */
  public static MotoServer start() {
    return start(LAUNCHER);
  }

  /**
   * Starts moto after running the Python file {@code patches} in the server's interpreter: a
   * harness's workarounds for emulator gaps, kept with the harness that needs them (each one
   * commented with the moto behaviour it works around).
   */
  public static MotoServer startWithPatches(Path patches) {
    String load = "exec(compile(open(sys.argv.pop(1)).read(), 'moto-patches', 'exec'))";
    return start(
        LAUNCHER.replace("sys.argv = ['moto.server']", load + "\nsys.argv = ['moto.server']"),
        patches.toString());
  }

  private static MotoServer start(String launcher, String... launcherArguments) {
    int port = freePort();
    try {
      Path log = Files.createTempFile("moto-", ".log");
      String python = System.getProperty("moto.python", "python3");
      List<String> command = new java.util.ArrayList<>(List.of(python, "-c", launcher));
      command.addAll(List.of(launcherArguments));
      command.addAll(List.of("-H", "127.0.0.1", "-p", String.valueOf(port)));
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      // No MOTO_ACCOUNT_ID: with it set, moto 5 resolves every assumed role's keys to that one
      // account, and the accounts stop being separate under IAM enforcement.
      Process process = builder.start();
      MotoServer server = new MotoServer(process, port, log);
      server.awaitReady(Duration.ofSeconds(60));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start moto server (is moto[server] installed?)", e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** Environment variables a child process (the CLI, a buildspec) needs to talk to this server. */
  public Map<String, String> clientEnvironment() {
    return Map.of(
        "AWS_ENDPOINT_URL", endpoint().toString(),
        "AWS_ACCESS_KEY_ID", "testing",
        "AWS_SECRET_ACCESS_KEY", "testing",
        "AWS_REGION", "us-east-1",
        "AWS_DEFAULT_REGION", "us-east-1");
  }

  /** Clears all state: every test class starts from empty accounts. */
  public void reset() {
    post("/moto-api/reset", "");
  }

  /**
   * Turns on IAM enforcement of identity policies after {@code unauthenticatedRequests} more
   * requests: 0 enforces from the next request on; a large number turns it off for set-up.
   */
  public void enforceIam(int unauthenticatedRequests) {
    post("/moto-api/reset-auth", String.valueOf(unauthenticatedRequests));
  }

  private void post(String path, String body) {
    try {
      HttpURLConnection connection =
          (HttpURLConnection) endpoint().resolve(path).toURL().openConnection();
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      // Not form-encoded: moto reads the raw body.
      connection.setRequestProperty("Content-Type", "text/plain");
      connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
      int status = connection.getResponseCode();
      if (status / 100 != 2) {
        throw new IllegalStateException("moto " + path + " answered HTTP " + status);
      }
      connection.getInputStream().readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "moto server exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpURLConnection connection =
            (HttpURLConnection) endpoint().resolve("/moto-api/data.json").toURL().openConnection();
        connection.setConnectTimeout(500);
        if (connection.getResponseCode() == 200) {
          connection.getInputStream().readAllBytes();
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        "moto server did not answer within " + timeout + ": " + Files.readString(log));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
