package dev.holdfast.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.config.HealthSettings;
import dev.holdfast.agent.link.LinkState;
import dev.holdfast.agent.link.LinkStatus;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.ChannelStats;
import dev.holdfast.agent.outbox.OutboxStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthPolicyTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final HealthSettings SETTINGS = new HealthSettings(Duration.ofMinutes(15), 8000);

  static OutboxStatus outbox(int queued, int dead, Map<Channel, ChannelStats> channels) {
    Map<Channel, ChannelStats> all = new EnumMap<>(Channel.class);
    for (Channel c : Channel.values()) {
      all.put(c, channels.getOrDefault(c, ChannelStats.EMPTY));
    }
    return new OutboxStatus(queued, dead, 0, 10_000, 1 << 26, "refuse", Optional.empty(), all);
  }

  static LinkStatus down(Duration forHowLong) {
    return new LinkStatus(LinkState.WAITING, NOW.minusSeconds(3), Optional.of(NOW.minus(forHowLong)),
        Optional.of("could not connect: Received fatal alert: certificate_revoked"), Optional.of(NOW.minusSeconds(3)), 9);
  }

  @Test
  void aRunningAgentWithItsLinkUpAndRoomInTheOutboxIsHealthy() {
    LinkStatus up = new LinkStatus(LinkState.CONNECTED, NOW.minusSeconds(60), Optional.empty(), Optional.empty(),
        Optional.empty(), 0);
    assertThat(HealthPolicy.problems(outbox(7999, 0, Map.of()), Optional.of(up), List.of(), SETTINGS, NOW)).isEmpty();
    assertThat(HealthPolicy.problems(outbox(0, 0, Map.of()), Optional.empty(), List.of(), SETTINGS, NOW)).isEmpty();
  }

  @Test
  void aLinkDownLongerThanTheThresholdIsAProblemNamingItsLastError() {
    assertThat(HealthPolicy.problems(outbox(0, 0, Map.of()), Optional.of(down(Duration.ofMinutes(14))), List.of(),
        SETTINGS, NOW)).isEmpty();
    assertThat(HealthPolicy.problems(outbox(0, 0, Map.of()), Optional.of(down(Duration.ofMinutes(16))), List.of(),
        SETTINGS, NOW)).singleElement().asString()
        .startsWith("mqtt link down for 16m (since 2026-03-01T11:44:00Z")
        .endsWith("last error: could not connect: Received fatal alert: certificate_revoked");
  }

  @Test
  void rejectedCredentialsAFullingOutboxAndAStuckPartAreEachAProblem() {
    ChannelStats held = ChannelStats.EMPTY;
    Map<Channel, ChannelStats> channels = Map.of(Channel.SMS, new ChannelStats(3, Optional.empty(),
        Optional.of("HTTP 401"), Optional.of(NOW), Optional.of(NOW.plusSeconds(60)), 0), Channel.WEBHOOK, held);
    List<String> problems = HealthPolicy.problems(outbox(7000, 1000, channels), Optional.empty(),
        List.of("dispatcher"), SETTINGS, NOW);
    assertThat(problems).hasSize(3);
    assertThat(problems.get(0)).startsWith("not answering: dispatcher");
    assertThat(problems.get(1)).startsWith("credentials rejected on channel sms (held until 2026-03-01T12:01:00Z");
    assertThat(problems.get(2)).startsWith("the outbox holds 8000 records (1000 dead), at or above health.max-queued = 8000");
  }

  @Test
  void durationsReadAsAPersonWouldSayThem() {
    assertThat(HealthPolicy.human(Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(HealthPolicy.human(Duration.ofSeconds(95))).isEqualTo("1m35s");
    assertThat(HealthPolicy.human(Duration.ofMinutes(15))).isEqualTo("15m");
    assertThat(HealthPolicy.human(Duration.ofMinutes(125))).isEqualTo("2h5m");
    assertThat(HealthPolicy.human(Duration.ofHours(74))).isEqualTo("3d2h");
  }
}
