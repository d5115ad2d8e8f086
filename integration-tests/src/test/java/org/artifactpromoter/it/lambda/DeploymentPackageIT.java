package org.artifactpromoter.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.artifactpromoter.artifact.GitRevision;
import org.artifactpromoter.internal.Json;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.junit.jupiter.api.Test;

/**
 * The deployable package itself, not the module's classes: the shaded jar is loaded in its own
 * class loader (as the Lambda runtime does, with nothing of the test's classpath) and its handler
 * promotes a package and refuses a bad request.
 */
class DeploymentPackageIT extends WithLocalAccounts {

  static Path lambdaJar() throws Exception {
    Path target = Path.of(System.getProperty("repo.root", ".."), "functions/promote-lambda/target");
    try (var files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith("-lambda.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException("no *-lambda.jar in " + target + ": run mvn package"));
    }
  }

  @Test
  void shadedJar_hasNoApacheOrNettyHttpClientAndLoadsTheHandlerOnItsOwn() throws Exception {
    try (JarFile jar = new JarFile(lambdaJar().toFile())) {
      assertThat(jar.stream().map(e -> e.getName()))
          .noneMatch(n -> n.startsWith("software/amazon/awssdk/http/apache/"))
          .noneMatch(n -> n.startsWith("software/amazon/awssdk/http/nio/netty/"))
          .noneMatch(n -> n.startsWith("org/apache/http/"))
          .noneMatch(n -> n.startsWith("io/netty/"))
          .anyMatch(n -> n.equals("org/artifactpromoter/lambda/PromoteHandler.class"));
    }
  }

  @Test
  void shadedJar_promotesAndRefusesThroughItsHandler() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "orders-api.zip", 80_000, 41);
    String revision = LocalAccounts.revision(41);
    accounts.publish("orders-api", "dev", pkg, new GitRevision(revision, "main", null, "m", null));

    try (URLClassLoader runtime =
        new URLClassLoader(
            new URL[] {lambdaJar().toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> handlerClass = runtime.loadClass("org.artifactpromoter.lambda.PromoteHandler");
      assertThat(handlerClass.getClassLoader()).isSameAs(runtime);
      Object handler =
          handlerClass.getConstructor(String.class).newInstance(accounts.configJson(null));
      var handle =
          handlerClass.getMethod(
              "handleRequest",
              InputStream.class,
              OutputStream.class,
              runtime.loadClass("com.amazonaws.services.lambda.runtime.Context"));

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handle.invoke(
          handler,
          new ByteArrayInputStream(
              WithLocalAccounts.request("orders-api", "dev", "stage", null)
                  .getBytes(StandardCharsets.UTF_8)),
          out,
          null);
      JsonNode result = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
      assertThat(result.get("status").asText()).isEqualTo("PROMOTED");
      assertThat(result.get("revision").asText()).isEqualTo(revision);
      assertThat(
              accounts
                  .admin("stage")
                  .getObjectAsBytes(
                      b -> b.bucket(LocalAccounts.bucket("stage")).key("drop/orders-api.zip"))
                  .asByteArray())
          .isEqualTo(Files.readAllBytes(pkg));

      try {
        handle.invoke(
            handler,
            new ByteArrayInputStream(
                WithLocalAccounts.request("orders-api", "dev", "prod", null)
                    .getBytes(StandardCharsets.UTF_8)),
            new ByteArrayOutputStream(),
            null);
        throw new AssertionError("dev -> prod was not refused");
      } catch (InvocationTargetException e) {
        assertThat(e.getCause().getClass().getName())
            .isEqualTo("org.artifactpromoter.lambda.PromotionFailedException");
        assertThat(Json.MAPPER.readTree(e.getCause().getMessage()).get("error").asText())
            .isEqualTo("PROMOTION_NOT_ALLOWED");
      }
    }
  }
}
