package dev.holdfast.agent.delivery;

import dev.holdfast.agent.link.Publisher;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.outbox.Sender;
import dev.holdfast.protocol.messages.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes {@code mqtt} records, QoS 1, on the device's events topic: destination {@code events}
 * is {@code holdfast/v1/devices/{id}/events}, {@code events/door} is {@code .../events/door}. The
 * record's idempotency key goes with every attempt as the v5 user property {@code
 * idempotency-key}, and its content type as the v5 content type. The PUBACK decides the outcome
 * ({@link MqttOutcomes}).
 */
public final class MqttSender implements Sender {
  /** The MQTT v5 user property that carries the record's idempotency key. */
  public static final String IDEMPOTENCY_KEY = "idempotency-key";

  private final Publisher publisher;
  private final String deviceId;
  private final Duration timeout;

  /**
   * @param deviceId whose events topic records go to (the link's own device)
   * @param timeout how long to wait for each PUBACK (mqtt.timeout)
   */
  public MqttSender(Publisher publisher, String deviceId, Duration timeout) {
    this.publisher = publisher;
    this.deviceId = deviceId;
    this.timeout = timeout;
  }

  @Override
  public DeliveryOutcome send(OutboxRecord record) {
    Optional<String> topic = topic(deviceId, record.destination());
    if (topic.isEmpty()) {
      return new DeliveryOutcome.Permanent("an mqtt record goes to 'events' or 'events/<sub-topic>', not to '"
          + record.destination() + "'");
    }
    return MqttOutcomes.of(publisher.publish(topic.get(), record.payload(), record.contentType(),
        Map.of(IDEMPOTENCY_KEY, record.idempotencyKey()), timeout));
  }

  /** The full topic of an mqtt record's destination, if it is one a device may publish events on. */
  public static Optional<String> topic(String deviceId, String destination) {
    if (destination.equals("events") || destination.startsWith("events/")) {
      return Optional.of(Topics.events(deviceId) + destination.substring("events".length()));
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "MqttSender";
  }
}
