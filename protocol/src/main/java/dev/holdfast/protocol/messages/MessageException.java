package dev.holdfast.protocol.messages;

import java.util.Optional;

/** A message that does not parse, is missing a field, or fails its signature check. */
public final class MessageException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String field;

  public MessageException(String message) {
    this(message, (Throwable) null);
  }

  public MessageException(String message, Throwable cause) {
    super(message, cause);
    this.field = null;
  }

  private MessageException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** A refusal of one field ({@code "to"}), or of the whole body ({@code "(body)"}). */
  public static MessageException ofField(String field, String message) {
    return new MessageException(field, message);
  }

  /** The field at fault, when one is. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
