package dev.holdfast.agent.local;

import dev.holdfast.agent.outbox.OutboxException;
import java.util.Arrays;
import java.util.Locale;

/** Why a local API request failed, as the {@code "error"} code on the wire (docs/local-api.md). */
public enum LocalError {
  /** The request itself is malformed: not JSON, unknown op, a missing or mistyped field. */
  BAD_REQUEST,
  /** A field is wrong (bad number, URL, topic, TTL). */
  INVALID,
  /** The body is over outbox.max-body-bytes, or the request line over the line limit. */
  TOO_LARGE,
  /** The outbox is full. */
  FULL,
  /** The idempotency key is used by a queued record with a different message. */
  CONFLICT,
  /** No record with that id. */
  NOT_FOUND,
  /** The vault could not be written. */
  STORAGE,
  /** The agent is stopping. */
  CLOSED,
  /** A failure of the agent's own (or a code this client does not know). */
  INTERNAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The code on the wire; one this client does not know is {@link #INTERNAL}. */
  public static LocalError fromWire(String wire) {
    return Arrays.stream(values()).filter(e -> e.wire().equals(wire)).findFirst().orElse(INTERNAL);
  }

  public static LocalError of(OutboxException.Reason reason) {
    return switch (reason) {
      case INVALID -> INVALID;
      case TOO_LARGE -> TOO_LARGE;
      case FULL -> FULL;
      case CONFLICT -> CONFLICT;
      case NOT_FOUND -> NOT_FOUND;
      case STORAGE -> STORAGE;
      case CLOSED -> CLOSED;
    };
  }
}
