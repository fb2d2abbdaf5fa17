package dev.holdfast.agent.outbox;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A snapshot for {@code status}: nothing secret (no destination, no body). */
public record OutboxStatus(
    int queued,
    int dead,
    long bytes,
    int maxRecords,
    long maxBytes,
    String whenFull,
    Optional<Duration> oldestAge,
    Map<Channel, ChannelStats> channels) {
  public OutboxStatus {
    channels = Map.copyOf(channels);
  }
}
