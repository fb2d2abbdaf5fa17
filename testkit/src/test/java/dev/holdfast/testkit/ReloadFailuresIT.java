package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measured Mosquitto 2.0.11 behaviour when a file is bad at SIGHUP: it keeps running and fails
 * OPEN. These tests pin that behaviour so whoever writes the CRL and ACL (write temp, check,
 * rename; never delete) knows what a mistake costs, and so a broker upgrade that changes it is noticed.
 */
class ReloadFailuresIT {
  private static final String PREFIX = "holdfast/v1/devices/";
  private static final String A = "dev-aaaaaaaaaaaa0010";
  private static final String B = "dev-bbbbbbbbbbbb0010";

  @TempDir
  Path dir;

  @Test
  void aTruncatedCrlAtSighupIsSkippedAndTheBrokerRunsWithNoCrlAtAll() throws MqttException {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    Credentials revoked = pki.device(A);
    pki.revoke(revoked);
    try (Mosquitto broker = new Mosquitto(pki.brokerFiles(), dir.resolve("broker")).start()) {
      Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, () -> Mqtt.connect(broker, pki, revoked));

      Pem.write(pki.brokerFiles().crl(), "-----BEGIN X509 CRL-----\ntruncated\n");
      broker.hangup();

      try (MqttTestClient admitted = Mqtt.connect(broker, pki, revoked)) {
        assertThat(admitted.isConnected()).as("fails open: the revoked device is back").isTrue();
      }
      assertThat(broker.isRunning()).isTrue();
    }
  }

  @Test
  void anAclFileMissingAtSighupLeavesEveryDeviceFreeToUseEveryTopic() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    try (Mosquitto broker = new Mosquitto(pki.brokerFiles(), dir.resolve("broker")).start()) {
      assertThat(forgedMessageReachesB(broker, pki)).as("with the shipped ACL").isFalse();

      Files.delete(pki.brokerFiles().acl());
      broker.hangup();

      assertThat(broker.log()).contains("Unable to open acl_file");
      assertThat(forgedMessageReachesB(broker, pki)).as("with no ACL file").isTrue();
    }
  }

  @Test
  void anInvalidAclFileAtSighupLeavesEveryDeviceFreeToUseEveryTopic() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    try (Mosquitto broker = new Mosquitto(pki.brokerFiles(), dir.resolve("broker")).start()) {
      Files.writeString(pki.brokerFiles().acl(), "\nnot an acl line\n", StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      broker.hangup();

      assertThat(broker.log()).contains("Invalid line in acl_file");
      assertThat(forgedMessageReachesB(broker, pki)).isTrue();
    }
  }

  /** Device A publishes on B's command topic; true when B receives it. */
  private static boolean forgedMessageReachesB(Mosquitto broker, TestPki pki) throws MqttException {
    try (MqttTestClient deviceA = Mqtt.connect(broker, pki, pki.device(A));
         MqttTestClient deviceB = Mqtt.connect(broker, pki, pki.device(B))) {
      assertThat(deviceB.subscribe(PREFIX + B + "/#", 1)).isEqualTo(1);
      int code = deviceA.publish(PREFIX + B + "/cmd", "forged".getBytes(StandardCharsets.UTF_8), 1, false);
      // B's own message is delivered after A's (if A's was let through): it marks the end of the wait.
      assertThat(deviceB.publish(PREFIX + B + "/marker", new byte[] {1}, 1, false)).isLessThan(0x80);
      deviceB.next();
      boolean delivered = deviceB.received().stream().anyMatch(r -> r.topic().endsWith("/cmd"));
      assertThat(delivered).as("PUBACK %x agrees with the delivery", code).isEqualTo(code < 0x80);
      return delivered;
    }
  }
}
