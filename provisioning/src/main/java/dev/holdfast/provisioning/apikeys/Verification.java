package dev.holdfast.provisioning.apikeys;

import dev.holdfast.provisioning.registry.ApiKeyRecord;
import java.util.Optional;

/**
 * The outcome of checking a presented API key. Every rejection is a 401 to the caller; the reason
 * is for logs and tests (and never includes the key).
 *
 * @param key present only when {@link #reason} is {@link Reason#VALID}
 */
public record Verification(Reason reason, Optional<ApiKeyRecord> key) {
  /** Why a key was accepted or refused. */
  public enum Reason {
    VALID,
    /** Not shaped like a key (prefix, length, characters). */
    MALFORMED,
    /** Shaped like a key, but the checksum is wrong: a typo. */
    BAD_CHECKSUM,
    /** No key with this id, or the id exists and the rest does not match. */
    UNKNOWN,
    /** Past its expiry, or past the end of its grace window. */
    EXPIRED,
    REVOKED
  }

  public boolean valid() {
    return reason == Reason.VALID;
  }

  static Verification rejected(Reason reason) {
    return new Verification(reason, Optional.empty());
  }
}
