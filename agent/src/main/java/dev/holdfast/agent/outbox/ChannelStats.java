package dev.holdfast.agent.outbox;

import java.time.Instant;
import java.util.Optional;

/**
 * What {@code status} shows per channel; kept in the outbox's log so it survives restarts.
 *
 * @param heldUntil set after a 401: no sends on this channel before then ("credentials rejected")
 */
public record ChannelStats(
    long delivered,
    Optional<Instant> lastDelivery,
    Optional<String> lastError,
    Optional<Instant> lastErrorAt,
    Optional<Instant> heldUntil,
    long droppedWhenFull) {

  public static final ChannelStats EMPTY =
      new ChannelStats(0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);

  ChannelStats deliveredAt(Instant at) {
    return new ChannelStats(delivered + 1, Optional.of(at), lastError, lastErrorAt, Optional.empty(),
        droppedWhenFull);
  }

  ChannelStats failedAt(Instant at, String error) {
    return new ChannelStats(delivered, lastDelivery, Optional.of(error), Optional.of(at), heldUntil,
        droppedWhenFull);
  }

  ChannelStats heldUntil(Instant until) {
    return new ChannelStats(delivered, lastDelivery, lastError, lastErrorAt, Optional.of(until), droppedWhenFull);
  }

  ChannelStats dropped(long n) {
    return new ChannelStats(delivered, lastDelivery, lastError, lastErrorAt, heldUntil, droppedWhenFull + n);
  }

  public boolean heldAt(Instant now) {
    return heldUntil.isPresent() && now.isBefore(heldUntil.get());
  }
}
