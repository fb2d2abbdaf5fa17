package dev.holdfast.provisioning.service;

/** A ping that got no answer; the reason says which step failed. */
public final class PingException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Where the ping stopped. */
  public enum Reason {
    /** The broker could not be reached or refused the service's certificate. */
    BROKER_UNREACHABLE,
    /** The broker refused the command's publish (ACL) or the state subscription. */
    REFUSED,
    /** The command went out but no matching pong came back in time. */
    TIMEOUT
  }

  private final Reason reason;

  public PingException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
