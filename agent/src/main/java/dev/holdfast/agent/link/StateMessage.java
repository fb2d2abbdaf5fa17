package dev.holdfast.agent.link;

import dev.holdfast.protocol.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The retained JSON on {@code holdfast/v1/devices/{id}/state} (docs/link.md lists the fields).
 * {@link #content} leaves out the publication time, so two states can be compared for a change.
 */
public final class StateMessage {
  static final int VERSION = 1;

  private StateMessage() {}

  /** The fields that describe the device, without {@code at}. */
  static Map<String, Object> content(String deviceId, boolean online, DeviceState s, Optional<String> pong) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.put("device", deviceId);
    m.put("online", online);
    m.put("version", s.version());
    m.put("cert_not_after", s.certificateNotAfter().map(Instant::toString).orElse(null));
    m.put("api_key_expires", s.apiKeyExpires().map(Instant::toString).orElse(null));
    m.put("outbox_depth", s.outboxDepth());
    m.put("last_delivery", s.lastDelivery().map(Instant::toString).orElse(null));
    pong.ifPresent(p -> m.put("pong", p));
    return m;
  }

  /** The whole message: {@code content} plus {@code at}, the time of publication. */
  static byte[] json(Map<String, Object> content, Instant at) {
    Map<String, Object> m = new LinkedHashMap<>(content);
    m.put("at", at.toString());
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }

  /** The last will: the broker publishes it (retained) when the connection dies without DISCONNECT. */
  static byte[] will(String deviceId, String version) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.put("device", deviceId);
    m.put("online", false);
    m.put("version", version);
    m.put("reason", "connection lost");
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }
}
