package dev.holdfast.agent.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One input ({@code gpio.input.NAME.*}): a pin whose debounced edges queue a message.
 *
 * @param name the NAME in the keys, also {@code {name}} in the templates
 * @param pin the GPIO (BCM) number
 * @param debounce how long the level must stay before a change counts (0: every change counts)
 * @param repeat while the level an edge reached is held, queue the message again this often
 * @param channel {@code sms}, {@code webhook} or {@code mqtt}
 * @param to the phone number, URL or events topic
 * @param contentType of webhook and mqtt bodies
 * @param idempotencyKey the key template; empty for a new random key per message
 */
public record GpioInput(
    String name,
    int pin,
    GpioSettings.Pull pull,
    GpioSettings.Edge edge,
    Duration debounce,
    Optional<Duration> repeat,
    String channel,
    String to,
    MessageTemplate body,
    String contentType,
    Optional<MessageTemplate> idempotencyKey) {

  /** The placeholders a body or key template may use. */
  public static final Set<String> PLACEHOLDERS = Set.of("name", "pin", "edge", "time", "device", "repeat", "window");

  public static final String DEFAULT_SMS_BODY = "{name}: {edge} edge on GPIO {pin} at {time} (device {device})";
  public static final String DEFAULT_JSON_BODY = "{\"input\":\"{name}\",\"pin\":{pin},\"edge\":\"{edge}\","
      + "\"time\":\"{time}\",\"device\":\"{device}\",\"repeat\":{repeat}}";

  public GpioInput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pull, key(name, "pull"));
    Objects.requireNonNull(edge, key(name, "edge"));
    if (debounce.isNegative() || debounce.compareTo(GpioSettings.MAX_DEBOUNCE) > 0) {
      throw new IllegalArgumentException(key(name, "debounce") + " must be from 0ms to 10s, got " + debounce);
    }
    if (repeat.isPresent()) {
      if (repeat.get().compareTo(GpioSettings.MIN_REPEAT) < 0) {
        throw new IllegalArgumentException(key(name, "repeat") + " must be 'off' or at least 1s, got " + repeat.get());
      }
      if (edge == GpioSettings.Edge.BOTH) {
        throw new IllegalArgumentException(key(name, "repeat") + " needs " + key(name, "edge")
            + " = rising or falling: with both, every level is 'held'");
      }
    }
    Objects.requireNonNull(channel, key(name, "channel"));
    Objects.requireNonNull(to, key(name, "to"));
    Objects.requireNonNull(body, key(name, "body"));
    Objects.requireNonNull(contentType, key(name, "content-type"));
    Objects.requireNonNull(idempotencyKey, key(name, "idempotency-key"));
  }

  /** {@code gpio.input.NAME.FIELD}. */
  public static String key(String name, String field) {
    return "gpio.input." + name + "." + field;
  }
}
