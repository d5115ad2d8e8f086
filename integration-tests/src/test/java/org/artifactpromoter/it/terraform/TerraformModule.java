package org.artifactpromoter.it.terraform;

import com.bertramlabs.plugins.hcl4j.HCLParser;
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
 * One Terraform module (a directory of .tf files), read twice: by hcl4j, which proves each file
 * parses and yields the declared variables, outputs, module calls and backends; and by {@link
 * HclText}, which keeps expressions as written for the reference and naming checks.
 */
final class TerraformModule {

  record ParsedFile(Path path, Map<String, Object> hcl, HclText.Body text, String parseError) {}

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
      Map<String, Object> hcl = Map.of();
      String error = null;
      try {
        hcl = new HCLParser().parse(source);
      } catch (Exception | StackOverflowError e) {
        error = String.valueOf(e.getMessage());
      }
      files.add(new ParsedFile(file, hcl, HclText.parse(source), error));
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

  /** hcl4j's view of top-level blocks of one kind, e.g. "variable" -> name -> attributes. */
  Map<String, Map<String, Object>> declared(String kind) {
    Map<String, Map<String, Object>> result = new LinkedHashMap<>();
    for (ParsedFile file : files) {
      for (Map<String, Object> group : asMaps(file.hcl().get(kind))) {
        for (Map.Entry<String, Object> entry : group.entrySet()) {
          result.put(
              entry.getKey(), asMaps(entry.getValue()).stream().findFirst().orElse(Map.of()));
        }
      }
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

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> asMaps(Object value) {
    if (value instanceof Map<?, ?> map) {
      return List.of((Map<String, Object>) map);
    }
    if (value instanceof List<?> list) {
      List<Map<String, Object>> maps = new ArrayList<>();
      for (Object item : list) {
        maps.addAll(asMaps(item));
      }
      return maps;
    }
    return List.of();
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
