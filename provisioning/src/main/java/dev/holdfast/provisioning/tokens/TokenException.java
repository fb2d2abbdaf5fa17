package dev.holdfast.provisioning.tokens;

/** A token administration request that cannot be done as asked. */
public final class TokenException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    UNKNOWN_TOKEN,
    UNKNOWN_PROFILE,
    /** Count or time to live outside the limits, or the token can no longer be revoked. */
    POLICY
  }

  private final Reason reason;

  public TokenException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
