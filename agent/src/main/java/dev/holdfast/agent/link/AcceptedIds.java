package dev.holdfast.agent.link;

import dev.holdfast.vault.VaultException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The ids of commands already acted on, each kept until its command expires, so that a command is
 * acted on once. {@link VaultAcceptedIds} keeps them across restarts; {@link #inMemory} only for
 * the life of the process.
 */
public interface AcceptedIds {
  /** The most unexpired ids kept; past it new commands are refused, never older ids forgotten. */
  int MAX = 10_000;

  /** What {@link #remember} did. */
  enum Outcome {
    /** The id was new and is now remembered (durably, for a store that persists). */
    REMEMBERED,
    /** The id was remembered already and its command has not expired: a replay. */
    REPLAYED,
    /** {@link #MAX} unexpired ids are remembered already; nothing was added. */
    FULL
  }

  /**
   * Forgets the ids whose command expired by {@code now}, then remembers {@code id} until {@code
   * expiresAt} unless it is still remembered. Returns only once the id is stored.
   *
   * @throws VaultException when the id cannot be stored (then the command must not be acted on)
   */
  Outcome remember(String id, Instant expiresAt, Instant now) throws VaultException;

  /** Ids kept in this process's memory only: a restart forgets them. Not thread-safe. */
  static AcceptedIds inMemory() {
    Map<String, Instant> seen = new HashMap<>();
    return (id, expiresAt, now) -> {
      seen.values().removeIf(expires -> !now.isBefore(expires));
      if (seen.containsKey(id)) {
        return Outcome.REPLAYED;
      }
      if (seen.size() >= MAX) {
        return Outcome.FULL;
      }
      seen.put(id, expiresAt);
      return Outcome.REMEMBERED;
    };
  }
}
