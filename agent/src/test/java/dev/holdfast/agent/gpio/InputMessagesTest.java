package dev.holdfast.agent.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.agent.config.GpioInput;
import dev.holdfast.agent.config.GpioSettings;
import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.Outbox;
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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The message a firing queues, and the idempotency key that stops a second one inside its window. */
class InputMessagesTest {
  @TempDir Path dir;
  static final Instant T = Instant.parse("2026-03-01T08:15:02.250Z");

  GpioInput input(String more) throws Exception {
    return GpioFixtures.settings(dir, """
        gpio.input.door.pin = 17
        gpio.input.door.debounce = 50ms
        """ + more).inputs().get(0);
  }

  @Test
  void anSmsBodyNamesTheInputEdgePinTimeAndDevice() throws Exception {
    NewMessage m = InputMessages.render(new Firing(input("gpio.input.door.channel = sms\ngpio.input.door.to = "
        + "+15551234567\n"), GpioSettings.Edge.FALLING, T, 0), "dev-abc");
    assertThat(m.channel()).isEqualTo(Channel.SMS);
    assertThat(m.destination()).isEqualTo("+15551234567");
    assertThat(new String(m.body(), StandardCharsets.UTF_8))
        .isEqualTo("door: falling edge on GPIO 17 at 2026-03-01T08:15:02.250Z (device dev-abc)");
    assertThat(m.idempotencyKey()).isEmpty();
  }

  @Test
  void aWebhookGetsJsonAndACustomTemplateWithItsKey() throws Exception {
    GpioInput webhook = input("""
        gpio.input.door.channel = webhook
        gpio.input.door.to = https://example.com/hook
        gpio.input.door.idempotency-key = {device}-{name}-{edge}-{window}
        """);
    NewMessage m = InputMessages.render(new Firing(webhook, GpioSettings.Edge.RISING, T, 2), "dev-abc");
    assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("{\"input\":\"door\",\"pin\":17,\"edge\":"
        + "\"rising\",\"time\":\"2026-03-01T08:15:02.250Z\",\"device\":\"dev-abc\",\"repeat\":2}");
    assertThat(m.contentType()).isEqualTo("application/json");
    assertThat(m.idempotencyKey()).contains("dev-abc-door-rising-2026-03-01T08:15:02.250Z");
  }

  @Test
  void theWindowIsTheDebounceLongSliceOfTimeAFiringFallsIn() {
    assertThat(InputMessages.window(Instant.parse("2026-03-01T08:15:02.274Z"), 50))
        .isEqualTo(Instant.parse("2026-03-01T08:15:02.250Z"));
    assertThat(InputMessages.window(Instant.parse("2026-03-01T08:15:02.299Z"), 50))
        .isEqualTo(Instant.parse("2026-03-01T08:15:02.250Z"));
    assertThat(InputMessages.window(Instant.parse("2026-03-01T08:15:02.300Z"), 50))
        .isEqualTo(Instant.parse("2026-03-01T08:15:02.300Z"));
    assertThat(InputMessages.window(T, 0)).isEqualTo(T);
  }

  @Test
  void aDestinationTheOutboxWouldRefuseIsAnErrorAtStartNamingTheInput() throws Exception {
    GpioInput bad = input("gpio.input.door.channel = sms\ngpio.input.door.to = 5551234\n");
    assertThatThrownBy(() -> InputMessages.check(bad, 4096))
        .isInstanceOfSatisfying(GpioException.class, e -> assertThat(e.reason())
            .isEqualTo(GpioException.Reason.BAD_MESSAGE))
        .hasMessage("gpio.input.door (channel sms, to '5551234'): its message would be refused: 'to' must be an "
            + "E.164 phone number such as +15551234567; fix gpio.input.door.to or .body");
    GpioInput big = input("gpio.input.door.channel = mqtt\ngpio.input.door.to = events/door\n"
        + "gpio.input.door.body = " + "x".repeat(200) + "\n");
    assertThatThrownBy(() -> InputMessages.check(big, 100)).hasMessageContaining("outbox.max-body-bytes");
  }

  @Test
  void aSecondFiringInsideTheKeysWindowIsNotQueuedTwice() throws Exception {
    GpioInput door = input("""
        gpio.input.door.channel = sms
        gpio.input.door.to = +15551234567
        gpio.input.door.idempotency-key = {name}-{edge}-{window}
        """);
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 9);
    MutableClock clock = MutableClock.atTheStartOf2026();
    try (Vault vault = Vault.create(dir.resolve("agent.db"), MasterKeySource.ofKey(Secret.wrap(key), "test"),
            new SecureRandom());
        Outbox outbox = Outbox.open(vault, new OutboxSettings(100, 1 << 20, 4096, OutboxSettings.WhenFull.REFUSE,
            Duration.ofHours(1), 1, Duration.ofSeconds(1), Duration.ofMinutes(1)), clock, new SplittableRandom(1))) {
      InputSender sender = new InputSender(outbox, () -> "dev-abc", Runnable::run);
      sender.accept(new Firing(door, GpioSettings.Edge.FALLING, Instant.parse("2026-03-01T08:15:02.251Z"), 0));
      sender.accept(new Firing(door, GpioSettings.Edge.FALLING, Instant.parse("2026-03-01T08:15:02.290Z"), 0));
      assertThat(outbox.list(false)).as("same window: the second is refused as a conflict").hasSize(1);

      sender.accept(new Firing(door, GpioSettings.Edge.FALLING, Instant.parse("2026-03-01T08:15:02.301Z"), 0));
      assertThat(outbox.list(false)).as("the next window").hasSize(2);
      assertThat(outbox.list(false)).extracting(r -> outbox.find(r.id()).orElseThrow().idempotencyKey())
          .containsExactly("door-falling-2026-03-01T08:15:02.250Z", "door-falling-2026-03-01T08:15:02.300Z");
    }
  }
}
