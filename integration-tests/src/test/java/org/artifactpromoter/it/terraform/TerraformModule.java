package org.artifactpromoter.it.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One Terraform module (a directory of .tf files), read by {@link HclText}: blocks and attributes
 * with their expressions as written, for checks that must also run where no terraform binary is
 * installed. Whether the HCL is valid Terraform is {@code terraform validate}'s call ({@link
 * TerraformCliTest}); this reader only reports text it cannot split into blocks (an unterminated
 * string, unbalanced brackets).
 */
final class TerraformModule {

  record ParsedFile(Path path, HclText.Body text, String parseError) {}

  private final Path dir;
  private final List<ParsedFile> files;

  private TerraformModule(Path dir, List<ParsedFile> files) {
    this.dir = dir;
    this.files = files;
  }

  static TerraformModule read(Path dir) {
    List<ParsedFile> files = new ArrayList<>();
    for (Path file : tfFiles(dir)) {
      String source;
      try {
        source = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      files.add(new ParsedFile(file, HclText.parse(source), HclText.syntaxError(source)));
    }
    return new TerraformModule(dir, files);
  }

  /** Every directory under {@code root} that holds .tf files (skipping .terraform caches). */
  static List<Path> moduleDirs(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(Files::isDirectory)
          .filter(p -> !p.toString().contains(".terraform"))
          .filter(p -> !tfFiles(p).isEmpty())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> tfFiles(Path dir) {
    try (Stream<Path> paths = Files.list(dir)) {
      return paths.filter(p -> p.getFileName().toString().endsWith(".tf")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dir() {
    return dir;
  }

  List<ParsedFile> files() {
    return files;
  }

  /**
   * Top-level blocks of one kind by their first label, e.g. "variable" -> name -> attribute name ->
   * expression as written (nested blocks such as validation are not attributes).
   */
  Map<String, Map<String, String>> declared(String kind) {
    Map<String, Map<String, String>> result = new LinkedHashMap<>();
    for (HclText.Block block : blocks(kind)) {
      Map<String, String> attributes = new LinkedHashMap<>();
      for (HclText.Attribute attribute : HclText.parse(block.body()).attributes()) {
        attributes.put(attribute.name(), attribute.expression());
      }
      result.put(block.label(0), attributes);
    }
    return result;
  }

  /** Names of all locals (from every locals block of every file). */
  Map<String, String> locals() {
    Map<String, String> result = new LinkedHashMap<>();
    for (HclText.Block block : blocks("locals")) {
      for (HclText.Attribute attribute : HclText.parse(block.body()).attributes()) {
        result.put(attribute.name(), attribute.expression());
      }
    }
    return result;
  }

  /** Top-level blocks of one type across all files, as written. */
  List<HclText.Block> blocks(String type) {
    List<HclText.Block> result = new ArrayList<>();
    for (ParsedFile file : files) {
      file.text().blocks().stream().filter(b -> b.type().equals(type)).forEach(result::add);
    }
    return result;
  }

  /** The whole module's text without comments, for reference scanning. */
  String codeWithoutComments() {
    StringBuilder all = new StringBuilder();
    for (ParsedFile file : files) {
      try {
        all.append(HclText.stripComments(Files.readString(file.path(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      all.append('\n');
    }
    return all.toString();
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
