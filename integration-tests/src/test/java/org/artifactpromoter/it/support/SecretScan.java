package org.artifactpromoter.it.support;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Secrets on one side, everything the code under test said on the other (log lines, results,
 * exception texts, requests it sent to a stand-in): {@link #leaks()} names each secret found in
 * each text. Failure reports name the secret and the text, and show only the secret's first
 * characters, so a failing build does not print it either.
 */
public final class SecretScan {
  /** The header an SDK request carries a session token in; it has no business in any output. */
  public static final String SECURITY_TOKEN_HEADER = "X-Amz-Security-Token";

  private final Map<String, String> secrets = new LinkedHashMap<>();
  private final Map<String, String> texts = new LinkedHashMap<>();

  /** A secret to look for; {@code what} says where it came from. Blank values are refused. */
  public SecretScan secret(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("no value for secret " + what);
    }
    secrets.putIfAbsent(value, what);
    return this;
  }

  /** Every SecretAccessKey and SessionToken STS handed out in these AssumeRole responses. */
  public SecretScan assumedRoleSecrets(List<AwsProxy.Call> assumeRoleCalls) {
    for (AwsProxy.Call call : assumeRoleCalls) {
      Map<String, String> credentials = credentialsOf(call.responseBody());
      credentials.forEach(
          (element, value) ->
              secret(element + " of AssumeRole " + call.form().get("RoleSessionName"), value));
    }
    return this;
  }

  /** A text the code under test produced; {@code where} names it in failure reports. */
  public SecretScan text(String where, String text) {
    texts.merge(where, text == null ? "" : text, (a, b) -> a + "\n" + b);
    return this;
  }

  /** An exception as a log line or a crash report would show it: causes and suppressed too. */
  public SecretScan exception(String where, Throwable thrown) {
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    return text(where, thrown + "\n" + trace);
  }

  public int secretCount() {
    return secrets.size();
  }

  public int textCount() {
    return texts.size();
  }

  /** One line per (secret, text) pair where the text contains the secret. */
  public List<String> leaks() {
    List<String> leaks = new ArrayList<>();
    texts.forEach(
        (where, text) -> {
          secrets.forEach(
              (value, what) -> {
                if (text.contains(value)) {
                  leaks.add(what + " (" + masked(value) + ") appears in " + where);
                }
              });
          if (text.toLowerCase(Locale.ROOT)
              .contains(SECURITY_TOKEN_HEADER.toLowerCase(Locale.ROOT))) {
            leaks.add(SECURITY_TOKEN_HEADER + " appears in " + where);
          }
        });
    return leaks;
  }

  private static String masked(String value) {
    return value.substring(0, Math.min(4, value.length())) + "…(" + value.length() + " chars)";
  }

  /** SecretAccessKey and SessionToken of an STS AssumeRole response (empty for an error). */
  static Map<String, String> credentialsOf(String responseXml) {
    Map<String, String> found = new LinkedHashMap<>();
    if (responseXml == null || responseXml.isBlank()) {
      return found;
    }
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc =
          factory
              .newDocumentBuilder()
              .parse(new ByteArrayInputStream(responseXml.getBytes(StandardCharsets.UTF_8)));
      for (String element : List.of("SecretAccessKey", "SessionToken")) {
        NodeList nodes = doc.getElementsByTagNameNS("*", element);
        for (int i = 0; i < nodes.getLength(); i++) {
          String value = nodes.item(i).getTextContent().strip();
          if (!value.isEmpty()) {
            found.put(element, value);
          }
        }
      }
      return found;
    } catch (Exception e) {
      throw new IllegalStateException("AssumeRole response is not XML: " + responseXml, e);
    }
  }
}
