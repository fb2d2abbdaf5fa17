package dev.holdfast.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.config.LinkSettings;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.protocol.messages.Command;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.testkit.ClientSockets;
import dev.holdfast.testkit.Mosquitto;
import dev.holdfast.testkit.Mqtt;
import dev.holdfast.testkit.MqttTestClient;
import dev.holdfast.testkit.MosquittoExtension;
import dev.holdfast.testkit.Received;
import dev.holdfast.testkit.TestPki;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The link against a real Mosquitto running the shipped configuration and ACL. */
class MqttLinkIT {
  @RegisterExtension static final MosquittoExtension BROKER = new MosquittoExtension();
  static final Duration WAIT = Duration.ofSeconds(20);

  final String deviceId = LinkFixtures.newDeviceId();
  final Clock clock = Clock.systemUTC();
  final List<AutoCloseable> toClose = new ArrayList<>();
  ScheduledExecutorService scheduler;
  ClientSockets network;
  MqttTestClient fleet;

  @BeforeEach
  void start() throws Exception {
    scheduler = Executors.newSingleThreadScheduledExecutor();
    network = new ClientSockets(pki().socketFactory(pki().device(deviceId)));
    fleet = Mqtt.connect(broker(), pki(), pki().service());
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    scheduler.shutdownNow();
    fleet.close();
  }

  static Mosquitto broker() {
    return BROKER.broker();
  }

  static TestPki pki() {
    return BROKER.pki();
  }

  MqttLink link(StateSource source) {
    LinkSettings settings = new LinkSettings(Optional.of(URI.create(broker().uri())), Duration.ofSeconds(5),
        Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(500),
        Duration.ofSeconds(5));
    MqttLink link = MqttLink.start(settings, deviceId, network, CommandKeys.FLEET.getPublic(), source, scheduler,
        clock, new SplittableRandom(11));
    toClose.add(link);
    return link;
  }

  static Map<String, Object> json(Received r) throws Exception {
    return JsonParser.parseObject(r.text());
  }

  /** The next state message for this device whose {@code online} is {@code online}. */
  Map<String, Object> nextState(boolean online) throws Exception {
    while (true) {
      Received r = fleet.next(WAIT);
      if (r.topic().equals(Topics.state(deviceId)) && json(r).get("online").equals(online)) {
        return json(r);
      }
    }
  }

  @Test
  void connectsWithTheDeviceCertificateAndPublishesRetainedOnlineStateThatTheFleetSees() throws Exception {
    Instant notAfter = Instant.parse("2027-03-01T00:00:00Z");
    MqttLink link = link(() -> new DeviceState("9.9.9", Optional.of(notAfter), Optional.empty(), 3, Optional.empty()));
    await().atMost(WAIT).until(() -> link.state() == LinkState.CONNECTED);
    // subscribing afterwards: what arrives is the retained copy
    await().atMost(WAIT).untilAsserted(() -> {
      try (MqttTestClient late = Mqtt.connect(broker(), pki(), pki().service())) {
        late.subscribe(Topics.state(deviceId), 1);
        Received r = late.next(Duration.ofSeconds(2));
        assertThat(r.retained()).isTrue();
        Map<String, Object> state = json(r);
        assertThat(state).containsEntry("online", true).containsEntry("device", deviceId)
            .containsEntry("version", "9.9.9").containsEntry("cert_not_after", notAfter.toString());
        assertThat(((Number) state.get("outbox_depth")).intValue()).isEqualTo(3);
      }
    });
  }

  @Test
  void theLastWillMarksTheDeviceOfflineWhenItsConnectionDiesAndItComesBackOnline() throws Exception {
    fleet.subscribe(Topics.state(deviceId), 1);
    MqttLink link = link(LinkFixtures.idle());
    nextState(true);
    network.down();
    network.cutAll();
    Map<String, Object> will = nextState(false);
    assertThat(will).containsEntry("reason", "connection lost");
    await().atMost(WAIT).until(() -> link.state() == LinkState.WAITING);
    network.up();
    assertThat(nextState(true)).containsEntry("device", deviceId);
    // the online state seen may be the last session's, resent by Paho on the CONNACK before the link hears of it
    await().atMost(WAIT).until(() -> link.state() == LinkState.CONNECTED);
  }

  @Test
  void stoppingPublishesOfflineStateAndDisconnectsWithoutTheWill() throws Exception {
    fleet.subscribe(Topics.state(deviceId), 1);
    MqttLink link = link(LinkFixtures.idle());
    nextState(true);
    link.close();
    Map<String, Object> offline = nextState(false);
    assertThat(offline).doesNotContainKey("reason").containsEntry("device", deviceId);
    assertThat(link.state()).isEqualTo(LinkState.STOPPED);
    // had the broker sent the will, the retained state would now say "connection lost"
    try (MqttTestClient late = Mqtt.connect(broker(), pki(), pki().service())) {
      late.subscribe(Topics.state(deviceId), 1);
      assertThat(json(late.next(WAIT))).doesNotContainKey("reason").containsEntry("online", false);
    }
    assertThat(fleet.received()).filteredOn(r -> r.topic().equals(Topics.state(deviceId)))
        .noneMatch(r -> r.text().contains("connection lost"));
  }

  @Test
  void aSignedPingGetsItsIdAsPongInTheState() throws Exception {
    fleet.subscribe(Topics.state(deviceId), 1);
    link(LinkFixtures.idle());
    nextState(true);
    Instant now = clock.instant();
    Command ping = CommandKeys.ping("ping-1", deviceId, now, now.plusSeconds(60));
    assertThat(fleet.publish(Topics.commands(deviceId), ping.toJson().getBytes(StandardCharsets.UTF_8), 1, false))
        .isZero();
    assertThat(LinkFixtures.nextPong(fleet, deviceId, WAIT)).isEqualTo("ping-1");
  }

  @Test
  void commandsWithABadSignatureForAnotherDeviceExpiredOrReplayedAreIgnored() throws Exception {
    fleet.subscribe(Topics.state(deviceId), 1);
    link(LinkFixtures.idle());
    nextState(true);
    Instant now = clock.instant();
    Command first = CommandKeys.ping("c1", deviceId, now, now.plusSeconds(60));
    List<Command> sent = List.of(
        first,
        CommandKeys.ping("c2", deviceId, now, now.plusSeconds(60)),
        CommandKeys.pingSignedBy(CommandKeys.ATTACKER, "forged", deviceId, now, now.plusSeconds(60)),
        CommandKeys.ping("elsewhere", "dev-zzzzzzzzzzzzzzzz", now, now.plusSeconds(60)),
        CommandKeys.ping("expired", deviceId, now.minusSeconds(120), now.minusSeconds(60)),
        first, // replayed: would turn the pong back to c1
        CommandKeys.ping("c3", deviceId, now, now.plusSeconds(60)));
    for (Command c : sent) {
      fleet.publish(Topics.commands(deviceId), c.toJson().getBytes(StandardCharsets.UTF_8), 1, false);
    }
    fleet.publish(Topics.commands(deviceId), "{not a command".getBytes(StandardCharsets.UTF_8), 1, false);
    List<String> pongs = new ArrayList<>();
    while (!pongs.contains("c3")) {
      String pong = LinkFixtures.nextPong(fleet, deviceId, WAIT);
      if (pongs.isEmpty() || !pongs.get(pongs.size() - 1).equals(pong)) {
        pongs.add(pong);
      }
    }
    assertThat(pongs).containsExactly("c1", "c2", "c3");
  }
}
