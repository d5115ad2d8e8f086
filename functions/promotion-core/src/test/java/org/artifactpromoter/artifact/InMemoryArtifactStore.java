package org.artifactpromoter.artifact;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.artifactpromoter.model.ErrorCode;
import org.artifactpromoter.model.ObjectVersion;
import org.artifactpromoter.model.PartRanges;
import org.artifactpromoter.model.PromotionException;

/**
 * A versioned bucket in memory, for unit tests of everything that works through {@link
 * ArtifactStore}: every write is a new version, conditional writes are refused when the key exists,
 * bytes are hashed as S3 hashes them, and a copy larger than {@link #partSize} runs part by part
 * and suspends when its time budget runs out, to be resumed by upload id.
 *
 * <p>Two things S3 does on its own time can be staged: {@link #beforeNextWrite} runs just before
 * the next write to a key lands (another promotion writing at the same moment), and {@link
 * #ignoringConditionalWrites} behaves like an emulator that does not honour {@code If-None-Match}.
 */
public final class InMemoryArtifactStore implements ArtifactStore {
  private final String bucket;
  private final Map<String, List<Stored>> keys = new HashMap<>();
  private final Map<String, Upload> uploads = new HashMap<>();
  private final Map<String, Consumer<InMemoryArtifactStore>> beforeWrite = new HashMap<>();
  private final List<String> aborted = new ArrayList<>();
  private final List<String> listed = new ArrayList<>();
  private long partSize = Long.MAX_VALUE;
  private boolean conditionalWrites = true;
  private int nextVersion = 1;
  private int nextUpload = 1;
  private int refusedConditionalWrites;

  public InMemoryArtifactStore(String bucket) {
    this.bucket = bucket;
  }

  /** Copies of more than {@code bytes} run in parts of that size. */
  public InMemoryArtifactStore withPartSize(long bytes) {
    this.partSize = bytes;
    return this;
  }

  /** Conditional writes succeed even when the key exists, as some emulators do. */
  public InMemoryArtifactStore ignoringConditionalWrites() {
    this.conditionalWrites = false;
    return this;
  }

  /** Runs {@code meanwhile} once, just before the next write to {@code key} lands. */
  public void beforeNextWrite(String key, Consumer<InMemoryArtifactStore> meanwhile) {
    beforeWrite.put(key, meanwhile);
  }

  /** Writes a version directly, as another writer would: with exactly these bytes and metadata. */
  public ArtifactVersion store(
      String key, byte[] bytes, Map<String, String> metadata, Map<String, String> tags) {
    Stored stored =
        new Stored(
            "v" + nextVersion++,
            bytes,
            new LinkedHashMap<>(metadata),
            new LinkedHashMap<>(tags),
            false);
    keys.computeIfAbsent(key, k -> new ArrayList<>()).add(stored);
    return stored.version(bucket, key);
  }

  /**
   * Writes a version as a multipart upload leaves it: the store has no full-object SHA-256 of it,
   * only {@code metadata}'s word for what it holds.
   */
  public ArtifactVersion storeInParts(String key, byte[] bytes, Map<String, String> metadata) {
    Stored stored =
        new Stored("v" + nextVersion++, bytes, new LinkedHashMap<>(metadata), Map.of(), true);
    keys.computeIfAbsent(key, k -> new ArrayList<>()).add(stored);
    return stored.version(bucket, key);
  }

  /** Every version of {@code key}, oldest first. */
  public List<ArtifactVersion> allVersions(String key) {
    return keys.getOrDefault(key, List.of()).stream().map(s -> s.version(bucket, key)).toList();
  }

  public byte[] bytes(String key, String versionId) {
    return find(key, versionId).orElseThrow().bytes;
  }

  /** Upload ids of multipart uploads that are open (started, neither completed nor aborted). */
  public List<String> openUploads() {
    return List.copyOf(uploads.keySet());
  }

  /** The keys whose versions were listed, in order. */
  public List<String> listedKeys() {
    return List.copyOf(listed);
  }

  /** How many writes their precondition (If-None-Match: *, If-Match) refused. */
  public int refusedConditionalWrites() {
    return refusedConditionalWrites;
  }

  public List<String> abortedUploads() {
    return List.copyOf(aborted);
  }

  @Override
  public String bucket() {
    return bucket;
  }

  @Override
  public Optional<ArtifactVersion> head(String key, String versionId) {
    return find(key, versionId).map(s -> s.version(bucket, key));
  }

  @Override
  public Map<String, String> tags(String key, String versionId) {
    return find(key, versionId).orElseThrow().tags;
  }

  @Override
  public KeyVersions versions(String key, String stopAfter) {
    listed.add(key);
    List<KeyVersions.Entry> newestFirst = new ArrayList<>();
    List<Stored> stored = keys.getOrDefault(key, List.of());
    for (int i = stored.size() - 1; i >= 0; i--) {
      newestFirst.add(
          new KeyVersions.Entry(stored.get(i).versionId, Instant.EPOCH, i == stored.size() - 1));
    }
    return new KeyVersions(newestFirst, false);
  }

