package dev.holdfast.provisioning.relay;

import dev.holdfast.provisioning.api.ApiLimits;
import dev.holdfast.provisioning.support.RateLimiter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.holdfast.provisioning.apikeys.ApiKey;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.apikeys.Scopes;
import dev.holdfast.provisioning.testing.FakeTwilio;
import dev.holdfast.provisioning.testing.TestRandom;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayTest {
  static final String MESSAGE = "{\"to\":\"+15551234567\",\"body\":\"door opened\"}";

  @TempDir Path dir;
  RelayFixture relay;
  String key;

  @BeforeEach
  void setUp() throws Exception {
    relay = new RelayFixture(dir, new RelaySettings(java.util.List.of("localhost"), 1024, 3, 60,
        Duration.ofHours(24), java.net.URI.create("http://unused"), "", "", Duration.ofSeconds(5), 4));
    key = relay.key(Scopes.MESSAGES_SEND);
  }

  @AfterEach
  void tearDown() {
    relay.close();
  }

  @Test
  void forwardsAMessageToTheSmsApiWithBasicAuthAndFormFields() throws Exception {
    HttpResponse<String> r = relay.post(key, null, MESSAGE);

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.body()).contains("\"status\":\"sent\"").contains("SM0123456789abcdef");
    FakeTwilio.Received sent = relay.twilio.received().get(0);
    assertThat(sent.path()).isEqualTo("/2010-04-01/Accounts/" + RelayFixture.SID + "/Messages.json");
    assertThat(sent.form()).containsEntry("To", "+15551234567").containsEntry("From", "+15550000000")
        .containsEntry("Body", "door opened");
    assertThat(sent.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString(
        (RelayFixture.SID + ":" + RelayFixture.AUTH_TOKEN).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void answers401WithInvalidTokenForMalformedMistypedUnknownExpiredAndRevokedKeys() throws Exception {
    String revoked = relay.key(Scopes.MESSAGES_SEND);
    relay.keys.revoke(ApiKey.FORMAT.idOf(revoked), Optional.empty(), "test").ok().orElseThrow();
    String expiring = relay.keys.create("dev-1", java.util.Set.of(Scopes.MESSAGES_SEND), Duration.ofMinutes(1), "test")
        .ok().orElseThrow().key().reveal();
    String typo = key.substring(0, 20) + (key.charAt(20) == 'x' ? 'y' : 'x') + key.substring(21);
    String unknown = ApiKey.FORMAT.generate(new java.util.Random(1));
    relay.pki.clock.advance(Duration.ofMinutes(2));

    for (String bad : new String[] {"not-a-key", typo, unknown, expiring, revoked}) {
      HttpResponse<String> r = relay.post(bad, null, MESSAGE);
      assertThat(r.statusCode()).as(bad).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
      assertThat(r.body()).doesNotContain(bad);
    }
    assertThat(relay.post(null, null, MESSAGE).statusCode()).isEqualTo(401);
    assertThat(relay.twilio.received()).isEmpty();
  }

  @Test
  void aRevokedDevicesKeyGets401AtOnceEvenWhenItsKeyRecordIsStillActive() throws Exception {
    String active = relay.key(Scopes.MESSAGES_SEND);
    assertThat(relay.post(active, null, MESSAGE).statusCode()).isEqualTo(201);
    relay.pki.registry.write(tx -> {
      tx.devices().put(tx.devices().find("dev-1").orElseThrow().withState(Device.State.REVOKED));
      return null;
    });

    HttpResponse<String> r = relay.post(active, null, MESSAGE);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
    assertThat(relay.twilio.received()).hasSize(1);
  }

  @Test
  void answers403InsufficientScopeForAKeyWithoutMessagesSend() throws Exception {
    HttpResponse<String> r = relay.post(relay.key(Scopes.EVENTS_PUBLISH), null, MESSAGE);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
    assertThat(r.body()).contains("insufficient_scope");
  }

  @Test
  void answers400NamingTheBadField() throws Exception {
    key = relay.key(Scopes.MESSAGES_SEND);
    String other = relay.key(Scopes.MESSAGES_SEND);
    assertThat(relay.post(key, null, "{\"to\":\"5551234\",\"body\":\"x\"}").body()).contains("\"field\":\"to\"");
    assertThat(relay.post(key, null, "{\"to\":\"+15551234567\"}").body()).contains("\"field\":\"body\"");
    assertThat(relay.post(key, null, "{\"to\":\"+15551234567\",\"body\":\"x\",\"cc\":1}").body())
        .contains("\"field\":\"cc\"");
    HttpResponse<String> notJson = relay.post(other, null, "{to:");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("invalid_request");
    assertThat(relay.post(other, "bad key with spaces", MESSAGE).body()).contains("\"field\":\"Idempotency-Key\"");
  }

  @Test
  void answers413ForAnOversizedBody() throws Exception {
    HttpResponse<String> r = relay.post(key, null, "{\"to\":\"+15551234567\",\"body\":\"" + "x".repeat(2000) + "\"}");

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(relay.twilio.received()).isEmpty();
  }

  @Test
  void replaysTheFirstResponseForTheSameKeyAndBodyWithoutSendingAgain() throws Exception {
    HttpResponse<String> first = relay.post(key, "order-1", MESSAGE);
    HttpResponse<String> again = relay.post(key, "order-1", "{ \"body\":\"door opened\", \"to\":\"+15551234567\" }");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(relay.twilio.received()).hasSize(1);
  }

  @Test
  void answers422ForTheSameIdempotencyKeyWithADifferentBody() throws Exception {
    relay.post(key, "order-2", MESSAGE);

    HttpResponse<String> r = relay.post(key, "order-2", "{\"to\":\"+15551234567\",\"body\":\"window opened\"}");

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(relay.twilio.received()).hasSize(1);
  }

  @Test
  void answers409ForARetryWhileTheFirstIsStillInFlight() throws Exception {
    CountDownLatch release = relay.twilio.holdRequests();
    CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
      try {
        return relay.post(key, "order-3", MESSAGE);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> relay.twilio.received().size() == 1);

    HttpResponse<String> retry = relay.post(key, "order-3", MESSAGE);
    release.countDown();

    assertThat(retry.statusCode()).isEqualTo(409);
    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    assertThat(relay.twilio.received()).hasSize(1);
  }

  @Test
  void remembersAnswersAcrossARelayRestart() throws Exception {
    HttpResponse<String> first = relay.post(key, "order-4", MESSAGE);
    relay.restart("relay-2");

    HttpResponse<String> again = relay.post(key, "order-4", MESSAGE);

    assertThat(again.body()).isEqualTo(first.body());
    assertThat(relay.twilio.received()).hasSize(1);
  }

  @Test
  void forgetsAnIdempotencyKeyAfterTheWindow() throws Exception {
    relay.post(key, "order-5", MESSAGE);
    relay.pki.clock.advance(Duration.ofHours(24));

    assertThat(relay.idempotency.purgeExpired()).isEqualTo(1);
    assertThat(relay.post(key, "order-5", MESSAGE).statusCode()).isEqualTo(201);
    assertThat(relay.twilio.received()).hasSize(2);
  }

  @Test
  void answers429WithRetryAfterWhenAKeyExceedsItsBucket() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(relay.post(key, null, MESSAGE).statusCode()).isEqualTo(201);
    }
    HttpResponse<String> limited = relay.post(key, null, MESSAGE);
    relay.pki.clock.advance(Duration.ofSeconds(1));

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("1");
    assertThat(relay.post(key, null, MESSAGE).statusCode()).isEqualTo(201);
  }

  @Test
  void answers502WithRetryAfterOnAnUpstreamErrorAndSendsAgainOnRetry() throws Exception {
    relay.twilio.answer(new FakeTwilio.Answer(500, "{}", null));
    HttpResponse<String> failed = relay.post(key, "order-6", MESSAGE);
    relay.twilio.answer(FakeTwilio.created());
    HttpResponse<String> retried = relay.post(key, "order-6", MESSAGE);

    assertThat(failed.statusCode()).isEqualTo(502);
    assertThat(failed.headers().firstValue("Retry-After")).contains("30");
    assertThat(retried.statusCode()).isEqualTo(201);
    assertThat(relay.twilio.received()).hasSize(2);
  }

  @Test
  void answers503WithTheUpstreamsRetryAfterWhenItIsRateLimited() throws Exception {
    relay.twilio.answer(new FakeTwilio.Answer(429, "{}", "17"));

    HttpResponse<String> r = relay.post(key, null, MESSAGE);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("17");
  }

  @Test
  void answers503AndLetsTheDeviceRetryWhenTheSmsApiTimesOutWith408() throws Exception {
    relay.twilio.answer(new FakeTwilio.Answer(408, "{}", null));
    HttpResponse<String> timedOut = relay.post(key, "order-408", MESSAGE);
    relay.twilio.answer(FakeTwilio.created());
    HttpResponse<String> retried = relay.post(key, "order-408", MESSAGE);

    assertThat(timedOut.statusCode()).isEqualTo(503);
    assertThat(timedOut.headers().firstValue("Retry-After")).contains("30");
    assertThat(retried.statusCode()).as("the key was freed: the retry is sent").isEqualTo(201);
    assertThat(relay.twilio.received()).hasSize(2);
  }

  @Test
  void answers422AndRemembersItWhenTheProviderRejectsTheMessageForGood() throws Exception {
    relay.twilio.answer(new FakeTwilio.Answer(400, "{\"code\":21211,\"message\":\"invalid To\"}", null));

    HttpResponse<String> r = relay.post(key, "order-7", MESSAGE);
    HttpResponse<String> replay = relay.post(key, "order-7", MESSAGE);

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).contains("upstream_rejected").contains("21211");
    assertThat(replay.body()).isEqualTo(r.body());
    assertThat(relay.twilio.received()).hasSize(1);
  }

  @Test
  void answers503WhenTheSmsApiCannotBeReached() throws Exception {
    relay.twilio.close();

    HttpResponse<String> r = relay.post(key, null, MESSAGE);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void answers500AndFreesTheIdempotencyKeyWhenTheSenderFailsUnexpectedly() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    SmsSender flaky = m -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("provider client bug");
      }
      return new SmsSender.Accepted("SM-second");
    };
    relay.server.stop(0);
    relay.server = RelayServer.start(new java.net.InetSocketAddress("127.0.0.1", 0),
        Optional.of(relay.pki.services.server("relay.tls", relay.settings.serverNames(), "test")), relay.settings,
        relay.keys, relay.idempotency, new RateLimiter(relay.pki.clock, 10, 60), flaky, ApiLimits.defaults(),
        dev.holdfast.provisioning.testing.TestRandom.seeded(45));

    HttpResponse<String> failed = relay.post(key, "order-8", MESSAGE);
    HttpResponse<String> retried = relay.post(key, "order-8", MESSAGE);

    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).doesNotContain("provider client bug");
    assertThat(retried.statusCode()).isEqualTo(201);
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void aFailureWhoseMessageQuotesAHeaderIsLoggedByItsClassOnly() throws Exception {
    String token = "upstream-secret-4d2f9a";
    relay.server.stop(0);
    relay.server = RelayServer.start(new java.net.InetSocketAddress("127.0.0.1", 0),
        Optional.of(relay.pki.services.server("relay.tls", relay.settings.serverNames(), "test")), relay.settings,
        relay.keys, relay.idempotency, new RateLimiter(relay.pki.clock, 10, 60), m -> {
          throw new IllegalArgumentException("invalid header value: \"Bearer " + token + "\u0007\"");
        }, ApiLimits.defaults(), TestRandom.seeded(48));

    HttpResponse<String> r = relay.post(key, "order-10", MESSAGE);

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).doesNotContain(token);
    assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("target/test-logs/provisioning-test.log")))
        .contains("unexpected failure while handling a message: java.lang.IllegalArgumentException")
        .doesNotContain(token);
  }

  @Test
  void answers503WithRetryAfterWhenItsIdempotencyLogCannotBeWritten() throws Exception {
    relay.server.stop(0);
    relay.idempotency.close();
    IdempotencyLog log = GroupCommitTest.open(relay.logDir.resolveSibling("faulty-log"));
    FaultyLog faulty = new FaultyLog(log);
    relay.idempotency = new IdempotencyStore(log, faulty, relay.pki.clock, Duration.ofHours(24), "relay-faulty");
    relay.idempotency.start(Thread::new);
    relay.server = RelayServer.start(new java.net.InetSocketAddress("127.0.0.1", 0),
        Optional.of(relay.pki.services.server("relay.tls", relay.settings.serverNames(), "test")), relay.settings,
        relay.keys, relay.idempotency, new RateLimiter(relay.pki.clock, 10, 60), m -> new SmsSender.Accepted("SM-never"),
        ApiLimits.defaults(), TestRandom.seeded(47));
    faulty.failWrites.set(true);

    HttpResponse<String> r = relay.post(key, "order-9", MESSAGE);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
    assertThat(r.body()).contains("unavailable").doesNotContain("no space");
  }

  @Test
  void servesOnlyTlsWithTheCertificateOfTheFleetCa() {
    HttpClient untrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(relay.uri("/v1/messages"))
        .POST(HttpRequest.BodyPublishers.ofString(MESSAGE)).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void turnsNaglesAlgorithmOffForTheJdkServerSoKeepAliveResponsesAreNotDelayed() {
    assertThat(System.getProperty(RelayServer.NO_DELAY_PROPERTY)).isEqualTo("true");
  }

  @Test
  void answers405And404OutsideTheOneEndpoint() throws Exception {
    HttpResponse<String> get = relay.client.send(HttpRequest.newBuilder(relay.uri("/v1/messages")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> other = relay.client.send(HttpRequest.newBuilder(relay.uri("/v1/messagesx"))
        .POST(HttpRequest.BodyPublishers.ofString(MESSAGE)).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(other.statusCode()).isEqualTo(404);
  }
}
