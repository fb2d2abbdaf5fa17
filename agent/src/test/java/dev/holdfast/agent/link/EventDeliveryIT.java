package dev.holdfast.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.config.LinkSettings;
import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.delivery.MqttSender;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.Dispatcher;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.outbox.RecordId;
import dev.holdfast.agent.outbox.RetryPolicy;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.testkit.ClientSockets;
import dev.holdfast.testkit.Mosquitto;
import dev.holdfast.testkit.Mqtt;
import dev.holdfast.testkit.MqttTestClient;
import dev.holdfast.testkit.MosquittoExtension;
import dev.holdfast.testkit.Received;
import dev.holdfast.testkit.TestPki;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT sender publishing outbox records through the link to a real Mosquitto with the shipped ACL. */
class EventDeliveryIT {
  @RegisterExtension static final MosquittoExtension BROKER = new MosquittoExtension();
  static final Duration WAIT = Duration.ofSeconds(30);

  final String deviceId = LinkFixtures.newDeviceId();
  final Clock clock = Clock.systemUTC();
  @TempDir Path dir;
  ScheduledExecutorService scheduler;
  ClientSockets network;
  MqttTestClient fleet;
  MqttLink link;

  @BeforeEach
  void start() throws Exception {
    scheduler = Executors.newSingleThreadScheduledExecutor();
    network = new ClientSockets(pki().socketFactory(pki().device(deviceId)));
    fleet = Mqtt.connect(broker(), pki(), pki().service());
    fleet.subscribe(Topics.events(deviceId) + "/#", 1);
  }

