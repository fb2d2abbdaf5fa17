package dev.holdfast.agent.outbox;

/** An outbox request was refused; the message says why and what to do. */
public final class OutboxException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why; mapped to exit codes by the command line and to error codes by the local API. */
  public enum Reason {
    /** A field of the request is wrong (bad number, bad URL, bad TTL). */
    INVALID,
    /** The body is over outbox.max-body-bytes. */
    TOO_LARGE,
    /** The outbox holds outbox.max-records or outbox.max-bytes already. */
    FULL,
    /** The idempotency key is already used by a queued record with a different message. */
    CONFLICT,
    /** No record with that id. */
    NOT_FOUND,
    /** The vault could not be written (disk full, I/O error). */
    STORAGE,
    /** The agent is shutting down. */
    CLOSED
  }

  private final Reason reason;

  public OutboxException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public OutboxException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
