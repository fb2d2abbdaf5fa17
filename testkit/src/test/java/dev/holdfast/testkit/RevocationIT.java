package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CRL and ACL updates reach a running broker on SIGHUP; what they do to new and live sessions. */
class RevocationIT {
  private static final int NOT_AUTHORIZED = 0x87;
  private static final String PREFIX = "holdfast/v1/devices/";

  @RegisterExtension
  static final MosquittoExtension BROKER = new MosquittoExtension();

  @Test
  void afterACrlUpdateAndSighupTheRunningBrokerRefusesTheRevokedCertificateOnANewConnection() throws Exception {
    Mosquitto broker = BROKER.broker();
    TestPki pki = BROKER.pki();
    Credentials revoked = pki.device("dev-rrrrrrrrrrrr0001");
    Credentials other = pki.device("dev-oooooooooooo0001");
    Mqtt.connect(broker, pki, revoked).close();
    long pid = broker.pid();

    pki.revoke(revoked);
    broker.hangup();

    assertThat(broker.isRunning()).isTrue();
    assertThat(broker.pid()).isEqualTo(pid);
    Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, () -> Mqtt.connect(broker, pki, revoked));
    try (MqttTestClient stillFine = Mqtt.connect(broker, pki, other)) {
      assertThat(stillFine.isConnected()).isTrue();
    }
  }

  @Test
  void aSessionOpenedBeforeTheRevocationStaysUpUntilTheAclDeniesTheDevice() throws Exception {
    Mosquitto broker = BROKER.broker();
    TestPki pki = BROKER.pki();
    String id = "dev-rrrrrrrrrrrr0002";
    Credentials revoked = pki.device(id);
    try (MqttTestClient live = Mqtt.connect(broker, pki, revoked)) {
      pki.revoke(revoked);
      broker.hangup();
      assertThat(live.publish(PREFIX + id + "/events", bytes("still here"), 1, false))
          .as("the CRL only applies to new TLS handshakes").isLessThan(0x80);

      Files.writeString(broker.files().acl(), "\n# revoked\nuser " + id + "\ntopic deny #\n", StandardOpenOption.APPEND);
      broker.hangup();
      assertThat(live.publish(PREFIX + id + "/events", bytes("cut off"), 1, false)).isEqualTo(NOT_AUTHORIZED);
    }
  }

  @Test
  void anAclDenyAndSighupRefuseTheLiveSessionEverythingButLeaveItConnectedUntilATakeover() throws Exception {
    Mosquitto broker = BROKER.broker();
    TestPki pki = BROKER.pki();
    String id = "dev-rrrrrrrrrrrr0005";
    Credentials revoked = pki.device(id);
    try (MqttTestClient live = Mqtt.connect(broker, pki, revoked)) {
      pki.revoke(revoked);
      Files.writeString(broker.files().acl(), "\n# revoked\nuser " + id + "\ntopic deny #\n", StandardOpenOption.APPEND);
      broker.hangup();
      assertThat(live.publish(PREFIX + id + "/events", bytes("refused"), 1, false)).isEqualTo(NOT_AUTHORIZED);
      Awaitility.await("the denied session to stay connected").during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(3)).until(live::isConnected);

      try (MqttTestClient takeover = Mqtt.connect(broker, pki, pki.device(id))) {
        Awaitility.await("the takeover to end the live session").atMost(Duration.ofSeconds(5))
            .until(() -> !live.isConnected());
        assertThat(takeover.isConnected()).isTrue();
      }
    }
    Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, () -> Mqtt.connect(broker, pki, revoked));
  }

  @Test
  void aCrlPastItsNextUpdateMakesTheBrokerRefuseEveryClientUntilAFreshOneIsLoaded() throws Exception {
    Mosquitto broker = BROKER.broker();
    TestPki pki = BROKER.pki();
    Credentials device = pki.device("dev-eeeeeeeeeeee0003");
    Instant now = Instant.now();
    try {
      pki.writeCrl(now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)));
      broker.hangup();
      Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, () -> Mqtt.connect(broker, pki, device));
      Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, () -> Mqtt.connect(broker, pki, pki.service()));
    } finally {
      pki.writeCrl(now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
      broker.hangup();
    }
    try (MqttTestClient again = Mqtt.connect(broker, pki, device)) {
      assertThat(again.isConnected()).isTrue();
    }
  }

  @Test
  void aSharedSubscriptionIsAuthorizedByTheMessagesTopicNotByTheShareFilter() throws Exception {
    Mosquitto broker = BROKER.broker();
    TestPki pki = BROKER.pki();
    String id = "dev-ssssssssssss0004";
    String shippedAcl = Files.readString(broker.files().acl());
    String share = "$share/holdfast-prov/" + PREFIX + "+/prov/req";
    String common = "pattern readwrite " + PREFIX + "%u/#\nuser holdfast.provisioning\ntopic read " + PREFIX + "+/marker\n";
    try {
      Files.writeString(broker.files().acl(), common + "topic read " + share + "\n");
      broker.hangup();
      assertThat(firstDeliveryToTheService(broker, pki, id, share)).as("granted on the $share filter only")
          .isEqualTo(PREFIX + id + "/marker");

      Files.writeString(broker.files().acl(), common + "topic read " + PREFIX + "+/prov/req\n");
      broker.hangup();
      assertThat(firstDeliveryToTheService(broker, pki, id, share)).as("granted on the real topic")
          .isEqualTo(PREFIX + id + "/prov/req");
    } finally {
      Files.writeString(broker.files().acl(), shippedAcl);
      broker.hangup();
    }
  }

  /** The service subscribes {@code share}; the device sends a request, then a marker the service may read. */
  private static String firstDeliveryToTheService(Mosquitto broker, TestPki pki, String id, String share)
      throws MqttException {
    try (MqttTestClient service = Mqtt.connect(broker, pki, pki.service());
         MqttTestClient device = Mqtt.connect(broker, pki, pki.device(id))) {
      assertThat(service.subscribe(share, 1)).as("mosquitto 2.0.11 grants every SUBSCRIBE").isEqualTo(1);
      assertThat(service.subscribe(PREFIX + id + "/marker", 1)).isEqualTo(1);
      assertThat(device.publish(PREFIX + id + "/prov/req", bytes("renew"), 1, false)).isLessThan(0x80);
      assertThat(device.publish(PREFIX + id + "/marker", bytes("m"), 1, false)).isLessThan(0x80);
      return service.next().topic();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
