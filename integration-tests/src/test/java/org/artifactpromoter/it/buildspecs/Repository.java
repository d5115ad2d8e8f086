package org.artifactpromoter.it.buildspecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Paths in this repository (system property {@code repo.root}, set by the build). */
final class Repository {
  private Repository() {}

  static Path root() {
    return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  }

  static Path buildspecs() {
    return root().resolve("buildspecs");
  }

  /** Copies a directory tree, leaving out build output and Terraform working files. */
  static void copyTree(Path from, Path to) {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.sorted(Comparator.naturalOrder()).toList()) {
        Path relative = from.relativize(source);
        if (excluded(relative)) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean excluded(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals("target")
          || name.equals(".terraform")
          || name.endsWith(".tfplan")
          || name.equals(".terraform.lock.hcl")) {
        return true;
      }
    }
    return false;
  }
}
