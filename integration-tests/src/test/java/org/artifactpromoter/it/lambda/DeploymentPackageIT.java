package org.artifactpromoter.it.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.artifactpromoter.artifact.ArtifactLayout;
import org.artifactpromoter.artifact.BuildInfo;
import org.artifactpromoter.artifact.Sha256;
import org.artifactpromoter.it.pipeline.CodePipelineStub;
import org.artifactpromoter.it.support.LocalAccounts;
import org.artifactpromoter.it.support.WithLocalAccounts;
import org.artifactpromoter.json.Json;
import org.junit.jupiter.api.Test;

/**
 * The deployable package itself, not the module's classes: the shaded jar is loaded in its own
 * class loader (as the Lambda runtime does, with nothing of the test's classpath) and its handler
 * promotes a package (server-side, multipart and streamed), runs a CodePipeline job and refuses a
 * bad request. The package keeps only the classes its handler can reach (shade's {@code
 * minimizeJar} in functions/promote-lambda/pom.xml); these tests are what shows it still works.
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

  /**
   * Only the SDK clients the function builds: S3, STS, CodePipeline, KMS (provenance) and
   * EventBridge (promotion events). The Lambda client of the CLI's status and verify (1 600
   * classes, 2.6 MB) stays out because nothing the function reaches names it.
   */
  @Test
  void shadedJar_carriesOnlyTheServiceClientsTheFunctionBuilds() throws Exception {
    try (JarFile jar = new JarFile(lambdaJar().toFile())) {
      assertThat(
              jar.stream()
                  .map(e -> e.getName())
                  .filter(n -> n.matches("software/amazon/awssdk/services/[^/]+/.+"))
                  .map(n -> n.split("/")[4])
                  .distinct())
          .containsExactlyInAnyOrder("s3", "sts", "codepipeline", "kms", "eventbridge");
    }
  }

  @Test
  void shadedJar_promotesAndRefusesThroughItsHandler() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "orders-api.zip", 80_000, 41);
    String revision = LocalAccounts.revision(41);
    accounts.publish("orders-api", "dev", pkg, new BuildInfo(revision, "main", null, "m", null));

    try (URLClassLoader runtime =
        new URLClassLoader(
            new URL[] {lambdaJar().toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> handlerClass = runtime.loadClass("org.artifactpromoter.lambda.PromoteHandler");
      assertThat(handlerClass.getClassLoader()).isSameAs(runtime);
      Object handler = newHandler(runtime, handlerClass, accounts.configJson(null));
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

  /**
   * Every SDK class the package keeps links and initialises on its own: a class left in the jar
   * that needs one minimizeJar left out would fail here. Only the adapters to the AWS CRT library
   * (not a dependency: the function uses the URL connection HTTP client) may fail, and only for
   * want of that library.
   */
  @Test
  void shadedJar_linksEverySdkClassItKeeps() throws Exception {
    Map<String, String> failures = new TreeMap<>();
    int linked = 0;
    try (JarFile jar = new JarFile(lambdaJar().toFile());
        URLClassLoader runtime =
            new URLClassLoader(
                new URL[] {lambdaJar().toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (name.startsWith("software/amazon/") && name.endsWith(".class")) {
          String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
          try {
            Class.forName(className, true, runtime);
            linked++;
          } catch (LinkageError e) {
            failures.put(className, e.toString());
          }
        }
      }
    }
    assertThat(linked).isGreaterThan(5_000);
    assertThat(failures)
        .allSatisfy(
            (className, error) ->
                assertThat(error)
                    .startsWith("java.lang.NoClassDefFoundError: software/amazon/awssdk/crt/"));
  }

  /**
   * minimizeJar keeps what the handler's bytecode reaches; a class that the SDK, Jackson or the
   * Lambda runtime only names in a string and loads by name (a credentials provider factory, an
   * optional serializer) is invisible to it. So: every class that a kept class names in a string
   * literal, or a kept service or native-image file names, must be in the package whenever its
   * library is one the package ships (its Maven metadata is in the jar, even if minimizeJar kept
   * none of its classes); a library the function does not depend on, such as the AWS CRT, is fine
   * to miss. After a dependency upgrade this names each new one, and the library to keep whole.
   */
  @Test
  void shadedJar_keepsEveryClassItsLibrariesLoadByName() throws Exception {
    ClassLoader testClasspath = DeploymentPackageIT.class.getClassLoader();
    Set<String> kept = new HashSet<>();
    Map<String, Set<String>> namedBy = new TreeMap<>();
    try (JarFile jar = new JarFile(lambdaJar().toFile())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        kept.add(entry.getName());
      }
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        List<String> strings;
        if (name.endsWith(".class")) {
          try (InputStream in = jar.getInputStream(entry)) {
            strings = stringLiterals(in.readAllBytes());
          }
        } else if (name.startsWith("META-INF/services/")
            || (name.startsWith("META-INF/native-image/")
                && name.endsWith("reflect-config.json"))) {
          try (InputStream in = jar.getInputStream(entry)) {
            strings = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
        } else {
          continue;
        }
        for (String text : strings) {
          Matcher className = CLASS_NAME.matcher(text);
          while (className.find()) {
            String classFile = className.group().replace('.', '/') + ".class";
            if (!kept.contains(classFile)) {
              namedBy.computeIfAbsent(classFile, k -> new TreeSet<>()).add(name);
            }
          }
        }
      }
    }
    Map<String, Set<String>> dropped = new TreeMap<>();
    namedBy.forEach(
        (classFile, namers) -> {
          Optional<String> library = mavenMetadataOf(testClasspath, classFile);
          if (library.isPresent() && kept.contains(library.get())) {
            String pomProperties = library.get();
            String[] coordinates = pomProperties.split("/");
            dropped.put(
                coordinates[2]
                    + ":"
                    + coordinates[3]
                    + " "
                    + classFile
                        .substring(0, classFile.length() - ".class".length())
                        .replace('/', '.'),
                namers);
          }
        });
    assertThat(dropped)
        .as(
            "classes loaded by name that minimizeJar left out (library class: who names it); keep"
                + " each such library whole with a <filter> in functions/promote-lambda/pom.xml")
        .isEmpty();
  }

  /** A dotted binary class name: lower-case package segments, then an upper-case class name. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*");

  /**
   * The pom.properties path of the library on the test's classpath that holds {@code classFile}
   * (the function's libraries are on it in the same versions, through promoter-cli); empty for a
   * class no library there holds.
   */
  private static Optional<String> mavenMetadataOf(ClassLoader classpath, String classFile) {
    URL url = classpath.getResource(classFile);
    if (url == null || !"jar".equals(url.getProtocol())) {
      return Optional.empty();
    }
    String spec = url.toString();
    Path library = Path.of(URI.create(spec.substring("jar:".length(), spec.indexOf("!/"))));
    try (JarFile jar = new JarFile(library.toFile())) {
      return jar.stream()
          .map(JarEntry::getName)
          .filter(n -> n.startsWith("META-INF/maven/") && n.endsWith("/pom.properties"))
          .findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The values of a class file's CONSTANT_String entries: what its code passes as strings. */
  private static List<String> stringLiterals(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    in.skipBytes(8); // magic, minor and major version
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    List<Integer> stringIndexes = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 8 -> stringIndexes.add(in.readUnsignedShort());
        case 7, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // longs and doubles take two entries
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    List<String> strings = new ArrayList<>();
    for (int index : stringIndexes) {
      strings.add(utf8[index]);
    }
    return strings;
  }

  @Test
  void shadedJar_copiesAboveTheThresholdInParts() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "big.zip", 12 * 1024 * 1024 + 123, 42);
    String revision = LocalAccounts.revision(42);
    accounts.publish("big-fn", "dev", pkg, new BuildInfo(revision, "main", null, "m", null));

    JsonNode result =
        promoteThroughTheJar(
            "{\"multipartThresholdBytes\": 5242880, \"partSizeBytes\": 5242880}", "big-fn");

    assertThat(result.get("status").asText()).isEqualTo("PROMOTED");
    assertHolds("big-fn", pkg);
    assertThat(
            accounts
                .admin("stage")
                .headObject(
                    b ->
                        b.bucket(LocalAccounts.bucket("stage"))
                            .key(ArtifactLayout.releaseKey("big-fn", revision)))
                .eTag())
        .as("a multipart object's ETag")
        .contains("-");
  }

  @Test
  void shadedJar_copiesThroughTheFunctionInStreamedMode() throws Exception {
    Path small = LocalAccounts.packageFile(dir, "small.zip", 700_000, 43);
    Path big = LocalAccounts.packageFile(dir, "big.zip", 11 * 1024 * 1024, 44);
    accounts.publish(
        "small-fn",
        "dev",
        small,
        new BuildInfo(LocalAccounts.revision(43), "main", null, "m", null));
    accounts.publish(
        "big-fn", "dev", big, new BuildInfo(LocalAccounts.revision(44), "main", null, "m", null));

    assertThat(promoteThroughTheJar("{\"mode\":\"streamed\"}", "small-fn").get("status").asText())
        .isEqualTo("PROMOTED");
    assertHolds("small-fn", small);
    assertThat(
            promoteThroughTheJar(
                    "{\"mode\":\"streamed\",\"multipartThresholdBytes\":5242880,"
                        + "\"partSizeBytes\":5242880}",
                    "big-fn")
                .get("status")
                .asText())
        .isEqualTo("PROMOTED");
    assertHolds("big-fn", big);
  }

  /**
   * A CodePipeline job end to end through the jar's own handler, built as the runtime builds it
   * from the configuration; the SDK's service-specific endpoint setting points its CodePipeline
   * clients at the local job API.
   */
  @Test
  void shadedJar_runsACodePipelineJobAndReportsItsSuccess() throws Exception {
    Path pkg = LocalAccounts.packageFile(dir, "orders-api.zip", 200_000, 1);
    String revision = LocalAccounts.revision(1);
    accounts.publish("orders-api", "dev", pkg, new BuildInfo(revision, "main", null, "m", null));
    String event;
    try (InputStream in =
        DeploymentPackageIT.class.getResourceAsStream("/events/job-dev-to-stage.json")) {
      event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    try (CodePipelineStub jobApi = CodePipelineStub.start()) {
      System.setProperty("aws.endpointUrlCodePipeline", jobApi.endpoint().toString());
      try (ShadedHandler jar = new ShadedHandler(accounts.configJson(null))) {
        jar.invoke(event, true);
      } finally {
        System.clearProperty("aws.endpointUrlCodePipeline");
      }

      List<CodePipelineStub.Call> results = jobApi.results();
      assertThat(results).hasSize(1);
      CodePipelineStub.Call result = results.get(0);
      assertThat(result.operation()).isEqualTo("PutJobSuccessResult");
      assertThat(result.status()).isEqualTo(200);
      assertThat(result.body().path("jobId").asText())
          .isEqualTo("5f0e4c1a-7b2d-4e3f-9a8b-1c2d3e4f5a6b");
      JsonNode variables = result.body().path("outputVariables");
      assertThat(variables.path("status").asText()).isEqualTo("PROMOTED");
      assertThat(variables.path("revision").asText()).isEqualTo(revision);
      assertThat(variables.path("sha256").asText()).isEqualTo(Sha256.hexOf(pkg));
      assertThat(result.body().path("executionDetails").path("summary").asText())
          .contains("Approved by " + CodePipelineStub.APPROVER);
      // Reported through the dev promotion role's session (STS through the jar), not the
      // function's own credentials.
      assertThat(jobApi.signingAccessKeys())
          .isNotEmpty()
          .doesNotContain(System.getProperty("aws.accessKeyId"));
    }
    assertHolds("orders-api", pkg);
  }

  private JsonNode promoteThroughTheJar(String copySettings, String function) throws Exception {
    try (ShadedHandler jar = new ShadedHandler(accounts.configJson(copySettings))) {
      return Json.MAPPER.readTree(
          jar.invoke(WithLocalAccounts.request(function, "dev", "stage", null), false));
    }
  }

  private void assertHolds(String function, Path pkg) throws Exception {
    String bucket = LocalAccounts.bucket("stage");
    assertThat(
            accounts
                .admin("stage")
                .getObjectAsBytes(b -> b.bucket(bucket).key(ArtifactLayout.dropKey(function)))
                .asByteArray())
        .isEqualTo(Files.readAllBytes(pkg));
    assertThat(accounts.admin("stage").listMultipartUploads(b -> b.bucket(bucket)).uploads())
        .isEmpty();
  }

  /**
   * The handler as the runtime's constructor builds it, from {@code configJson} instead of
   * PROMOTION_CONFIG: the jar's own {@code PromoteFunction.forRuntime}, passed to the handler.
   */
  private static Object newHandler(ClassLoader runtime, Class<?> handlerClass, String configJson)
      throws Exception {
    Class<?> functionClass = runtime.loadClass("org.artifactpromoter.function.PromoteFunction");
    Object function = functionClass.getMethod("forRuntime", String.class).invoke(null, configJson);
    return handlerClass.getConstructor(functionClass).newInstance(function);
  }

  /** The jar's handler, built from a configuration in a class loader of its own. */
  private static final class ShadedHandler implements AutoCloseable {
    private final URLClassLoader runtime;
    private final Object handler;
    private final Method handle;
    private final Class<?> contextType;

    ShadedHandler(String configJson) throws Exception {
      runtime =
          new URLClassLoader(
              new URL[] {lambdaJar().toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      Class<?> handlerClass = runtime.loadClass("org.artifactpromoter.lambda.PromoteHandler");
      assertThat(handlerClass.getClassLoader()).isSameAs(runtime);
      contextType = runtime.loadClass("com.amazonaws.services.lambda.runtime.Context");
      handler = newHandler(runtime, handlerClass, configJson);
      handle =
          handlerClass.getMethod(
              "handleRequest", InputStream.class, OutputStream.class, contextType);
    }

    /** Invokes the handler; its output. With {@code withContext}, a context with ample time. */
    String invoke(String event, boolean withContext) throws Exception {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handle.invoke(
          handler,
          new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
          out,
          withContext ? context() : null);
      return out.toString(StandardCharsets.UTF_8);
    }

    private Object context() {
      return Proxy.newProxyInstance(
          runtime,
          new Class<?>[] {contextType},
          (proxy, method, args) ->
              switch (method.getName()) {
                case "getRemainingTimeInMillis" -> 600_000;
                case "getMemoryLimitInMB" -> 1024;
                case "getAwsRequestId" -> "it-request";
                case "getFunctionName" -> "artifact-promoter";
                case "getInvokedFunctionArn" ->
                    "arn:aws:lambda:us-east-1:111111111111:function:artifact-promoter";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "context of DeploymentPackageIT";
                default -> null;
              });
    }

    @Override
    public void close() throws Exception {
      runtime.close();
    }
  }
}
