package org.artifactpromoter.artifact;

import java.time.Instant;
import java.util.List;

/**
 * The versions of exactly one key in the order the store lists them: newest first, in the order
 * they were stored (not sorted by LastModified, which S3 reports to the second and which for a
 * multipart upload is when the upload started, not when it completed).
 *
 * @param newestFirst object versions (delete markers left out)
 * @param deleteMarkers whether the key has any delete marker among the versions listed
 */
public record KeyVersions(List<Entry> newestFirst, boolean deleteMarkers) {
  public KeyVersions {
    newestFirst = List.copyOf(newestFirst);
  }

  /** Versions with nothing but their ids, newest first. */
  public static KeyVersions ofIds(List<String> newestFirst, boolean deleteMarkers) {
    return new KeyVersions(
        newestFirst.stream().map(id -> new Entry(id, null, false)).toList(), deleteMarkers);
  }

  public List<String> versionIds() {
    return newestFirst.stream().map(Entry::versionId).toList();
  }

  /**
   * One version of the key.
   *
   * @param lastModified when it was stored, or null when the listing did not say
   * @param latest whether it is the key's current version
   */
  public record Entry(String versionId, Instant lastModified, boolean latest) {}
}
