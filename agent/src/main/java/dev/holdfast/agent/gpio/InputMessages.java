package dev.holdfast.agent.gpio;

import dev.holdfast.agent.config.GpioInput;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.OutboxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/** The message a firing queues: the input's templates filled in. Pure. */
public final class InputMessages {
  /** UTC with milliseconds, fixed width: 2026-03-01T08:15:02.250Z. */
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private InputMessages() {}

  /** The values of the placeholders for {@code firing} on device {@code deviceId}. */
  public static Map<String, String> values(Firing firing, String deviceId) {
    GpioInput input = firing.input();
    return Map.of(
        "name", input.name(),
        "pin", Integer.toString(input.pin()),
        "edge", firing.edge().wireName(),
        "time", TIME.format(firing.time()),
        "device", deviceId,
        "repeat", Integer.toString(firing.repeat()),
        "window", TIME.format(window(firing.time(), input.debounce().toMillis())));
  }

  /**
   * The start of the debounce window {@code time} falls in: windows are {@code debounce} long,
   * counted from the epoch, so every firing inside one window renders the same {@code {window}}.
   */
  static Instant window(Instant time, long debounceMillis) {
    if (debounceMillis <= 0) {
      return time;
    }
    long ms = time.toEpochMilli();
    return Instant.ofEpochMilli(Math.floorDiv(ms, debounceMillis) * debounceMillis);
  }

  public static NewMessage render(Firing firing, String deviceId) {
    GpioInput input = firing.input();
    Map<String, String> values = values(firing, deviceId);
    Channel channel = Channel.fromWire(input.channel());
    return new NewMessage(channel, input.to(), input.body().render(values).getBytes(StandardCharsets.UTF_8),
        channel == Channel.SMS ? NewMessage.SMS_CONTENT_TYPE : input.contentType(),
        input.idempotencyKey().map(k -> k.render(values)), Optional.empty());
  }

  /**
   * Checks at start that the input's messages would be accepted (destination, body size), so a
   * typo in {@code to} stops the agent instead of every press of the button.
   */
  public static void check(GpioInput input, long maxBodyBytes) throws GpioException {
    Firing sample = new Firing(input, input.edge() == dev.holdfast.agent.config.GpioSettings.Edge.RISING
        ? dev.holdfast.agent.config.GpioSettings.Edge.RISING : dev.holdfast.agent.config.GpioSettings.Edge.FALLING,
        Instant.parse("2026-12-31T23:59:59.999Z"), 999_999);
    try {
      // the longest device id the fleet issues
      render(sample, "dev-" + "0".repeat(60)).validate(maxBodyBytes);
    } catch (OutboxException e) {
      throw new GpioException(GpioException.Reason.BAD_MESSAGE, "gpio.input." + input.name() + " (channel "
          + input.channel() + ", to '" + input.to() + "'): its message would be refused: " + e.getMessage()
          + "; fix gpio.input." + input.name() + ".to or .body");
    }
  }
}
