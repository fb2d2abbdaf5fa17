package dev.holdfast.agent.service;

import dev.holdfast.agent.config.HealthSettings;
import dev.holdfast.agent.link.LinkState;
import dev.holdfast.agent.link.LinkStatus;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.ChannelStats;
import dev.holdfast.agent.outbox.OutboxStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the running agent is healthy, as {@code holdfast-agent status} reports it and exits on:
 * each problem is one sentence a person can act on; no problem means healthy.
 */
public final class HealthPolicy {
  private HealthPolicy() {}

  /**
   * @param stuck parts that did not answer the last liveness probe ({@link Liveness})
   * @param link empty when the agent has no MQTT link (not enrolled, or no {@code mqtt.broker})
   */
  public static List<String> problems(OutboxStatus outbox, Optional<LinkStatus> link, List<String> stuck,
      HealthSettings settings, Instant now) {
    List<String> problems = new ArrayList<>();
    if (!stuck.isEmpty()) {
      problems.add("not answering: " + String.join(", ", stuck) + " (the watchdog restarts a hung agent)");
    }
    link.ifPresent(l -> linkDown(l, settings.linkDownAfter(), now).ifPresent(problems::add));
    for (Map.Entry<Channel, ChannelStats> c : outbox.channels().entrySet()) {
      if (c.getValue().heldAt(now)) {
        problems.add("credentials rejected on channel " + c.getKey().wireName() + " (held until "
            + c.getValue().heldUntil().orElseThrow() + "; check the device's API key)");
      }
    }
    int records = outbox.queued() + outbox.dead();
    if (records >= settings.maxQueued()) {
      problems.add("the outbox holds " + records + " records (" + outbox.dead() + " dead), at or above health.max-queued = "
          + settings.maxQueued() + " of outbox.max-records = " + outbox.maxRecords());
    }
    return problems;
  }

  private static Optional<String> linkDown(LinkStatus link, Duration allowed, Instant now) {
    if (link.state() == LinkState.CONNECTED || link.downSince().isEmpty()) {
      return Optional.empty();
    }
    Duration down = Duration.between(link.downSince().get(), now);
    if (down.compareTo(allowed) < 0) {
      return Optional.empty();
    }
    return Optional.of("mqtt link down for " + human(down) + " (since " + link.downSince().get()
        + ", health.link-down-after = " + human(allowed) + ")"
        + link.lastError().map(e -> "; last error: " + e).orElse(""));
  }

  /** 95 s as "1m35s", 3 days as "3d0h". */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    }
    if (s < 86_400) {
      return s / 3600 + "h" + (s % 3600) / 60 + "m";
    }
    return s / 86_400 + "d" + (s % 86_400) / 3600 + "h";
  }
}
