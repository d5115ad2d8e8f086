package org.artifactpromoter.aws;

/**
 * Replaces a role session whose token AWS says has expired (a clock that drifted, a session cut
 * short). Callers that saw the same expired session share one replacement.
 */
interface SessionRenewal {
  /** Credentials of their own (the build's role, a profile): the SDK refreshes them, not us. */
  SessionRenewal NONE =
      new SessionRenewal() {
        @Override
        public long generation() {
          return 0;
        }

        @Override
        public boolean renewable() {
          return false;
        }

        @Override
        public void renew(long expired, String sessionId) {}
      };

  /** Which session is current; pass it to {@link #renew} after a call made with it expired. */
  long generation();

  boolean renewable();

  /**
   * Replaces session {@code expired} with a new one named after {@code sessionId}, unless another
   * caller already did.
   */
  void renew(long expired, String sessionId);
}
