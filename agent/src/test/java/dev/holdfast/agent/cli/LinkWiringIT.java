package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.config.LinkSettings;
import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.link.MqttLink;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.Dispatcher;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.RetryPolicy;
import dev.holdfast.agent.outbox.Sender;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.testkit.Credentials;
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
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The link as the runtime will start it: from an enrolled credential set and the outbox, against a real broker. */
class LinkWiringIT {
  @RegisterExtension static final MosquittoExtension BROKER = new MosquittoExtension();
  static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path dir;

  static CredentialSet enrolled(TestPki pki, String deviceId, Instant apiKeyExpires) throws Exception {
    Credentials device = pki.device(deviceId);
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(256);
    return new CredentialSet(deviceId, device.key(), List.of(device.certificate(), pki.issuingCa(), pki.root()),
        pki.root(), Secret.copyOf("hf_notarealkey".getBytes(StandardCharsets.US_ASCII)), "key-1", apiKeyExpires,
        List.of("sms:send"), gen.generateKeyPair().getPublic(), Instant.parse("2026-11-01T00:00:00Z"));
  }

  private static Map<String, Object> nextState(MqttTestClient fleet) throws Exception {
    Received r = fleet.next(WAIT);
    return JsonParser.parseObject(r.text());
  }

  @Test
  void aLinkStartedFromTheIdentityPublishesItsExpiriesAndTheOutboxDrainingThroughIt() throws Exception {
    TestPki pki = BROKER.pki();
    String deviceId = "dev-w1r1ng0000000001";
    Instant apiKeyExpires = Instant.parse("2027-02-01T00:00:00Z");
    CredentialSet identity = enrolled(pki, deviceId, apiKeyExpires);
    LinkSettings settings = new LinkSettings(Optional.of(URI.create(BROKER.broker().uri())), Duration.ofSeconds(5),
        Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(500),
        Duration.ofSeconds(5));
    OutboxSettings outboxSettings = new OutboxSettings(100, 1 << 20, 1024, OutboxSettings.WhenFull.REFUSE,
        Duration.ofHours(1), 1, Duration.ofMillis(20), Duration.ofMillis(200));
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 4);
    Clock clock = Clock.systemUTC();
    try (MqttTestClient fleet = Mqtt.connect(BROKER.broker(), pki, pki.service());
        Vault vault = Vault.create(dir.resolve("agent.db"), MasterKeySource.ofKey(Secret.wrap(key), "test key"),
            new SecureRandom());
        Outbox outbox = Outbox.open(vault, outboxSettings, clock, new SplittableRandom(2))) {
      fleet.subscribe(Topics.state(deviceId), 1);
      fleet.subscribe(Topics.events(deviceId), 1);
      MqttLink link = LinkWiring.start(settings, identity, outbox, LinkWiring.Commands.inMemory(), new SecureRandom(),
          clock, new SplittableRandom(3))
          .orElseThrow();
      try {
        Map<String, Object> online = nextState(fleet);
        assertThat(online).containsEntry("online", true).containsEntry("device", deviceId)
            .containsEntry("cert_not_after", identity.certificateNotAfter().toString())
            .containsEntry("api_key_expires", apiKeyExpires.toString()).containsEntry("last_delivery", null);

        Sender mqtt = LinkWiring.sender(Optional.of(link), settings);
        outbox.enqueue(new NewMessage(Channel.MQTT, "events", "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
            "application/json", Optional.of("wired-1"), Optional.empty()));
        Dispatcher dispatcher = new Dispatcher(outbox, r -> mqtt, new RetryPolicy(outboxSettings.retryBase(),
            outboxSettings.retryCap()), 1, clock, Executors.newSingleThreadScheduledExecutor(),
            Executors.newFixedThreadPool(1));
        dispatcher.start();
        try {
          // the event, and then (within the 2 s state check) a state that shows it delivered
          Map<String, Object> delivered = null;
          while (delivered == null) {
            Received r = fleet.next(WAIT);
            if (r.topic().equals(Topics.state(deviceId))) {
              Map<String, Object> s = JsonParser.parseObject(r.text());
              if (s.get("last_delivery") != null && ((Number) s.get("outbox_depth")).intValue() == 0) {
                delivered = s;
              }
            }
          }
          assertThat(fleet.received()).anyMatch(r -> r.topic().equals(Topics.events(deviceId))
              && r.text().equals("{\"n\":1}"));
        } finally {
          dispatcher.shutdown(Duration.ofSeconds(5));
        }
      } finally {
        link.close();
      }
      assertThat(nextState(fleet)).containsEntry("online", false);
    }
  }
}
