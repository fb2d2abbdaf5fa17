package dev.holdfast.agent.local;

import dev.holdfast.agent.outbox.OutboxException;
import java.util.Arrays;
import java.util.Locale;

/** Why a local API request failed, as the {@code "error"} code on the wire (docs/local-api.md). */
public enum LocalError {
  /** The request itself is malformed: not JSON, unknown op, a missing or mistyped field. */
  BAD_REQUEST,
  // The outbox's own refusals, one for one (OutboxException.Reason says when each happens):
  INVALID,
  TOO_LARGE,
  FULL,
  CONFLICT,
  NOT_FOUND,
  STORAGE,
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
