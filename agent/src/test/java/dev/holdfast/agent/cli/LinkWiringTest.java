package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.config.LinkSettings;
import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.delivery.NotConfigured;
import dev.holdfast.agent.link.DeviceState;
import dev.holdfast.agent.link.StateSource;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.RetryPolicy;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkWiringTest {
  @TempDir Path dir;

  @Test
  void theStateShowsTheOutboxDepthTheLastDeliveryAndTheIdentityExpiries() throws Exception {
    MutableClock clock = MutableClock.atTheStartOf2026();
    OutboxSettings settings = new OutboxSettings(100, 1 << 20, 1024, OutboxSettings.WhenFull.REFUSE,
        Duration.ofHours(1), 1, Duration.ofSeconds(1), Duration.ofMinutes(1));
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 5);
    Instant notAfter = Instant.parse("2026-06-01T00:00:00Z");
    try (Vault vault = Vault.create(dir.resolve("agent.db"), MasterKeySource.ofKey(Secret.wrap(key), "test key"),
        new SecureRandom());
        Outbox outbox = Outbox.open(vault, settings, clock, new SplittableRandom(1))) {
      StateSource source = LinkWiring.state(outbox, () -> Optional.of(notAfter), Optional::empty);
      for (int i = 0; i < 2; i++) {
        outbox.enqueue(new NewMessage(Channel.MQTT, "events", "{}".getBytes(StandardCharsets.UTF_8),
            "application/json", Optional.empty(), Optional.empty()));
      }
      assertThat(source.current()).isEqualTo(
          new DeviceState("dev", Optional.of(notAfter), Optional.empty(), 2, Optional.empty()));

      clock.advance(Duration.ofMinutes(3));
      outbox.recordOutcome(outbox.find(outbox.list(false).get(0).id()).orElseThrow(), new DeliveryOutcome.Delivered("PUBACK 0x00"),
          new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1)));
      DeviceState after = source.current();
      assertThat(after.outboxDepth()).isEqualTo(1);
      assertThat(after.lastDelivery()).contains(clock.instant());
    }
  }

  @Test
  void withoutABrokerThereIsNoLinkAndMqttRecordsWait() {
    LinkSettings none = LinkSettings.defaults(Optional.empty());
    assertThat(LinkWiring.start(none, "dev-0000000000000001", null, null, LinkWiring.Commands.inMemory(), null,
        MutableClock.atTheStartOf2026(), new SplittableRandom(1))).isEmpty();
    assertThat(LinkWiring.sender(Optional.empty(), none)).isSameAs(NotConfigured.NO_MQTT_LINK);
  }
}
