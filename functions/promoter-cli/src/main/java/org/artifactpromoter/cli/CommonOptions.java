package org.artifactpromoter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.artifactpromoter.model.PromotionException;
import org.artifactpromoter.wiring.PromoterComponent;
import picocli.CommandLine.Option;

/** --config and --json, shared by every command that reads the promotion configuration. */
final class CommonOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Promotion configuration JSON file (default: $PROMOTION_CONFIG).")
  Path config;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  String configJson() {
    if (config != null) {
      try {
        return Files.readString(config);
      } catch (IOException e) {
        throw PromotionException.invalid(
            "Cannot read --config " + config + ": " + e.getMessage() + ".");
      }
    }
    String fromEnvironment = System.getenv("PROMOTION_CONFIG");
    if (fromEnvironment == null || fromEnvironment.isBlank()) {
      throw PromotionException.invalid(
          "No promotion configuration: pass --config FILE or set PROMOTION_CONFIG.");
    }
    return fromEnvironment;
  }

  /**
   * The promoter's object graph for the configuration. Parsing overlaps the SDK preload; the graph
   * builds its clients on first use, after the preload has finished.
   */
  PromoterComponent component() {
    PromoterComponent component = PromoterComponent.fromConfig(configJson());
    SdkPreload.awaitBeforeClients();
    return component;
  }
}
