package org.artifactpromoter.it.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.LoggedResponse;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WireMock server on loopback in proxy mode between the code under test and moto: every S3 and
 * STS request the promoter makes passes through it, is recorded (what AWS would have seen, signed
 * headers included) and can be answered with a fault instead (a 503, a reset connection, an expired
 * token) for a number of times or for ever. Test fixtures keep talking to moto directly, so the
 * record holds only the promoter's own calls.
 */
public final class AwsProxy implements AutoCloseable {
  private static final int PASS_THROUGH = 100;
  private static final Pattern CREDENTIAL =
      Pattern.compile("Credential=([^/,]+)/[^/]+/[^/]+/([^/]+)/");
  private static final AtomicInteger SCENARIOS = new AtomicInteger();

  private final WireMockServer server;
  private final URI target;

  private AwsProxy(WireMockServer server, URI target) {
    this.server = server;
    this.target = target;
  }

  /** Starts a proxy to {@code moto} on a free loopback port. */
  public static AwsProxy start(MotoServer moto) {
    // The SDK signs the Host header it sent; moto must see that one, not its own.
    WireMockServer server =
        new WireMockServer(
            options().bindAddress("127.0.0.1").dynamicPort().preserveHostHeader(true));
    server.start();
    AwsProxy proxy = new AwsProxy(server, moto.endpoint());
    proxy.reset();
    return proxy;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /**
   * Points the SDK's standard endpoint setting of this JVM at the proxy: clients the code under
   * test builds from now on go through it (call after {@link LocalAccounts} set moto's).
   */
  public void routeCodeUnderTest() {
    System.setProperty("aws.endpointUrl", endpoint().toString());
  }

  /** Forgets recorded calls and faults: every request passes through to moto again. */
  public void reset() {
    server.resetAll();
    server.stubFor(
        any(anyUrl())
            .atPriority(PASS_THROUGH)
            .willReturn(aResponse().proxiedFrom(target.toString())));
  }

  // ------------------------------------------------------------------ faults

  /** S3 CopyObject (not a part copy). */
  public static MappingBuilder copyObject() {
    return put(anyUrl())
        .withHeader("x-amz-copy-source", matching(".+"))
        .withQueryParam("partNumber", absent());
  }

  /** S3 UploadPartCopy of part {@code partNumber}, or of any part when null. */
  public static MappingBuilder uploadPartCopy(Integer partNumber) {
    return put(anyUrl())
        .withHeader("x-amz-copy-source", matching(".+"))
        .withQueryParam(
            "partNumber", partNumber == null ? matching("\\d+") : matching(partNumber.toString()));
  }

  /** STS AssumeRole (moto serves STS's query protocol at its root). */
  public static MappingBuilder assumeRole() {
    return post(anyUrl()).withRequestBody(containing("Action=AssumeRole"));
  }

  /** The operation name {@link #calls(String)} gives EventBridge PutEvents (its X-Amz-Target). */
  public static final String PUT_EVENTS = "AWSEvents.PutEvents";

  /** EventBridge PutEvents (JSON protocol: the operation is in the X-Amz-Target header). */
  public static MappingBuilder putEvents() {
    return post(anyUrl()).withHeader("X-Amz-Target", equalTo(PUT_EVENTS));
  }

  /** An error as a JSON-protocol service (EventBridge) sends it. */
  public static ResponseDefinitionBuilder jsonError(int status, String type) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/x-amz-json-1.1")
        .withBody("{\"__type\":\"" + type + "\",\"message\":\"injected by the test\"}");
  }

  /** Any request signed with access key {@code accessKeyId}. */
  public static MappingBuilder signedWith(String accessKeyId) {
    return any(anyUrl()).withHeader("Authorization", containing("Credential=" + accessKeyId + "/"));
  }

  /** Answers requests matching {@code request} with {@code fault} for ever. */
  public void failAlways(MappingBuilder request, ResponseDefinitionBuilder fault) {
    server.stubFor(request.atPriority(1).willReturn(fault));
  }

