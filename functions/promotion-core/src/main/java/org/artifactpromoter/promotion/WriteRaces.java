package org.artifactpromoter.promotion;

import java.util.List;
import java.util.Optional;
import org.artifactpromoter.artifact.KeyVersions;

/**
 * Settles promotions that wrote the same key at the same time on a store that ignores write
 * conditions ({@code conditionalWrites: false}: moto ignores If-None-Match and If-Match on
 * CopyObject), from a listing of the key's versions taken after our own write. Every writer lists
 * after writing, so whichever lists last sees every write, and all of them reach the same answer.
 * On S3 the conditions settle both keys and this is never needed (see {@code ReleaseWriter} and
 * {@code DropKeyWriter}).
 */
final class WriteRaces {
  private WriteRaces() {}

  /**
   * The release version every writer keeps: the oldest, that is the first write, the one a
   * conditional write would have let through alone. Null when the key has no version (ours was
   * removed by someone else: let the caller look again).
   */
  static String releaseWinner(KeyVersions release) {
    List<String> versions = release.versionIds();
    return versions.isEmpty() ? null : versions.get(versions.size() - 1);
  }

  /**
   * The drop-key version written just before {@code ours} when it was written while our promotion
   * ran, so that if it holds the same revision, another promotion delivered it meanwhile and ours
   * is a duplicate. Empty when that cannot be shown.
   *
   * @param atStart the version the drop key held when our promotion looked at it (before deciding
   *     it must write), or null if it held none
   */
  static Optional<String> deliveredMeanwhile(KeyVersions drop, String ours, String atStart) {
    List<String> versions = drop.versionIds();
    int index = versions.indexOf(ours);
    if (index < 0 || index + 1 >= versions.size()) {
      return Optional.empty();
    }
    String previous = versions.get(index + 1);
    if (atStart != null) {
      // Written after our look only if it is newer than what we saw then.
      int seen = versions.indexOf(atStart);
      return seen > index + 1 ? Optional.of(previous) : Optional.empty();
    }
    // The key held nothing when we looked. Without delete markers, every version but ours came
    // since. With one, an older version may sit below it that S3 does not let us place in time
    // against the marker: keep ours (a duplicate delivery is better than a lost one).
    return drop.deleteMarkers() ? Optional.empty() : Optional.of(previous);
  }
}
