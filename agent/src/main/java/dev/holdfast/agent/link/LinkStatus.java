package dev.holdfast.agent.link;

import java.time.Instant;
import java.util.Optional;

/**
 * What {@code status} shows of the link: where it is and since when, and the last reason a
 * connection failed or dropped (kept after a reconnect, with its time, so a flapping link shows).
 *
 * @param since when the link entered {@code state}
 * @param downSince when the link was last connected or started, while it is not connected now
 * @param failures failed attempts in a row (0 while connected)
 */
public record LinkStatus(
    LinkState state,
    Instant since,
    Optional<Instant> downSince,
    Optional<String> lastError,
    Optional<Instant> lastErrorAt,
    int failures) {

  static LinkStatus started(Instant now) {
    return new LinkStatus(LinkState.NEW, now, Optional.of(now), Optional.empty(), Optional.empty(), 0);
  }

  LinkStatus moved(LinkState next, Instant now) {
    Optional<Instant> down = next == LinkState.CONNECTED ? Optional.empty() : downSince.or(() -> Optional.of(now));
    return new LinkStatus(next, now, down, lastError, lastErrorAt, next == LinkState.CONNECTED ? 0 : failures);
  }

  LinkStatus failed(String reason, Instant now, int failuresInRow) {
    return new LinkStatus(state, since, downSince.or(() -> Optional.of(now)), Optional.of(reason), Optional.of(now),
        failuresInRow);
  }
}
