package dev.holdfast.agent.local;

/** A local API request was refused; {@link #error} is the code, the message says what to do. */
public final class LocalApiException extends Exception {
  private static final long serialVersionUID = 1L;
  private final LocalError error;

  public LocalApiException(LocalError error, String message) {
    super(message);
    this.error = error;
  }

  public LocalError error() {
    return error;
  }
}
