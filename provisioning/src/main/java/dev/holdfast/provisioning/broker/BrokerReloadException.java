package dev.holdfast.provisioning.broker;

/**
 * The broker was not told to re-read its CRL and ACL. The files are in place (a broker that starts
 * later reads them), but a running one keeps the old ones: the caller records that the change is
 * pending and exits non-zero. The message says what happened and what to do.
 */
public final class BrokerReloadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the signal was not sent. */
  public enum Reason {
    /** No pid file: the broker is not running, or {@code broker.pid-file} names the wrong file. */
    NO_PID_FILE,
    /** The pid file cannot be read, or holds no process id. */
    BAD_PID_FILE,
    /** {@code kill -HUP} failed: no such process, or not allowed to signal it. */
    SIGNAL_FAILED,
    /** The broker re-read its files, but a revoked device's open session could not be closed. */
    SESSION_NOT_CUT
  }

  private final Reason reason;

  public BrokerReloadException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
