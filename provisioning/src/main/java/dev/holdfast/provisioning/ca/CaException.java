package dev.holdfast.provisioning.ca;

/** A CA operation that cannot be done as asked; the message says what to do instead. */
public final class CaException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why; the CLI maps it to an exit code. */
  public enum Reason {
    /** {@code init} was not run for this data directory. */
    NOT_INITIALIZED,
    /** {@code init} was already run. */
    ALREADY_INITIALIZED,
    /** No certificate with that serial. */
    UNKNOWN_CERTIFICATE,
    /** No device with that id. */
    UNKNOWN_DEVICE,
    /** The request breaks a rule (revoked device, lifetime beyond the CA's, bad id). */
    POLICY
  }

  private final Reason reason;

  public CaException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
