package dev.holdfast.agent.delivery;

import dev.holdfast.agent.outbox.Sender;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import java.util.Optional;

/**
 * What a sender answers when a setting or a secret it needs is missing: retry (the record waits,
 * the reason shows in {@code status} saying what to set), never a dead letter — fixing the
 * configuration must be enough to get the queue moving.
 */
public final class NotConfigured {
  /** The vault secret that holds the relay API key until enrollment stores it with the identity. */
  public static final String RELAY_API_KEY_SECRET = "relay-api-key";
  /** The vault secret that holds the Twilio auth token. */
  public static final String TWILIO_AUTH_TOKEN_SECRET = "twilio-auth-token";

  private NotConfigured() {}

  static DeliveryOutcome retry(String whatToDo) {
    return new DeliveryOutcome.Retry("not configured: " + whatToDo, Optional.empty());
  }

  /** Records of the {@code mqtt} channel wait here until the device is enrolled and has an MQTT link. */
  public static final Sender NO_MQTT_LINK = record ->
      retry("no MQTT link: enroll the device and set mqtt.broker (records wait in the outbox until then)");
}
