package dev.holdfast.agent.rotation;

import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvRequest;
import java.time.Duration;

/** How the device asks the provisioning service: over MQTT ({@link MqttRotationLink}), or a test's stand-in. */
public interface ProvisioningChannel {
  /**
   * Sends {@code request} and waits for the answer to it.
   *
   * @throws NoAnswer when it could not be sent or no answer came within {@code timeout}
   */
  ProvAnswer exchange(ProvRequest request, Duration timeout) throws NoAnswer;

  /** Nothing came back: not connected, refused by the broker, or no answer in time. Try again later. */
  final class NoAnswer extends Exception {
    private static final long serialVersionUID = 1L;

    public NoAnswer(String message) {
      super(message);
    }
  }
}
