package org.artifactpromoter.artifact;

import java.util.List;

/**
 * The versions of exactly one key in the order S3 lists them: newest first, in the order they were
 * stored (not sorted by LastModified, which S3 reports to the second and which for a multipart
 * upload is when the upload started, not when it completed).
 *
 * @param newestFirst version ids of object versions (delete markers left out)
 * @param deleteMarkers whether the key has any delete marker among the versions listed
 */
public record KeyVersions(List<String> newestFirst, boolean deleteMarkers) {
  public KeyVersions {
    newestFirst = List.copyOf(newestFirst);
  }
}
