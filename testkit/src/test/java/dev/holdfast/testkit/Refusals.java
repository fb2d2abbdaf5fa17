package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Asserts that the broker refused a TLS connection, and why, from its log: the client itself often
 * sees only a reset or broken pipe, because the broker closes right after its alert.
 */
final class Refusals {
  static final String VERIFY_FAILED = "certificate verify failed";
  static final String NO_CERTIFICATE = "peer did not return a certificate";

  private Refusals() {}

  /** {@code connect} must fail, and the broker must log one more {@code reason} line. */
  static void assertRefused(Mosquitto broker, String reason, ThrowingCallable connect) {
    long before = count(broker.log(), reason);
    assertThatThrownBy(connect).isInstanceOf(MqttException.class);
    await("the broker to log " + reason).atMost(MqttTestClient.TIMEOUT)
        .until(() -> count(broker.log(), reason) > before);
  }

  private static long count(String text, String needle) {
    return text.lines().filter(l -> l.contains(needle)).count();
  }
}
