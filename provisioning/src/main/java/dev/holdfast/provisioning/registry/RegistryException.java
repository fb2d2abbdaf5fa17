package dev.holdfast.provisioning.registry;

/** The registry could not be read or written; the message names the store, never a value. */
public final class RegistryException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why; the CLI maps it to an exit code. */
  public enum Reason {
    /** A record failed authentication or does not decode. */
    CORRUPT,
    /** The operating system refused a read or write. */
    IO,
    /** Another process holds the store. */
    LOCKED
  }

  private final Reason reason;

  public RegistryException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