  @Override
  public Optional<SmallObject> readSmall(String key, int maxBytes) {
    return find(key, null)
        .map(
            s ->
                new SmallObject(
                    s.version(bucket, key),
                    java.util.Arrays.copyOf(s.bytes, Math.min(s.bytes.length, maxBytes + 1))));
  }

  @Override
  public ArtifactVersion put(ArtifactWrite write, byte[] bytes) {
    return write(write, bytes.clone());
  }

  @Override
  public InputStream open(ArtifactVersion version) {
    return new ByteArrayInputStream(bytes(version.key(), version.versionId()));
  }

  @Override
  public CopyOutcome copy(Copy copy, TimeBudget budget) {
    byte[] bytes;
    try (InputStream in = copy.from().open(copy.source())) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.length > partSize) {
      int totalParts = (int) ((bytes.length + partSize - 1) / partSize);
      String uploadId = copy.resumeUploadId();
      if (uploadId == null) {
        uploadId = "upload-" + nextUpload++;
        uploads.put(uploadId, new Upload());
      }
      Upload upload = uploads.get(uploadId);
      if (upload == null) {
        throw new PromotionException(ErrorCode.INTERNAL, "no such upload " + uploadId);
      }
      for (int part = 1; part <= totalParts; part++) {
        if (upload.done.contains(part)) {
          continue;
        }
        if (!budget.hasTimeFor(Duration.ZERO)) {
          return new CopyOutcome.Suspended(
              uploadId, PartRanges.of(new TreeSet<>(upload.done)), totalParts);
        }
        upload.done.add(part);
      }
      uploads.remove(uploadId);
    }
    return new CopyOutcome.Written(write(copy.target(), bytes));
  }

  @Override
  public ArtifactVersion put(ArtifactWrite write, Path file) {
    try {
      return write(write, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void abortUpload(String key, String uploadId) {
    if (uploads.remove(uploadId) != null) {
      aborted.add(uploadId);
    }
  }

  @Override
  public void deleteVersion(String key, String versionId) {
    keys.getOrDefault(key, new ArrayList<>()).removeIf(s -> s.versionId.equals(versionId));
  }

  private ArtifactVersion write(ArtifactWrite write, byte[] bytes) {
    Consumer<InMemoryArtifactStore> meanwhile = beforeWrite.remove(write.key());
    if (meanwhile != null) {
      meanwhile.accept(this);
    }
    if (write.ifAbsent()
        && conditionalWrites
        && !keys.getOrDefault(write.key(), List.of()).isEmpty()) {
      refusedConditionalWrites++;
      throw new PromotionException(
          ErrorCode.CONFLICT,
          "Writing s3://" + bucket + "/" + write.key() + " conflicted with a concurrent write.");
    }
    if (write.ifMatch() != null && conditionalWrites) {
      Optional<Stored> current = find(write.key(), null);
      if (current.isEmpty() || !current.get().eTag().equals(write.ifMatch())) {
        refusedConditionalWrites++;
        throw new PromotionException(
            ErrorCode.CONFLICT,
            "Writing s3://" + bucket + "/" + write.key() + " failed its If-Match precondition.");
      }
    }
    String actual = sha256(bytes);
    if (!actual.equals(write.expectedSha256())) {
      throw new PromotionException(
          ErrorCode.INTEGRITY_MISMATCH,
          "The bytes hash to " + actual + ", not " + write.expectedSha256() + ".");
    }
    return store(write.key(), bytes, write.metadata(), write.tags());
  }

  private Optional<Stored> find(String key, String versionId) {
    List<Stored> stored = keys.getOrDefault(key, List.of());
    if (versionId == null) {
      return stored.isEmpty() ? Optional.empty() : Optional.of(stored.get(stored.size() - 1));
    }
    return stored.stream().filter(s -> s.versionId.equals(versionId)).findFirst();
  }

  public static String sha256(byte[] bytes) {
    MessageDigest digest = Sha256.newDigest();
    return HexFormat.of().formatHex(digest.digest(bytes));
  }

  private record Stored(
      String versionId,
      byte[] bytes,
      Map<String, String> metadata,
      Map<String, String> tags,
      boolean multipart) {
    ArtifactVersion version(String bucket, String key) {
      return new ArtifactVersion(
          new ObjectVersion(bucket, key, versionId),
          bytes.length,
          multipart ? null : sha256(bytes),
          multipart,
          new LinkedHashMap<>(metadata),
          Instant.EPOCH,
          eTag());
    }

    /** Unique per version, as S3's are for SSE-KMS objects (not an MD5 of the bytes). */
    String eTag() {
      return "\"etag-" + versionId + "\"";
    }
  }

  private static final class Upload {
    final TreeSet<Integer> done = new TreeSet<>();
  }
}
