package org.artifactpromoter.it.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Inputs and Outputs tables of a module's README, in the layout terraform-docs gives
 * terraform-aws-modules, rendered from variables.tf and outputs.tf. They sit between {@link #BEGIN}
 * and {@link #END}; {@link ModuleReadmeTest} fails while a README's tables differ from what this
 * renders, and rewrites them when run with {@code -Dmodule.docs.write=true}.
 */
final class ModuleDocs {

  static final String BEGIN = "<!-- BEGIN_TF_DOCS -->";
  static final String END = "<!-- END_TF_DOCS -->";

  private ModuleDocs() {}

  /** The generated block, markers included. */
  static String render(Path moduleDir) {
    TerraformModule module = TerraformModule.read(moduleDir);
    StringBuilder out = new StringBuilder(BEGIN).append("\n## Inputs\n\n");
    out.append("| Name | Description | Type | Default | Required |\n");
    out.append("|------|-------------|------|---------|:--------:|\n");
    for (Map.Entry<String, Map<String, String>> variable : module.declared("variable").entrySet()) {
      Map<String, String> attributes = variable.getValue();
      String defaultValue = attributes.get("default");
      out.append("| ")
          .append(variable.getKey())
          .append(" | ")
          .append(cell(description(attributes)))
          .append(" | ")
          .append(code(attributes.get("type")))
          .append(" | ")
          .append(defaultValue == null ? "n/a" : code(defaultValue))
          .append(" | ")
          .append(defaultValue == null ? "yes" : "no")
          .append(" |\n");
    }
    out.append("\n## Outputs\n\n");
    out.append("| Name | Description |\n");
    out.append("|------|-------------|\n");
    for (Map.Entry<String, Map<String, String>> output : module.declared("output").entrySet()) {
      out.append("| ")
          .append(output.getKey())
          .append(" | ")
          .append(cell(description(output.getValue())))
          .append(" |\n");
    }
    return out.append(END).toString();
  }

  /** The README's generated block as it is now, or null when it has none. */
  static String current(Path readme) {
    String text = read(readme);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    return begin < 0 || end < begin ? null : text.substring(begin, end + END.length());
  }

  /** Replaces the README's generated block (or appends one) with {@code block}. */
  static void write(Path readme, String block) {
    String text = read(readme);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    String updated =
        begin < 0 || end < begin
            ? text.stripTrailing() + "\n\n" + block + "\n"
            : text.substring(0, begin) + block + text.substring(end + END.length());
    try {
      Files.writeString(readme, updated, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String description(Map<String, String> attributes) {
    String expression = attributes.getOrDefault("description", "");
    String literal = HclText.stringLiteral(expression);
    return literal != null ? literal : expression;
  }

  /** An HCL expression as one line of inline code (objects and lists are written over lines). */
  private static String code(String expression) {
    if (expression == null) {
      return "n/a";
    }
    String oneLine = String.join(" ", List.of(expression.trim().split("\\s*\\n\\s*")));
    return "`" + oneLine.replace("|", "\\|") + "`";
  }

  private static String cell(String text) {
    // Markdown would take <name_prefix> for an HTML tag and hide it.
    return text.replace("\\\\", "\\")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\n", " ");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
