package org.artifactpromoter.it.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Renders the IAM policy templates under {@code pipeline-terraform} the way Terraform's {@code
 * templatefile()} does, for the restricted syntax the project allows: {@code ${name}}
 * placeholders, and the escapes {@code $${} and {@code %%{}. Anything else a template language
 * could do is refused, so a template that renders here renders identically in Terraform.
 *
 * <p>Stricter than Terraform on purpose: a variable the template does not use is an error too,
 * because it means Terraform and the tests drifted apart.
 */
public final class PolicyTemplate {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private PolicyTemplate() {}

  /**
   * Renders {@code template} with {@code vars}.
   *
   * @throws IllegalArgumentException when the template has a {@code %{...}} directive, a
   *     placeholder that is not a plain name, a placeholder without a value, or when a value has no
   *     placeholder
   */
  public static String render(Path template, Map<String, String> vars) {
    String text;
    try {
      text = Files.readString(template, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return render(template.toString(), text, vars);
  }

  static String render(String origin, String text, Map<String, String> vars) {
    StringBuilder out = new StringBuilder(text.length());
    Set<String> used = new TreeSet<>();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (text.startsWith("%%{", i)) {
        out.append("%{");
        i += 3;
      } else if (text.startsWith("%{", i)) {
        throw new IllegalArgumentException(
            origin
                + ":"
                + line(text, i)
                + ": template directives (%{...}) are not allowed; render lists in Terraform"
                + " with jsonencode() and pass them as a ${name_json} placeholder");
      } else if (text.startsWith("${", i)) {
        int end = text.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException(
              origin + ":" + line(text, i) + ": unterminated placeholder");
        }
        String name = text.substring(i + 2, end);
        if (!NAME.matcher(name).matches()) {
          throw new IllegalArgumentException(
              origin
                  + ":"
                  + line(text, i)
                  + ": only ${name} placeholders are allowed, found ${"
                  + name
                  + "}");
        }
        if (!vars.containsKey(name) || vars.get(name) == null) {
          throw new IllegalArgumentException(
              origin
                  + ":"
                  + line(text, i)
                  + ": placeholder ${"
                  + name
                  + "} has no value; given: "
                  + new TreeSet<>(vars.keySet()));
        }
        out.append(vars.get(name));
        used.add(name);
        i = end + 1;
      } else {
        out.append(text.charAt(i));
        i++;
      }
    }
    Set<String> unused = new TreeSet<>(vars.keySet());
    unused.removeAll(used);
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException(
          origin + ": no placeholder for the given variable(s) " + unused);
    }
    return out.toString();
  }

  /** The placeholder names a template uses, in order of first appearance. */
  static Set<String> placeholders(Path template) throws IOException {
    String text = Files.readString(template, StandardCharsets.UTF_8);
    Set<String> names = new java.util.LinkedHashSet<>();
    var matcher = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(text);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  private static int line(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
