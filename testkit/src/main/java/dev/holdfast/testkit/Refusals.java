package dev.holdfast.testkit;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Asserts that the broker refused a TLS connection, and why, from its log: the client itself often
 * sees only a reset or broken pipe, because the broker closes right after its alert. Pair it with a
 * control client that still connects, so the refusal is known to be about the certificate.
 */
public final class Refusals {
  /** Logged for a certificate from an unknown CA, expired, revoked, or checked against a stale CRL. */
  public static final String VERIFY_FAILED = "certificate verify failed";
  /** Logged for a client that sent no certificate (the test broker's own readiness probes do too). */
  public static final String NO_CERTIFICATE = "peer did not return a certificate";
  private static final Duration LOG_DEADLINE = MqttTestClient.TIMEOUT;

  private Refusals() {}

  /** A connection attempt expected to fail. */
  @FunctionalInterface
  public interface Attempt {
    void connect() throws Exception;
  }

  /**
   * {@code attempt} must fail with an {@link MqttException}, and the broker must log one more line
   * containing {@code reason} (within {@link MqttTestClient#TIMEOUT}); otherwise an {@link AssertionError}.
   */
  public static void assertRefused(Mosquitto broker, String reason, Attempt attempt) {
    long before = count(broker.log(), reason);
    try {
      attempt.connect();
    } catch (MqttException expected) {
      Awaitility.await("the broker to log '" + reason + "'").atMost(LOG_DEADLINE)
          .until(() -> count(broker.log(), reason) > before);
      return;
    } catch (Exception e) {
      throw new AssertionError("expected the broker to refuse the connection (MqttException), got " + e, e);
    }
    throw new AssertionError("the broker accepted a connection it should have refused (" + reason + ")");
  }

  private static long count(String text, String needle) {
    return text.lines().filter(l -> l.contains(needle)).count();
  }
}
