package org.artifactpromoter.it.terraform;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small structural reader of HCL source text: blocks, attributes and the expressions as written,
 * which is what the reference and naming checks need (an evaluating parser turns {@code
 * "${var.a}-${var.b}"} into {@code "-"}, and none in Java reads every expression Terraform does).
 * It understands strings with nested interpolations, heredocs and comments; it does not evaluate
 * anything.
 */
final class HclText {

  record Block(String type, List<String> labels, String body) {
    String label(int index) {
      return index < labels.size() ? labels.get(index) : "";
    }
  }

  record Attribute(String name, String expression) {}

  record Body(List<Attribute> attributes, List<Block> blocks) {
    Attribute attribute(String name) {
      return attributes.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
    }
  }

  private static final Pattern HEREDOC = Pattern.compile("<<-?([A-Za-z_][A-Za-z0-9_]*)\\r?\\n");

  private HclText() {}

  /** The text with every comment replaced by blanks (line breaks kept, so lines still match). */
  static String stripComments(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      char next = i + 1 < s.length() ? s.charAt(i + 1) : '\0';
      if (c == '"') {
        int end = skipString(s, i);
        out.append(s, i, end);
        i = end;
      } else if (heredocAt(s, i) != null) {
        int end = skipHeredoc(s, i);
        out.append(s, i, end);
        i = end;
      } else if (c == '#' || (c == '/' && next == '/')) {
        while (i < s.length() && s.charAt(i) != '\n') {
          out.append(' ');
          i++;
        }
      } else if (c == '/' && next == '*') {
        int end = s.indexOf("*/", i + 2);
        end = end < 0 ? s.length() : end + 2;
        for (int j = i; j < end; j++) {
          out.append(s.charAt(j) == '\n' ? '\n' : ' ');
        }
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Attributes and blocks at the top level of {@code text} (a file, or a block's body). */
  static Body parse(String text) {
    String s = stripComments(text);
    List<Attribute> attributes = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (!isIdentifierStart(c)) {
        i++;
        continue;
      }
      int start = i;
      while (i < s.length() && isIdentifierPart(s.charAt(i))) {
        i++;
      }
      String name = s.substring(start, i);
      i = skipBlanks(s, i);
      if (i < s.length() && s.charAt(i) == '=' && !s.startsWith("==", i)) {
        int exprStart = i + 1;
        int exprEnd = endOfExpression(s, exprStart);
        attributes.add(new Attribute(name, s.substring(exprStart, exprEnd).trim()));
        i = exprEnd;
        continue;
      }
      List<String> labels = new ArrayList<>();
      while (i < s.length() && (s.charAt(i) == '"' || isIdentifierStart(s.charAt(i)))) {
        if (s.charAt(i) == '"') {
          int end = skipString(s, i);
          labels.add(s.substring(i + 1, end - 1));
          i = end;
        } else {
          int labelStart = i;
          while (i < s.length() && isIdentifierPart(s.charAt(i))) {
            i++;
          }
          labels.add(s.substring(labelStart, i));
        }
        i = skipBlanks(s, i);
      }
      if (i < s.length() && s.charAt(i) == '{') {
        int end = matchingBrace(s, i);
        blocks.add(new Block(name, labels, s.substring(i + 1, Math.max(i + 1, end - 1))));
        i = end;
      }
    }
    return new Body(attributes, blocks);
  }

  /** {@code var.X}, {@code local.X}, {@code module.X} names referenced in {@code expression}. */
  static Set<String> references(String kind, String expression) {
    Matcher m =
        Pattern.compile("(?<![A-Za-z0-9_.-])" + kind + "\\.([A-Za-z_][A-Za-z0-9_-]*)")
            .matcher(expression);
    Set<String> names = new LinkedHashSet<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** The text of a plain quoted string literal without interpolation, else null. */
  static String stringLiteral(String expression) {
    if (expression == null) {
      return null;
    }
    String e = expression.trim();
    if (e.length() < 2 || e.charAt(0) != '"' || skipString(e, 0) != e.length()) {
      return null;
    }
    String body = e.substring(1, e.length() - 1);
    return body.contains("${") || body.contains("%{") ? null : body.replace("\\\"", "\"");
  }

  /**
   * The first structural error in {@code text}: a string, heredoc or comment that never ends, or a
   * bracket without its partner. Null when the text splits into blocks cleanly.
   */
  static String syntaxError(String text) {
    String s = stripComments(text);
    java.util.Deque<Character> open = new java.util.ArrayDeque<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        int end = skipString(s, i);
        if (end > s.length() || s.charAt(end - 1) != '"' || end - 1 == i) {
          return "string at line " + line(s, i) + " is never closed";
        }
        String literal = s.substring(i, end);
        if (literal.indexOf('\n') >= 0 && !literal.contains("${") && !literal.contains("%{")) {
          return "string at line " + line(s, i) + " is never closed on its line";
        }
        i = end;
      } else if (heredocAt(s, i) != null) {
        int end = skipHeredoc(s, i);
        if (end >= s.length() && !s.stripTrailing().endsWith(heredocAt(s, i))) {
          return "heredoc at line " + line(s, i) + " is never closed";
        }
        i = end;
      } else if (c == '{' || c == '(' || c == '[') {
        open.push(c);
        i++;
      } else if (c == '}' || c == ')' || c == ']') {
        char expected = c == '}' ? '{' : c == ')' ? '(' : '[';
        if (open.isEmpty() || open.pop() != expected) {
          return "unbalanced '" + c + "' at line " + line(s, i);
        }
        i++;
      } else {
        i++;
      }
    }
    return open.isEmpty() ? null : "'" + open.peek() + "' is never closed";
  }

  private static int line(String s, int index) {
    int line = 1;
    for (int k = 0; k < index && k < s.length(); k++) {
      if (s.charAt(k) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static int skipBlanks(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static boolean isIdentifierStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-';
  }

  private static String heredocAt(String s, int i) {
    if (!s.startsWith("<<", i)) {
      return null;
    }
    Matcher m = HEREDOC.matcher(s);
    m.region(i, s.length());
    return m.lookingAt() ? m.group(1) : null;
  }

  private static int skipHeredoc(String s, int i) {
    String marker = heredocAt(s, i);
    int lineStart = s.indexOf('\n', i) + 1;
    while (lineStart > 0 && lineStart < s.length()) {
      int lineEnd = s.indexOf('\n', lineStart);
      String line = s.substring(lineStart, lineEnd < 0 ? s.length() : lineEnd);
      if (line.trim().equals(marker)) {
        return lineEnd < 0 ? s.length() : lineEnd;
      }
      lineStart = lineEnd < 0 ? s.length() : lineEnd + 1;
    }
    return s.length();
  }

  /** {@code i} at an opening quote; returns the index after the closing quote. */
  private static int skipString(String s, int i) {
    int j = i + 1;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (c == '"') {
        return j + 1;
      } else if ((c == '$' || c == '%') && s.startsWith(c + "" + c + "{", j)) {
        j += 3;
      } else if ((c == '$' || c == '%') && j + 1 < s.length() && s.charAt(j + 1) == '{') {
        j = skipTemplateCode(s, j + 2);
      } else {
        j++;
      }
    }
    return s.length();
  }

  /** {@code j} just after {@code ${}; returns the index after the matching {@code }}. */
  private static int skipTemplateCode(String s, int j) {
    int depth = 0;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '"') {
        j = skipString(s, j);
      } else if (c == '{' || c == '(' || c == '[') {
        depth++;
        j++;
      } else if (c == '}' || c == ')' || c == ']') {
        if (depth == 0 && c == '}') {
          return j + 1;
        }
        depth--;
        j++;
      } else {
        j++;
      }
    }
    return s.length();
  }

  private static int matchingBrace(String s, int i) {
    int depth = 0;
    int j = i;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '"') {
        j = skipString(s, j);
      } else if (heredocAt(s, j) != null) {
        j = skipHeredoc(s, j);
      } else if (c == '{') {
        depth++;
        j++;
      } else if (c == '}') {
        depth--;
        j++;
        if (depth == 0) {
          return j;
        }
      } else {
        j++;
      }
    }
    return s.length();
  }

  private static int endOfExpression(String s, int i) {
    int depth = 0;
    int j = i;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '"') {
        j = skipString(s, j);
      } else if (heredocAt(s, j) != null) {
        j = skipHeredoc(s, j);
      } else if (c == '{' || c == '(' || c == '[') {
        depth++;
        j++;
      } else if (c == '}' || c == ')' || c == ']') {
        depth--;
        j++;
      } else if (c == '\n' && depth <= 0) {
        return j;
      } else {
        j++;
      }
    }
    return s.length();
  }
}