  /**
   * Answers the first {@code times} requests matching {@code request} with {@code fault}; later
   * ones pass through to moto.
   */
  public void failTimes(MappingBuilder request, int times, ResponseDefinitionBuilder fault) {
    String scenario = "fault-" + SCENARIOS.incrementAndGet();
    for (int i = 0; i < times; i++) {
      // The builder is mutable and keeps its id: each state gets a new id.
      server.stubFor(
          request
              .withId(UUID.randomUUID())
              .atPriority(1)
              .inScenario(scenario)
              .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "after-" + i)
              .willSetStateTo("after-" + (i + 1))
              .willReturn(fault));
    }
  }

  /** A throttling or server error as S3 sends it (XML body, its code and message). */
  public static ResponseDefinitionBuilder s3Error(int status, String code) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/xml")
        .withBody(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                + code
                + "</Code><Message>injected "
                + code
                + "</Message><RequestId>FAULT</RequestId></Error>");
  }

  /** An error as STS (query protocol) sends it. */
  public static ResponseDefinitionBuilder stsError(int status, String code) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "text/xml")
        .withBody(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                + "<Type>Sender</Type><Code>"
                + code
                + "</Code><Message>injected "
                + code
                + "</Message></Error><RequestId>FAULT</RequestId></ErrorResponse>");
  }

  // ------------------------------------------------------------------ what was received

  /** One request the proxy received: what AWS would have seen, and how it was answered. */
  public record Call(
      String service,
      String operation,
      String method,
      String url,
      String accessKeyId,
      Map<String, String> headers,
      String body,
      int status,
      String responseBody) {

    /** An S3 call that changes state (object versions, uploads, tags). */
    public boolean s3Write() {
      return "s3".equals(service) && !method.equals("GET") && !method.equals("HEAD");
    }

    /** The form parameters of a query-protocol call (STS). */
    public Map<String, String> form() {
      Map<String, String> params = new LinkedHashMap<>();
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      return params;
    }
  }

  /** Every request received, in the order it arrived. */
  public List<Call> calls() {
    List<Call> calls = new ArrayList<>();
    for (ServeEvent event : server.getAllServeEvents()) {
      calls.add(0, call(event));
    }
    return calls;
  }

  /** The AssumeRole calls received, in order. */
  public List<Call> assumeRoleCalls() {
    return calls().stream().filter(c -> c.operation().equals("AssumeRole")).toList();
  }

  /**
   * The secret access keys and session tokens of every session STS handed out through the proxy:
   * what must never appear in a log line, a message or a result.
   */
  public List<String> issuedSecrets() {
    List<String> secrets = new ArrayList<>();
    Pattern secret = Pattern.compile("<(SecretAccessKey|SessionToken)>([^<]+)</");
    for (Call call : assumeRoleCalls()) {
      Matcher m = secret.matcher(call.responseBody());
      while (m.find()) {
        secrets.add(m.group(2));
      }
    }
    return secrets;
  }

  /** The S3 calls received that change state. */
  public List<Call> s3Writes() {
    return calls().stream().filter(Call::s3Write).toList();
  }

  /** Calls of {@code operation} (for example {@code "CopyObject"}), in order. */
  public List<Call> calls(String operation) {
    return calls().stream().filter(c -> c.operation().equals(operation)).toList();
  }

  private static Call call(ServeEvent event) {
    LoggedRequest request = event.getRequest();
    LoggedResponse response = event.getResponse();
    Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    request.getHeaders().all().forEach(h -> headers.put(h.key(), String.join(",", h.values())));
    String authorization = request.getHeader("Authorization");
    Matcher credential = CREDENTIAL.matcher(authorization == null ? "" : authorization);
    String accessKeyId = credential.find() ? credential.group(1) : null;
    String service = accessKeyId == null ? "unsigned" : credential.group(2);
    String body = request.getBodyAsString();
    return new Call(
        service,
        operation(service, request, body),
        request.getMethod().value(),
        request.getUrl(),
        accessKeyId,
        headers,
        body,
        response == null ? 0 : response.getStatus(),
        response == null ? "" : response.getBodyAsString());
  }

  private static String operation(String service, LoggedRequest request, String body) {
    if (!"s3".equals(service)) {
      Matcher action = Pattern.compile("(?:^|&)Action=([A-Za-z]+)").matcher(body);
      String target = request.getHeader("X-Amz-Target");
      return action.find() ? action.group(1) : target != null ? target : service;
    }
    String url = request.getUrl();
    String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : "";
    boolean copy = request.containsHeader("x-amz-copy-source");
    boolean part = hasParam(query, "partNumber");
    boolean upload = hasParam(query, "uploadId");
    return switch (request.getMethod().value()) {
      case "PUT" ->
          copy && part
              ? "UploadPartCopy"
              : part
                  ? "UploadPart"
                  : copy
                      ? "CopyObject"
                      : hasParam(query, "tagging") ? "PutObjectTagging" : "PutObject";
      case "POST" ->
          hasParam(query, "uploads")
              ? "CreateMultipartUpload"
              : upload ? "CompleteMultipartUpload" : "S3Post";
      case "DELETE" -> upload ? "AbortMultipartUpload" : "DeleteObject";
      case "HEAD" -> "HeadObject";
      case "GET" ->
          hasParam(query, "versions")
              ? "ListObjectVersions"
              : hasParam(query, "tagging")
                  ? "GetObjectTagging"
                  : upload
                      ? "ListParts"
                      : hasParam(query, "uploads") ? "ListMultipartUploads" : "GetObject";
      default -> "S3" + request.getMethod().value();
    };
  }

  private static boolean hasParam(String query, String name) {
    for (String pair : query.split("&")) {
      if (pair.equals(name) || pair.startsWith(name + "=")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    server.stop();
  }
}
