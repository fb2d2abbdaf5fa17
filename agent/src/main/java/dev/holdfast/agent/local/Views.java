package dev.holdfast.agent.local;

import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.ChannelStats;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.outbox.OutboxStatus;
import dev.holdfast.agent.outbox.RecordId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What the local API shows of records and of the outbox: plain values, nothing that can change the queue. */
public final class Views {
  private Views() {}

  /** A record without its destination or body (for {@code list}). */
  public record RecordSummary(RecordId id, Channel channel, int bytes, Instant created, Instant expires, int attempts,
      Instant nextAttempt, boolean dead, Optional<String> lastError) {
    public static RecordSummary of(dev.holdfast.agent.outbox.RecordSummary r) {
      return new RecordSummary(r.id(), r.channel(), r.bytes(), r.created(), r.expires(), r.attempts(),
          r.nextAttempt(), r.dead(), r.lastError());
    }
  }

  /** A whole record, destination and body included (for {@code show} only). */
  public record RecordDetail(RecordSummary summary, String destination, String idempotencyKey, String contentType,
      byte[] body) {
    public static RecordDetail of(OutboxRecord r) {
      return new RecordDetail(RecordSummary.of(r.summary()), r.destination(), r.idempotencyKey(), r.contentType(),
          r.payload());
    }

    @Override
    public String toString() {
      return "RecordDetail[" + summary.id() + ", destination and body redacted]";
    }
  }

  /** One channel in {@code status}. */
  public record ChannelReport(long delivered, Optional<Instant> lastDelivery, Optional<String> lastError,
      Optional<Instant> lastErrorAt, Optional<Instant> credentialsRejectedUntil, long droppedWhenFull) {
    static ChannelReport of(ChannelStats s) {
      return new ChannelReport(s.delivered(), s.lastDelivery(), s.lastError(), s.lastErrorAt(), s.heldUntil(),
          s.droppedWhenFull());
    }
  }

  /** The outbox at a glance; channels in {@link Channel} order. */
  public record StatusReport(int queued, int dead, long bytes, int maxRecords, long maxBytes, String whenFull,
      Optional<Duration> oldestAge, Map<Channel, ChannelReport> channels) {
    public StatusReport {
      channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    }

    public static StatusReport of(OutboxStatus s) {
      Map<Channel, ChannelReport> channels = new LinkedHashMap<>();
      for (Channel c : Channel.values()) {
        channels.put(c, ChannelReport.of(s.channels().get(c)));
      }
      return new StatusReport(s.queued(), s.dead(), s.bytes(), s.maxRecords(), s.maxBytes(), s.whenFull(),
          s.oldestAge(), channels);
    }
  }
}
