package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.json.Json;
import dev.holdfast.protocol.json.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The retained JSON a device publishes on {@code holdfast/v1/devices/{id}/state} (docs/link.md lists
 * the fields); nothing in it is secret. Equal messages describe the same state: the publication
 * time ({@code at}) is added only by {@link #toJson}, so a device can tell a real change from a
 * republication. The service reads the {@code pong} field to time a ping ({@link #pongOf}).
 *
 * @param version the agent's version
 * @param certificateNotAfter when the device certificate in use expires
 * @param apiKeyExpires when the device's API key expires
 * @param outboxDepth records queued (dead letters not counted)
 * @param lastDelivery when a record last left the device, on any channel
 * @param pong the id of the last ping command answered, once there was one
 */
public record StateMessage(String device, boolean online, String version, Optional<Instant> certificateNotAfter,
    Optional<Instant> apiKeyExpires, long outboxDepth, Optional<Instant> lastDelivery, Optional<String> pong) {
  public static final int VERSION = 1;

  public StateMessage {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(certificateNotAfter, "certificateNotAfter");
    Objects.requireNonNull(apiKeyExpires, "apiKeyExpires");
    Objects.requireNonNull(lastDelivery, "lastDelivery");
    Objects.requireNonNull(pong, "pong");
  }

  /** The message published at {@code at}. */
  public byte[] toJson(Instant at) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.put("device", device);
    m.put("online", online);
    m.put("version", version);
    m.put("cert_not_after", certificateNotAfter.map(Instant::toString).orElse(null));
    m.put("api_key_expires", apiKeyExpires.map(Instant::toString).orElse(null));
    m.put("outbox_depth", outboxDepth);
    m.put("last_delivery", lastDelivery.map(Instant::toString).orElse(null));
    pong.ifPresent(p -> m.put("pong", p));
    m.put("at", at.toString());
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }

  /** The last will: the broker publishes it (retained) when the connection dies without DISCONNECT. */
  public static byte[] will(String deviceId, String version) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.put("device", deviceId);
    m.put("online", false);
    m.put("version", version);
    m.put("reason", "connection lost");
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }

  /** The {@code pong} field of a state message, if it is JSON with one. */
  public static Optional<String> pongOf(byte[] payload) {
    return field(payload, "pong").filter(String.class::isInstance).map(String.class::cast);
  }

  /** The {@code online} field of a state message, if it is JSON with one. */
  public static Optional<Boolean> onlineOf(byte[] payload) {
    return field(payload, "online").filter(Boolean.class::isInstance).map(Boolean.class::cast);
  }

  private static Optional<Object> field(byte[] payload, String name) {
    try {
      Object parsed = JsonParser.parse(new String(payload, StandardCharsets.UTF_8));
      return parsed instanceof Map<?, ?> m ? Optional.ofNullable(m.get(name)) : Optional.empty();
    } catch (JsonParser.JsonException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
