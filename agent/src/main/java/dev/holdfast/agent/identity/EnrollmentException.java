package dev.holdfast.agent.identity;

/**
 * Enrollment failed. The reason says which step (the command line maps each to its own exit
 * code); the message says what was wrong and what to do, and never holds the token, the API key
 * or key material.
 */
public final class EnrollmentException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Each failure a bench operator must tell apart. */
  public enum Reason {
    /** The vault already holds a credential set (use --force to replace it). */
    ALREADY_ENROLLED,
    /** The server could not be reached: DNS, refused connection, timeout. */
    UNREACHABLE,
    /** TLS failed: the server's certificate does not chain to the pinned root or names another host. */
    TLS,
    /** The token is not known to the server (or is mistyped). */
    TOKEN_UNKNOWN,
    /** The token's time to live is over. */
    TOKEN_EXPIRED,
    /** The token was already redeemed (by this device or another). */
    TOKEN_USED,
    /** The token was withdrawn by an operator. */
    TOKEN_REVOKED,
    /** The server refused the CSR. */
    CSR_REFUSED,
    /** The server refused for too many attempts from this address; the same command works later. */
    RATE_LIMITED,
    /** The server answered, but its answer does not pass the device's checks. */
    RESPONSE_INVALID,
    /** The server failed or answered something this agent does not understand. */
    SERVER_ERROR,
    /** The fleet root file is not a usable self-signed CA certificate. */
    BAD_FLEET_ROOT,
    /** An input file or the pending key of an earlier request is missing. */
    MISSING_INPUT
  }

  private final Reason reason;

  public EnrollmentException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public EnrollmentException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
