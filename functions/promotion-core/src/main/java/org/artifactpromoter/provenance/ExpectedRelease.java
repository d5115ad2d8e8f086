package org.artifactpromoter.provenance;

/**
 * What a promotion is about to move, taken from the bytes and the request rather than from the
 * envelope: the provenance must vouch for exactly this.
 *
 * @param function the function being promoted
 * @param revision the git revision being promoted
 * @param sha256 the SHA-256 of the release's bytes as the promoter computed or verified it
 */
public record ExpectedRelease(String function, String revision, String sha256) {}
