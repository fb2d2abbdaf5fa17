package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shipped ACL, through a real broker: each device is confined to its own subtree. */
@ExtendWith(MosquittoExtension.class)
class TopicAccessIT {
  private static final int NOT_AUTHORIZED = 0x87;
  private static final String PREFIX = "holdfast/v1/devices/";

  @Test
  void aDevicePublishingToAnotherDevicesTopicGetsNotAuthorizedAndNothingIsDelivered(Mosquitto broker, TestPki pki)
      throws MqttException {
    String a = "dev-aaaaaaaaaaaa0001";
    String b = "dev-bbbbbbbbbbbb0001";
    try (MqttTestClient deviceA = Mqtt.connect(broker, pki, pki.device(a));
         MqttTestClient service = Mqtt.connect(broker, pki, pki.service())) {
      assertThat(service.subscribe(PREFIX + "+/events", 1)).isEqualTo(1);

      assertThat(deviceA.publish(PREFIX + b + "/events", bytes("forged"), 1, false)).isEqualTo(NOT_AUTHORIZED);
      assertThat(deviceA.publish(PREFIX + b + "/prov/req", bytes("forged"), 1, false)).isEqualTo(NOT_AUTHORIZED);
      assertThat(deviceA.publish(PREFIX + a + "/events", bytes("own"), 1, false)).isLessThan(0x80);

      Received first = service.next();
      assertThat(first.topic()).as("the first message the service sees is A's own").isEqualTo(PREFIX + a + "/events");
      assertThat(first.text()).isEqualTo("own");
    }
  }

  @Test
  void aDeviceOutsideTheDeviceTreeIsRefusedToo(Mosquitto broker, TestPki pki) throws MqttException {
    try (MqttTestClient device = Mqtt.connect(broker, pki, pki.device("dev-aaaaaaaaaaaa0002"))) {
      assertThat(device.publish("elsewhere/topic", bytes("x"), 1, false)).isEqualTo(NOT_AUTHORIZED);
      assertThat(device.publish("$SYS/broker/fake", bytes("x"), 1, false)).isEqualTo(NOT_AUTHORIZED);
    }
  }

  @Test
  void aDeviceSubscribingToAnotherDevicesTopicsIsGrantedButReceivesNothingOfTheirs(Mosquitto broker, TestPki pki)
      throws MqttException {
    String a = "dev-aaaaaaaaaaaa0003";
    String b = "dev-bbbbbbbbbbbb0003";
    try (MqttTestClient deviceA = Mqtt.connect(broker, pki, pki.device(a));
         MqttTestClient deviceB = Mqtt.connect(broker, pki, pki.device(b));
         MqttTestClient control = Mqtt.connect(broker, pki, pki.service())) {
      assertThat(deviceA.subscribe(PREFIX + b + "/#", 1)).as("SUBACK for B's subtree").isEqualTo(1);
      assertThat(deviceA.subscribe(PREFIX + "+/events", 1)).as("SUBACK for everyone's events").isEqualTo(1);
      assertThat(deviceA.subscribe("$share/spy/" + PREFIX + b + "/events", 1)).as("SUBACK for a shared spy")
          .isLessThan(0x80);
      assertThat(deviceA.subscribe(PREFIX + a + "/marker", 1)).isEqualTo(1);
      assertThat(control.subscribe(PREFIX + b + "/events", 1)).isEqualTo(1);

      assertThat(deviceB.publish(PREFIX + b + "/events", bytes("B's secret"), 1, false)).isZero();
      assertThat(control.next().text()).as("the control subscriber gets B's message").isEqualTo("B's secret");
      // A's own message is queued to A after anything of B's would have been: once it arrives, A has seen all.
      assertThat(deviceA.publish(PREFIX + a + "/marker", bytes("marker"), 1, false)).isZero();

      assertThat(deviceA.next().text()).isEqualTo("marker");
      assertThat(deviceA.received()).extracting(Received::topic).containsExactly(PREFIX + a + "/marker");
    }
  }

  @Test
  void aDeviceAskingForAnotherDevicesClientIdDoesNotDisconnectIt(Mosquitto broker, TestPki pki) throws MqttException {
    String a = "dev-aaaaaaaaaaaa0004";
    String b = "dev-bbbbbbbbbbbb0004";
    try (MqttTestClient deviceB = Mqtt.connect(broker, pki, pki.device(b));
         MqttTestClient deviceA = Mqtt.connect(broker, pki, pki.device(a), b)) {
      assertThat(deviceA.isConnected()).isTrue();
      // B's round trip after A's CONNACK proves B's session survived A's connect.
      assertThat(deviceB.publish(PREFIX + b + "/state", bytes("up"), 1, false)).isLessThan(0x80);
      assertThat(deviceB.isConnected()).as(broker.log()).isTrue();
      assertThat(deviceB.disconnectReason()).isNull();
      assertThat(broker.log()).contains("New client connected from 127.0.0.1").contains(" as " + a + " ")
          .doesNotContain("Client " + b + " already connected, closing old connection");
    }
  }

