package dev.holdfast.agent.link;

import java.time.Duration;
import java.util.Map;

/** Publishes one QoS 1 message on the link's current connection and waits for its PUBACK. */
public interface Publisher {
  /**
   * Blocks until the PUBACK arrives or {@code timeout} passes. Never throws for anything the
   * network or the broker does: every such result is a {@link PublishResult}.
   *
   * @param userProperties MQTT v5 user properties sent with the message
   */
  PublishResult publish(String topic, byte[] payload, String contentType, Map<String, String> userProperties,
      Duration timeout);
}
