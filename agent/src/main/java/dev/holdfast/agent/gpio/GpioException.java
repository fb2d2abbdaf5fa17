package dev.holdfast.agent.gpio;

/** The pins cannot be used as configured; the message names the setting, the pin and the fix. */
public final class GpioException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why; the CLI maps each to an exit code (docs/exit-codes.md). */
  public enum Reason {
    /** The machine has no GPIO character device. */
    NO_GPIO,
    /** The machine has GPIO, but not on a board this agent supports. */
    UNSUPPORTED_BOARD,
    /** The board has no such GPIO on its header. */
    NO_SUCH_PIN,
    /** Another process (or another user in this one) holds the pin. */
    PIN_BUSY,
    /** The agent may not open the GPIO device (not in the gpio group). */
    NO_PERMISSION,
    /** An input's message would be refused by the outbox (bad destination, body too large). */
    BAD_MESSAGE,
    /** The GPIO driver failed in a way none of the above describes. */
    FAILED
  }

  private final Reason reason;

  public GpioException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public GpioException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
