package dev.holdfast.provisioning.apikeys;

/** An API key operation that cannot be done as asked. */
public final class ApiKeyException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    UNKNOWN_KEY,
    UNKNOWN_DEVICE,
    /** The device is revoked, or the request breaks a rule. */
    POLICY
  }

  private final Reason reason;

  public ApiKeyException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
