package dev.holdfast.provisioning.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.common.retry.Backoff;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.provisioning.broker.BrokerReloader;
import dev.holdfast.provisioning.ca.RevokeRequest;
import dev.holdfast.provisioning.credentials.ServiceCredentials;
import dev.holdfast.provisioning.testing.FleetBroker;
import dev.holdfast.testkit.MqttTestClient;
import dev.holdfast.testkit.Received;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's MQTT side against a real Mosquitto with the shipped config and files from 'broker certs'. */
class ResponderIT {
  @TempDir Path dir;
  FleetBroker fleet;
  ScheduledExecutorService scheduler;
  ServiceConnection service;

  @BeforeEach
  void setUp() throws Exception {
    fleet = new FleetBroker(dir, 101);
    scheduler = Executors.newSingleThreadScheduledExecutor();
    service = new ServiceConnection(fleet.broker.uri(), ServiceCredentials.SERVICE_CN, fleet.serviceTls(),
        ProvisioningResponder.subscriptions(), new ProvisioningResponder(),
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), scheduler, new SplittableRandom(5)).start();
    await().atMost(Duration.ofSeconds(15)).until(service::isConnected);
  }

  @AfterEach
  void tearDown() {
    service.close();
    scheduler.shutdownNow();
    fleet.close();
  }

  static MqttMessage request(String responseTopic, byte[] correlation) {
    MqttProperties p = new MqttProperties();
    p.setResponseTopic(responseTopic);
    p.setCorrelationData(correlation);
    return new MqttMessage("{\"v\":1,\"type\":\"renew\"}".getBytes(StandardCharsets.UTF_8), 1, false, p);
  }

  /** Publishes a request until an answer comes: the shared subscription may still be settling. */
  static Received ask(MqttTestClient device, String id, byte[] correlation) throws Exception {
    assertThat(device.subscribe(Topics.provisioningResponses(id), 1)).isLessThan(0x80);
    assertThat(device.publish(Topics.provisioningRequests(id), request(Topics.provisioningResponses(id), correlation)))
        .isLessThan(0x80);
    return device.next(Duration.ofSeconds(10));
  }

  @Test
  void answersARequestOnTheDevicesResponseTopicWithItsCorrelationDataAndUnsupported() throws Exception {
    FleetBroker.Device device = fleet.device("dev-responder0000001");
    try (MqttTestClient client = fleet.connect(device)) {
      Received answer = ask(client, device.id(), new byte[] {1, 2, 3, 4});

      assertThat(answer.topic()).isEqualTo(Topics.provisioningResponses(device.id()));
      assertThat(answer.properties().getCorrelationData()).containsExactly(1, 2, 3, 4);
      @SuppressWarnings("unchecked")
      Map<String, Object> body = (Map<String, Object>) JsonParser.parse(answer.text());
      assertThat(body).containsEntry("error", "unsupported").containsKey("message");
      assertThat(((Number) body.get("v")).intValue()).isEqualTo(1);
    }
  }

  @Test
  void neverAnswersIntoAnotherDevicesTopicsWhateverResponseTopicARequestNames() throws Exception {
    FleetBroker.Device mallory = fleet.device("dev-mallory000000001");
    FleetBroker.Device victim = fleet.device("dev-victim0000000001");
    try (MqttTestClient m = fleet.connect(mallory); MqttTestClient v = fleet.connect(victim)) {
      assertThat(v.subscribe(Topics.PREFIX + victim.id() + "/#", 1)).isLessThan(0x80);
      assertThat(m.subscribe(Topics.provisioningResponses(mallory.id()), 1)).isLessThan(0x80);

      m.publish(Topics.provisioningRequests(mallory.id()), request(Topics.commands(victim.id()), new byte[] {9}));

      Received answer = m.next(Duration.ofSeconds(10));
      assertThat(answer.topic()).isEqualTo(Topics.provisioningResponses(mallory.id()));
      assertThat(v.received()).isEmpty();
    }
  }

  @Test
  void aRogueDeviceJoiningTheServicesSharedGroupOrAnyOtherLosesNobodysRequest() throws Exception {
    FleetBroker.Device rogue = fleet.device("dev-rogue00000000001");
    List<FleetBroker.Device> devices = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      devices.add(fleet.device("dev-honest0000000" + i + "00"));
    }
    try (MqttTestClient r = fleet.connect(rogue)) {
      // Mosquitto 2.0.11 grants all of these; the ACL only drops what is delivered to the rogue.
      assertThat(r.subscribe("$share/holdfast-prov/" + Topics.PREFIX + "+/prov/req", 1)).isLessThan(0x80);
      assertThat(r.subscribe("$share/holdfast-prov/" + Topics.PREFIX + "#", 1)).isLessThan(0x80);
      assertThat(r.subscribe("$share/x/" + Topics.PREFIX + "+/prov/req", 1)).isLessThan(0x80);
      assertThat(r.subscribe(Topics.PREFIX + "+/prov/req", 1)).isLessThan(0x80);
      for (FleetBroker.Device d : devices) {
        try (MqttTestClient client = fleet.connect(d)) {
          assertThat(client.subscribe(Topics.provisioningResponses(d.id()), 1)).isLessThan(0x80);
          for (int n = 0; n < 3; n++) {
            byte[] correlation = {(byte) n};
            assertThat(client.publish(Topics.provisioningRequests(d.id()),
                request(Topics.provisioningResponses(d.id()), correlation))).isLessThan(0x80);
            Received answer = client.next(Duration.ofSeconds(10));
            assertThat(answer.properties().getCorrelationData()).as("request %d of %s", n, d.id())
                .containsExactly(correlation);
          }
        }
      }
      assertThat(r.received()).as("the rogue receives no one's request").isEmpty();
    }
  }

  @Test
  void aBurstOfAnswersBeyondTheBrokersInFlightLimitWaitsForSlotsAndNoneIsDropped() throws Exception {
    FleetBroker.Device device = fleet.device("dev-burst00000000001");
    int burst = 200; // Mosquitto takes 20 unacknowledged QoS 1 publishes from a client by default
    try (MqttTestClient client = fleet.connect(device)) {
      assertThat(client.subscribe(Topics.provisioningResponses(device.id()), 1)).isLessThan(0x80);
      for (int i = 0; i < burst; i++) {
        service.publish(Topics.provisioningResponses(device.id()), ("answer " + i).getBytes(StandardCharsets.UTF_8),
            1, false, new MqttProperties());
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> client.received().size() >= burst);
      assertThat(client.received()).hasSize(burst);
      assertThat(new String(client.received().get(burst - 1).payload(), StandardCharsets.UTF_8))
          .isEqualTo("answer " + (burst - 1));
    }
  }

  @Test
  void reconnectsAfterTheBrokerRestartsAndAnswersAgain() throws Exception {
    FleetBroker.Device device = fleet.device("dev-reconnect0000001");
    fleet.broker.stop();
    await().atMost(Duration.ofSeconds(15)).until(() -> !service.isConnected());
    fleet.broker.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> service.isConnected() && service.connections() == 2);
    try (MqttTestClient client = fleet.connect(device)) {
      assertThat(ask(client, device.id(), new byte[] {7}).properties().getCorrelationData()).containsExactly(7);
    }
  }

  @Test
  void aDeviceRevokedAndPublishedInTheCrlCannotConnectAfterTheSighup() throws Exception {
    FleetBroker.Device revoked = fleet.device("dev-revoked000000001");
    FleetBroker.Device other = fleet.device("dev-other00000000001");
    fleet.connect(revoked).close();
    Path pidFile = dir.resolve("mosquitto.pid");
    Files.writeString(pidFile, Long.toString(fleet.broker.pid()));
    String before = fleet.broker.log();

    fleet.pki.revoke(new RevokeRequest.OfDevice(revoked.id(), "test")).ok().orElseThrow();
    fleet.pki.crlPublisher(new BrokerReloader(pidFile)).publish(fleet.pki.crl());

    await().atMost(Duration.ofSeconds(15))
        .until(() -> fleet.broker.log().length() > before.length()
            && fleet.broker.log().substring(before.length()).contains("Reloading config."));
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      try (MqttTestClient c = fleet.connect(revoked)) {
        return !c.isConnected();
      } catch (org.eclipse.paho.mqttv5.common.MqttException refused) {
        return true;
      }
    });
    try (MqttTestClient c = fleet.connect(other)) {
      assertThat(c.isConnected()).isTrue();
    }
  }
}
