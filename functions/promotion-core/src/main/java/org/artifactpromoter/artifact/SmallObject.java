package org.artifactpromoter.artifact;

/**
 * A small object read whole with its version: a provenance envelope.
 *
 * @param bytes the object's bytes, at most one more than the size the reader asked for
 */
public record SmallObject(ArtifactVersion version, byte[] bytes) {
  public SmallObject {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The SHA-256 (hex) of the bytes read. */
  public String sha256() {
    return java.util.HexFormat.of().formatHex(Sha256.newDigest().digest(bytes));
  }
}
