package org.artifactpromoter.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (set by the build), or "development". */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = ArtifactPromoterCli.class.getPackage().getImplementationVersion();
    return new String[] {"artifact-promoter " + (version == null ? "development" : version)};
  }
}
