package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.config.DeliverySettings;
import dev.holdfast.agent.config.WebhookUrls;
import dev.holdfast.agent.delivery.HttpDelivery;
import dev.holdfast.agent.delivery.NotConfigured;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.outbox.RecordId;
import dev.holdfast.agent.outbox.Sender;
import dev.holdfast.agent.secrets.Secrets;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.agent.testing.RecordingServer;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender chosen per record, with secrets read from a real vault at each attempt. */
class SenderWiringTest {
  static final String API_KEY = "hf_WiredKey0123456789abcdefghijkl";
  static final String AUTH_TOKEN = "wired-twilio-token-9f8e7d";
  static final String SID = "AC0123456789abcdef0123456789abcdef";

  @TempDir Path dir;
  final MutableClock clock = MutableClock.atTheStartOf2026();
  RecordingServer server;
  Vault vault;

  @BeforeEach
  void open() throws Exception {
    server = new RecordingServer();
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 5);
    vault = Vault.create(dir.resolve("agent.db"), MasterKeySource.ofKey(Secret.wrap(k), "test key"), new SecureRandom());
  }

  @AfterEach
  void close() {
    server.close();
    vault.close();
  }

  DeliverySettings settings(DeliverySettings.SmsProvider provider, Optional<String> signingSecret) {
    return new DeliverySettings(Duration.ofSeconds(2), provider, Optional.of(server.uri("/relay")), server.uri("/tw"),
        Optional.of(SID), Optional.of("+15550001111"), signingSecret, WebhookUrls.ANY);
  }

  Function<OutboxRecord, Sender> wiring(DeliverySettings settings) {
    HttpClient client = HttpClient.newHttpClient();
    return SenderWiring.build(settings, vault, HttpDelivery.PLATFORM_TLS, () -> client, NotConfigured.NO_MQTT_LINK,
        clock);
  }

  static OutboxRecord record(Channel channel, String destination) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new OutboxRecord(RecordId.of(t.toEpochMilli(), 0), "idem-w1", channel, destination,
        "hello".getBytes(StandardCharsets.UTF_8), "text/plain", t, t.plusSeconds(3600), 0, t, Optional.empty(), false);
  }

  void put(String name, String value) throws Exception {
    new Secrets(vault).put(name, Secret.copyOf(value.getBytes(StandardCharsets.UTF_8)));
  }

  DeliveryOutcome send(Function<OutboxRecord, Sender> senders, OutboxRecord r) {
    return senders.apply(r).send(r);
  }

  @Test
  void anApiKeySetAfterStartIsUsedByTheNextAttemptWithoutARestart() throws Exception {
    Function<OutboxRecord, Sender> senders = wiring(settings(DeliverySettings.SmsProvider.RELAY, Optional.empty()));
    OutboxRecord sms = record(Channel.SMS, "+15559870000");
    DeliveryOutcome before = send(senders, sms);
    assertThat(before).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(before.reason()).contains("holdfast-agent secret set relay-api-key");
    assertThat(server.requests()).isEmpty();

    put("relay-api-key", API_KEY);
    assertThat(send(senders, sms)).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(server.requests()).singleElement().satisfies(got -> {
      assertThat(got.path()).isEqualTo("/relay/v1/messages");
      assertThat(got.header("Authorization")).isEqualTo("Bearer " + API_KEY);
    });
  }

  @Test
  void theTwilioProviderUsesTheAuthTokenFromTheVault() throws Exception {
    put("twilio-auth-token", AUTH_TOKEN);
    Function<OutboxRecord, Sender> senders = wiring(settings(DeliverySettings.SmsProvider.TWILIO, Optional.empty()));
    assertThat(send(senders, record(Channel.SMS, "+15559870000"))).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(server.requests()).singleElement().satisfies(got -> {
      assertThat(got.path()).isEqualTo("/tw/2010-04-01/Accounts/" + SID + "/Messages.json");
      assertThat(got.header("Authorization")).isEqualTo("Basic "
          + Base64.getEncoder().encodeToString((SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8)));
    });
  }

  @Test
  void aWebhookIsSignedOnceItsSecretIsInTheVaultAndMqttWaitsForTheLink() throws Exception {
    Function<OutboxRecord, Sender> senders =
        wiring(settings(DeliverySettings.SmsProvider.RELAY, Optional.of("hook-key")));
    OutboxRecord hook = record(Channel.WEBHOOK, server.uri("/hook").toString());
    assertThat(send(senders, hook).reason()).contains("secret set hook-key");
    put("hook-key", "whsec-wired");
    assertThat(send(senders, hook)).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(server.requests()).singleElement()
        .satisfies(got -> assertThat(got.header("Holdfast-Signature")).startsWith("t=1767225600,v2="));

    DeliveryOutcome mqtt = send(senders, record(Channel.MQTT, "alerts/door"));
    assertThat(mqtt).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(mqtt.reason()).contains("no MQTT link: enroll the device and set mqtt.broker");
    assertThat(URI.create(server.requests().get(0).path())).isEqualTo(URI.create("/hook"));
  }

  @Test
  void theRelayUsesTheEnrolledApiKeyOnceTheVaultHoldsAnIdentityAndTheHandSetSecretBefore() throws Exception {
    Function<OutboxRecord, Sender> senders = wiring(settings(DeliverySettings.SmsProvider.RELAY, Optional.empty()));
    OutboxRecord sms = record(Channel.SMS, "+15559870000");
    put("relay-api-key", API_KEY);
    assertThat(send(senders, sms)).isInstanceOf(DeliveryOutcome.Delivered.class);

    String enrolled = "hf_EnrolledViaIdentity0123456789";
    dev.holdfast.agent.testing.TestFleet fleet = dev.holdfast.agent.testing.TestFleet.create();
    java.security.KeyPair pair = dev.holdfast.agent.testing.TestFleet.keyPair();
    dev.holdfast.agent.identity.CredentialSet set = new dev.holdfast.agent.identity.CredentialSet(
        "dev-0123456789abcdef", pair.getPrivate(),
        java.util.List.of(fleet.deviceCertificate("dev-0123456789abcdef", pair.getPublic(), Instant.now().plusSeconds(86400)),
            fleet.issuing, fleet.root),
        fleet.root, Secret.copyOf(enrolled.getBytes(StandardCharsets.UTF_8)), "key-1", t().plusSeconds(86400),
        java.util.List.of("messages:send"), fleet.commandKey.getPublic(), t());
    new dev.holdfast.agent.identity.IdentityStore(vault).storeCurrent(set);
    assertThat(send(senders, sms)).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(send(senders, sms)).as("the key a sender wiped was its own copy").isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(server.requests()).extracting(got -> got.header("Authorization"))
        .containsExactly("Bearer " + API_KEY, "Bearer " + enrolled, "Bearer " + enrolled);
  }

  private static Instant t() {
    return Instant.parse("2026-01-01T00:00:00Z");
  }
}
