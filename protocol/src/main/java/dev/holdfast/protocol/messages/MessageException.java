package dev.holdfast.protocol.messages;

/** A message that does not parse, is missing a field, or fails its signature check. */
public final class MessageException extends Exception {
  private static final long serialVersionUID = 1L;

  public MessageException(String message) {
    super(message);
  }

  public MessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