  @Test
  void theServiceReceivesADevicesRequestThroughTheSharedSubscriptionAndCanAnswerAndCommand(
      Mosquitto broker, TestPki pki) throws MqttException {
    String d = "dev-dddddddddddd0005";
    try (MqttTestClient service = Mqtt.connect(broker, pki, pki.service());
         MqttTestClient device = Mqtt.connect(broker, pki, pki.device(d))) {
      assertThat(service.subscribe("$share/holdfast-prov/" + PREFIX + "+/prov/req", 1)).isEqualTo(1);
      assertThat(device.subscribe(PREFIX + d + "/prov/res", 1)).isEqualTo(1);
      assertThat(device.subscribe(PREFIX + d + "/cmd", 1)).isEqualTo(1);

      assertThat(device.publish(PREFIX + d + "/prov/req", bytes("renew"), 1, false)).isZero();
      Received request = service.next();
      assertThat(request.topic()).isEqualTo(PREFIX + d + "/prov/req");
      assertThat(request.text()).isEqualTo("renew");

      assertThat(service.publish(PREFIX + d + "/prov/res", bytes("renewed"), 1, false)).isZero();
      assertThat(service.publish(PREFIX + d + "/cmd", bytes("ping"), 1, false)).isZero();
      assertThat(device.next().text()).isEqualTo("renewed");
      assertThat(device.next().text()).isEqualTo("ping");
    }
  }

  @Test
  void aDevicesRetainedStateAndLastWillWorkOnItsOwnTopic(Mosquitto broker, TestPki pki) throws MqttException {
    String d = "dev-wwwwwwwwwwww0006";
    String state = PREFIX + d + "/state";
    MqttConnectionOptions options = Mqtt.options(pki.socketFactory(pki.device(d)));
    options.setWill(state, new MqttMessage(bytes("offline"), 1, true, new MqttProperties()));
    MqttTestClient device = MqttTestClient.connect(broker.uri(), d, options);
    try {
      assertThat(device.publish(state, bytes("online"), 1, true)).isLessThan(0x80);
      try (MqttTestClient operator = Mqtt.connect(broker, pki, pki.service())) {
        assertThat(operator.subscribe(PREFIX + "+/state", 1)).isEqualTo(1);
        Received online = operator.next();
        assertThat(online.text()).isEqualTo("online");
        assertThat(online.retained()).isTrue();

        device.dropConnection();
        Received will = operator.next();
        assertThat(will.topic()).isEqualTo(state);
        assertThat(will.text()).isEqualTo("offline");
      }
    } finally {
      device.close();
    }
    try (MqttTestClient later = Mqtt.connect(broker, pki, pki.service())) {
      assertThat(later.subscribe(state, 1)).isEqualTo(1);
      Received retained = later.next();
      assertThat(retained.text()).as("the will was retained").isEqualTo("offline");
      assertThat(retained.retained()).isTrue();
    }
  }

  @Test
  void aDevicesLastWillOnAnotherDevicesTopicIsNotDelivered(Mosquitto broker, TestPki pki) throws MqttException {
    String a = "dev-aaaaaaaaaaaa0007";
    String b = "dev-bbbbbbbbbbbb0007";
    MqttConnectionOptions options = Mqtt.options(pki.socketFactory(pki.device(a)));
    options.setWill(PREFIX + b + "/state", new MqttMessage(bytes("forged offline"), 1, true, new MqttProperties()));
    try (MqttTestClient operator = Mqtt.connect(broker, pki, pki.service())) {
      assertThat(operator.subscribe(PREFIX + b + "/state", 1)).isEqualTo(1);
      assertThat(operator.subscribe(PREFIX + a + "/state", 1)).isEqualTo(1);
      MqttTestClient deviceA = MqttTestClient.connect(broker.uri(), a, options);
      deviceA.dropConnection();
      deviceA.close();
      // The broker sends (or drops) the will while it handles the closed connection, before logging it.
      await().atMost(MqttTestClient.TIMEOUT).until(() -> broker.log().contains("Client " + a + " closed its connection"));
      try (MqttTestClient again = Mqtt.connect(broker, pki, pki.device(a))) {
        assertThat(again.publish(PREFIX + a + "/state", bytes("marker"), 1, false)).isLessThan(0x80);
        assertThat(operator.next().text()).isEqualTo("marker");
      }
      assertThat(operator.received()).extracting(Received::topic).containsExactly(PREFIX + a + "/state");
    }
  }

  @Test
  void aSecondConnectionWithTheSameCertificateTakesTheFirstOnesSessionOver(Mosquitto broker, TestPki pki)
      throws MqttException {
    Credentials service = pki.service();
    try (MqttTestClient first = Mqtt.connect(broker, pki, service);
         MqttTestClient second = Mqtt.connect(broker, pki, service, "another-instance")) {
      assertThat(second.isConnected()).isTrue();
      await().atMost(MqttTestClient.TIMEOUT).until(() -> !first.isConnected());
      assertThat(first.disconnectReason()).isNotNull();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