  @AfterEach
  void stop() throws Exception {
    if (link != null) {
      link.close();
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

  MqttLink startLink() {
    LinkSettings settings = new LinkSettings(Optional.of(URI.create(broker().uri())), Duration.ofSeconds(5),
        Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(500),
        Duration.ofSeconds(5));
    link = MqttLink.start(settings, deviceId, network, CommandKeys.FLEET.getPublic(), LinkFixtures.idle(), scheduler,
        clock, new SplittableRandom(5));
    return link;
  }

  static OutboxRecord record(String destination, String key, String body) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new OutboxRecord(RecordId.of(t.toEpochMilli(), 0), key, Channel.MQTT, destination,
        body.getBytes(StandardCharsets.UTF_8), "application/json", t, t.plusSeconds(3600), 0, t, Optional.empty(),
        false);
  }

  static Optional<String> userProperty(Received r, String name) {
    return r.properties().getUserProperties().stream().filter(p -> p.getKey().equals(name))
        .map(UserProperty::getValue).findFirst();
  }

  @Test
  void anEventIsDeliveredOnTheEventsTopicWithItsIdempotencyKeyAndContentType() {
    MqttLink l = startLink();
    await().atMost(WAIT).until(() -> l.state() == LinkState.CONNECTED);
    MqttSender sender = new MqttSender(l, deviceId, Duration.ofSeconds(5));

    DeliveryOutcome outcome = sender.send(record("events", "idem-42", "{\"door\":\"open\"}"));

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(outcome.reason()).startsWith("PUBACK 0x00");
    Received r = fleet.next(WAIT);
    assertThat(r.topic()).isEqualTo(Topics.events(deviceId));
    assertThat(r.text()).isEqualTo("{\"door\":\"open\"}");
    assertThat(r.qos()).isEqualTo(1);
    assertThat(userProperty(r, MqttSender.IDEMPOTENCY_KEY)).contains("idem-42");
    assertThat(r.properties().getContentType()).isEqualTo("application/json");

    assertThat(sender.send(record("events/door/front", "idem-43", "{}"))).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(fleet.next(WAIT).topic()).isEqualTo(Topics.events(deviceId) + "/door/front");
  }

  @Test
  void aPublishTheAclDeniesIsAPermanentFailureWithReasonCode0x87NotASuccess() throws Exception {
    String other = LinkFixtures.newDeviceId();
    fleet.subscribe(Topics.events(other), 1);
    MqttLink l = startLink();
    await().atMost(WAIT).until(() -> l.state() == LinkState.CONNECTED);

    DeliveryOutcome denied = new MqttSender(l, other, Duration.ofSeconds(5)).send(record("events", "k-1", "{}"));

    assertThat(denied).isInstanceOf(DeliveryOutcome.Permanent.class);
    assertThat(denied.reason()).contains("0x87").contains("not authorized");
    // the device's own event, sent after on the same connection, is the first thing the fleet sees
    new MqttSender(l, deviceId, Duration.ofSeconds(5)).send(record("events", "k-2", "{}"));
    assertThat(fleet.next(WAIT).topic()).isEqualTo(Topics.events(deviceId));
    assertThat(fleet.received()).noneMatch(r -> r.topic().equals(Topics.events(other)));
  }

  @Test
  void withoutAConnectionARecordIsRetriedNotDroppedOrDelivered() {
    network.down();
    MqttLink l = startLink();
    await().atMost(WAIT).until(() -> l.state() == LinkState.WAITING);

    DeliveryOutcome outcome = new MqttSender(l, deviceId, Duration.ofSeconds(5)).send(record("events", "k", "{}"));

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(outcome.reason()).contains("no MQTT connection");
  }

  @Test
  void eventsQueuedWhileTheBrokerIsDownAreAllDeliveredAfterItRestarts() throws Exception {
    OutboxSettings settings = new OutboxSettings(1000, 1 << 20, 4096, OutboxSettings.WhenFull.REFUSE,
        Duration.ofHours(1), 4, Duration.ofMillis(20), Duration.ofMillis(300));
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 9);
    try (Vault vault = Vault.create(dir.resolve("agent.db"), MasterKeySource.ofKey(Secret.wrap(key), "test key"),
        new SecureRandom());
        Outbox outbox = Outbox.open(vault, settings, clock, new SplittableRandom(3))) {
      MqttLink l = startLink();
      await().atMost(WAIT).until(() -> l.state() == LinkState.CONNECTED);
      MqttSender sender = new MqttSender(l, deviceId, Duration.ofSeconds(5));
      Dispatcher dispatcher = new Dispatcher(outbox, r -> sender, new RetryPolicy(settings.retryBase(),
          settings.retryCap()), settings.concurrency(), clock, Executors.newSingleThreadScheduledExecutor(),
          Executors.newFixedThreadPool(settings.concurrency()));
      dispatcher.start();
      try {
        broker().kill();
        network.down(); // keeps the link away until the fleet listens again
        await().atMost(WAIT).until(() -> l.state() != LinkState.CONNECTED);
        Set<String> keys = new TreeSet<>();
        for (int i = 0; i < 20; i++) {
          keys.add("event-" + i);
          outbox.enqueue(new NewMessage(Channel.MQTT, i % 2 == 0 ? "events" : "events/meter",
              ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), "application/json",
              Optional.of("event-" + i), Optional.empty()));
        }
        await().atMost(WAIT).until(() -> outbox.status().channels().containsKey(Channel.MQTT)
            && outbox.status().channels().get(Channel.MQTT).lastError().isPresent());
        assertThat(outbox.status().queued()).isEqualTo(20);

        broker().start();
        fleet.close();
        fleet = Mqtt.connect(broker(), pki(), pki().service());
        fleet.subscribe(Topics.events(deviceId) + "/#", 1);
        network.up();

        await().atMost(WAIT).until(() -> outbox.status().queued() == 0);
        await().atMost(WAIT).until(() -> fleet.received().size() >= 20);
        Set<String> arrived = fleet.received().stream()
            .map(r -> userProperty(r, MqttSender.IDEMPOTENCY_KEY).orElseThrow())
            .collect(Collectors.toCollection(TreeSet::new));
        assertThat(arrived).isEqualTo(keys);
        assertThat(outbox.status().channels().get(Channel.MQTT).delivered()).isEqualTo(20);
      } finally {
        dispatcher.shutdown(Duration.ofSeconds(5));
      }
    }
  }
}
