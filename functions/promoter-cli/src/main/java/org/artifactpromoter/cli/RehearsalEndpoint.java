package org.artifactpromoter.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throwaway STS and S3 endpoint on loopback, in this process, that answers exactly the calls a
 * server-side promotion makes (AssumeRole, HeadObject, CopyObject with If-None-Match,
 * ListObjectVersions, DeleteObject of a version) with versioned in-memory buckets. It exists so
 * that {@code artifact-promoter warm-up} can run a real promotion, through the real SDK clients,
 * signing, HTTP client and XML parsing, without credentials and without reaching AWS: the
 * class-data archive recorded from that run holds what a promotion loads. EventBridge PutEvents
 * (the promotion's announcement) is accepted too. It is not an S3 emulator: anything else is
 * answered 501 so a promotion that starts to need more fails loudly.
 */
final class RehearsalEndpoint implements AutoCloseable {
  private static final String S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";

  /** One stored version of a key; newest last in {@link #objects}. */
  record Version(
      String versionId,
      long size,
      String eTag,
      String sha256Base64,
      Map<String, String> metadata,
      Instant lastModified) {}

  private final HttpServer server;
  private final Map<String, List<Version>> objects = new HashMap<>();
  private final AtomicLong versions = new AtomicLong();

  RehearsalEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Stores a version as a publish would have, with our metadata; returns its version id. */
  synchronized String put(
      String bucket, String key, long size, String sha256Base64, Map<String, String> metadata) {
    Version version =
        new Version(
            nextVersionId(),
            size,
            "\"" + Long.toHexString(size) + "0rehearsal\"",
            sha256Base64,
            Map.copyOf(metadata),
            Instant.now().truncatedTo(ChronoUnit.SECONDS));
    objects.computeIfAbsent(bucket + "/" + key, k -> new ArrayList<>()).add(version);
    return version.versionId();
  }

  private String nextVersionId() {
    return "rehearsal-" + versions.incrementAndGet();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (method.equals("POST") && "AWSEvents.PutEvents".equals(target)) {
        // The promotion's announcement: accepted, so the rehearsal loads the publishing path
        // without waiting out its retries.
        exchange.getRequestBody().readAllBytes();
        byte[] body =
            "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"rehearsal\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
        return;
      }
      if (method.equals("POST") && path.equals("/")) {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (query(form).getOrDefault("Action", "").equals("AssumeRole")) {
          send(exchange, 200, assumeRole(query(form)));
        } else {
          error(exchange, 501, "NotImplemented", "only AssumeRole is rehearsed");
        }
        return;
      }
      String[] parts = path.substring(1).split("/", 2);
      String bucket = decode(parts[0]);
      String key = parts.length > 1 ? decode(parts[1]) : "";
      synchronized (this) {
        if (method.equals("HEAD") && !key.isEmpty()) {
          head(exchange, bucket, key, query.get("versionId"));
        } else if (method.equals("GET") && key.isEmpty() && query.containsKey("versions")) {
          send(exchange, 200, listVersions(bucket, query.getOrDefault("prefix", "")));
        } else if (method.equals("PUT")
            && exchange.getRequestHeaders().containsKey("x-amz-copy-source")) {
          copy(exchange, bucket, key);
        } else if (method.equals("DELETE") && query.containsKey("versionId")) {
          List<Version> stored = objects.getOrDefault(bucket + "/" + key, List.of());
          stored.removeIf(v -> v.versionId().equals(query.get("versionId")));
          exchange.getResponseHeaders().set("x-amz-version-id", query.get("versionId"));
          exchange.sendResponseHeaders(204, -1);
        } else {
          error(exchange, 501, "NotImplemented", method + " " + path + " is not rehearsed");
        }
      }
    }
  }

  private static String assumeRole(Map<String, String> form) {
    String session = form.getOrDefault("RoleSessionName", "warm-up");
    String expiration =
        Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    return "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        + "<AssumeRoleResult><Credentials>"
        + "<AccessKeyId>ASIAREHEARSAL0000000</AccessKeyId>"
        + "<SecretAccessKey>rehearsal-not-a-secret</SecretAccessKey>"
        + "<SessionToken>rehearsal-session</SessionToken>"
        + "<Expiration>"
        + expiration
        + "</Expiration></Credentials>"
        + "<AssumedRoleUser><AssumedRoleId>AROAREHEARSAL:"
        + xml(session)
        + "</AssumedRoleId><Arn>"
        + xml(form.getOrDefault("RoleArn", "arn:aws:iam::000000000000:role/rehearsal"))
        + "</Arn></AssumedRoleUser></AssumeRoleResult>"
        + "<ResponseMetadata><RequestId>rehearsal</RequestId></ResponseMetadata>"
        + "</AssumeRoleResponse>";
  }

  private void head(HttpExchange exchange, String bucket, String key, String versionId)
      throws IOException {
    Version version = find(bucket, key, versionId);
    if (version == null) {
      exchange.sendResponseHeaders(404, -1);
      return;
    }
    var headers = exchange.getResponseHeaders();
    // HEAD has no body: the length is a header we set ourselves (the server would not).
    headers.set("Content-Length", Long.toString(version.size()));
    headers.set("Content-Type", "application/zip");
    headers.set("ETag", version.eTag());
    headers.set("Last-Modified", rfc1123(version.lastModified()));
    headers.set("x-amz-version-id", version.versionId());
    headers.set("x-amz-checksum-sha256", version.sha256Base64());
    version.metadata().forEach((name, value) -> headers.set("x-amz-meta-" + name, value));
    exchange.sendResponseHeaders(200, -1);
  }

  private Version find(String bucket, String key, String versionId) {
    List<Version> stored = objects.getOrDefault(bucket + "/" + key, List.of());
    if (versionId == null) {
      return stored.isEmpty() ? null : stored.get(stored.size() - 1);
    }
    return stored.stream().filter(v -> v.versionId().equals(versionId)).findFirst().orElse(null);
  }

  private String listVersions(String bucket, String prefix) {
    StringBuilder body =
        new StringBuilder("<ListVersionsResult xmlns=\"" + S3_NS + "\"><Name>")
            .append(xml(bucket))
            .append("</Name><Prefix>")
            .append(xml(prefix))
            .append("</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>");
    objects.entrySet().stream()
        .filter(e -> e.getKey().startsWith(bucket + "/" + prefix))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              List<Version> stored = e.getValue();
              for (int i = stored.size() - 1; i >= 0; i--) {
                Version v = stored.get(i);
                body.append("<Version><Key>")
                    .append(xml(e.getKey().substring(bucket.length() + 1)))
                    .append("</Key><VersionId>")
                    .append(v.versionId())
                    .append("</VersionId><IsLatest>")
                    .append(i == stored.size() - 1)
                    .append("</IsLatest><LastModified>")
                    .append(v.lastModified())
                    .append("</LastModified><ETag>")
                    .append(xml(v.eTag()))
                    .append("</ETag><Size>")
                    .append(v.size())
                    .append("</Size><StorageClass>STANDARD</StorageClass></Version>");
              }
            });
    return body.append("</ListVersionsResult>").toString();
  }

  private void copy(HttpExchange exchange, String bucket, String key) throws IOException {
    var request = exchange.getRequestHeaders();
    String copySource = decode(request.getFirst("x-amz-copy-source"));
    String sourceVersion = null;
    int question = copySource.indexOf("?versionId=");
    if (question >= 0) {
      sourceVersion = copySource.substring(question + "?versionId=".length());
      copySource = copySource.substring(0, question);
    }
    copySource = copySource.startsWith("/") ? copySource.substring(1) : copySource;
    String[] source = copySource.split("/", 2);
    Version from = source.length == 2 ? find(source[0], source[1], sourceVersion) : null;
    if (from == null) {
      error(exchange, 404, "NoSuchKey", "no such copy source " + copySource);
      return;
    }
    if ("*".equals(request.getFirst("If-None-Match")) && find(bucket, key, null) != null) {
      error(exchange, 412, "PreconditionFailed", "At least one of the preconditions failed");
      return;
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    request.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (lower.startsWith("x-amz-meta-")) {
            metadata.put(lower.substring("x-amz-meta-".length()), values.get(0));
          }
        });
    String versionId = put(bucket, key, from.size(), from.sha256Base64(), metadata);
    Version written = find(bucket, key, versionId);
    exchange.getResponseHeaders().set("x-amz-version-id", versionId);
    if (from.versionId() != null) {
      exchange.getResponseHeaders().set("x-amz-copy-source-version-id", from.versionId());
    }
    send(
        exchange,
        200,
        "<CopyObjectResult xmlns=\""
            + S3_NS
            + "\"><ETag>"
            + xml(written.eTag())
            + "</ETag><LastModified>"
            + written.lastModified()
            + "</LastModified><ChecksumSHA256>"
            + written.sha256Base64()
            + "</ChecksumSHA256></CopyObjectResult>");
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    send(
        exchange,
        status,
        "<Error><Code>" + code + "</Code><Message>" + xml(message) + "</Message></Error>");
  }

  private static void send(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/xml");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      query.put(
          decode(equals < 0 ? pair : pair.substring(0, equals)),
          equals < 0 ? "" : decode(pair.substring(equals + 1)));
    }
    return query;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String rfc1123(Instant instant) {
    return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        instant.atZone(java.time.ZoneOffset.UTC));
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
