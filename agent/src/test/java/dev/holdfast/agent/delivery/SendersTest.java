package dev.holdfast.agent.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.config.WebhookUrls;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.outbox.RecordId;
import dev.holdfast.agent.outbox.Sender;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.agent.identity.TlsContexts;
import dev.holdfast.agent.testing.RecordingServer;
import dev.holdfast.agent.testing.RecordingServer.Answer;
import dev.holdfast.agent.testing.TestFleet;
import dev.holdfast.protocol.crypto.Secret;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.security.SecureRandom;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each sender against a real HTTP server on loopback. */
class SendersTest {
  static final String API_KEY = "hf_RelayKey0123456789abcdefghijklmnop";
  static final String AUTH_TOKEN = "twilio-auth-token-5e3f9a8b7c6d";
  static final String SIGNING = "whsec-signing-secret-a1b2c3";
  static final String NUMBER = "+15559871234";
  static final String BODY = "Gate 3 opened at 04:12";
  static final String SID = "AC0123456789abcdef0123456789abcdef";

  final MutableClock clock = MutableClock.atTheStartOf2026();
  final RecordingServer server = newServer();
  final HttpDelivery http = new HttpDelivery(HttpDelivery.PLATFORM_TLS, Duration.ofSeconds(2), clock);

  static RecordingServer newServer() {
    try {
      return new RecordingServer();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static OutboxRecord record(Channel channel, String destination, String body, String contentType) {
    java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
    return new OutboxRecord(RecordId.of(t.toEpochMilli(), 0), "idem-7f3a", channel, destination,
        body.getBytes(StandardCharsets.UTF_8), contentType, t, t.plusSeconds(3600), 0, t, Optional.empty(), false);
  }

  static SecretSource source(String name, String value) {
    return new SecretSource(name, () -> Optional.ofNullable(value)
        .map(v -> Secret.copyOf(v.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void aWebhookPostsTheBodyWithItsContentTypeAndTheIdempotencyKey() {
    OutboxRecord r = record(Channel.WEBHOOK, server.uri("/hooks/door").toString(), "{\"door\":\"open\"}",
        "application/json");
    DeliveryOutcome o = new WebhookSender(http, Optional.empty(), clock).send(r);
    assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
    RecordingServer.Request got = server.requests().get(0);
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.path()).isEqualTo("/hooks/door");
    assertThat(got.text()).isEqualTo("{\"door\":\"open\"}");
    assertThat(got.header("Content-Type")).isEqualTo("application/json");
    assertThat(got.header("Idempotency-Key")).isEqualTo("idem-7f3a");
    assertThat(got.header(WebhookSender.SIGNATURE_HEADER)).isNull();
  }

  /**
   * A receiver's check written from docs/delivery.md alone, on javax.crypto: the HMAC over
   * "holdfast-webhook-v2\nPOST\n" + its own URL + "\n" + Idempotency-Key + "\n" + t + "\n" + body.
   */
  static boolean receiverAccepts(String header, String method, String url, String idempotencyKey, byte[] body)
      throws Exception {
    String t = header.substring(header.indexOf("t=") + 2, header.indexOf(','));
    String sent = header.substring(header.indexOf("v2=") + 3);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SIGNING.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update(("holdfast-webhook-v2\n" + method + "\n" + url + "\n" + idempotencyKey + "\n" + t + "\n")
        .getBytes(StandardCharsets.UTF_8));
    byte[] expected = mac.doFinal(body);
    return java.security.MessageDigest.isEqual(expected, HexFormat.of().parseHex(sent));
  }

  @Test
  void aSignedWebhookVerifiesAtTheReceiverOverMethodUrlIdempotencyKeyTimeAndBody() throws Exception {
    String url = server.uri("/hooks/door").toString();
    OutboxRecord r = record(Channel.WEBHOOK, url, BODY, "text/plain");
    new WebhookSender(http, Optional.of(source("hook-key", SIGNING)), clock).send(r);
    RecordingServer.Request got = server.requests().get(0);
    String header = got.header(WebhookSender.SIGNATURE_HEADER);
    assertThat(header).startsWith("t=" + clock.instant().getEpochSecond() + ",v2=");
    assertThat(receiverAccepts(header, got.method(), url, got.header("Idempotency-Key"), got.body())).isTrue();
  }

  @Test
  void aSignatureFailsVerificationForAnotherUrlIdempotencyKeyTimeMethodOrBody() throws Exception {
    String url = server.uri("/hooks/door").toString();
    new WebhookSender(http, Optional.of(source("hook-key", SIGNING)), clock)
        .send(record(Channel.WEBHOOK, url, BODY, "text/plain"));
    RecordingServer.Request got = server.requests().get(0);
    String header = got.header(WebhookSender.SIGNATURE_HEADER);
    String key = got.header("Idempotency-Key");
    byte[] body = got.body();
    assertThat(receiverAccepts(header, "POST", url.replace("/hooks/door", "/hooks/gate"), key, body))
        .as("another receiver's URL").isFalse();
    assertThat(receiverAccepts(header, "POST", url.replace("127.0.0.1", "localhost"), key, body))
        .as("another host").isFalse();
    assertThat(receiverAccepts(header, "POST", url, key + "x", body)).as("another idempotency key").isFalse();
    long t = clock.instant().getEpochSecond();
    assertThat(receiverAccepts(header.replace("t=" + t, "t=" + (t + 600)), "POST", url, key, body))
        .as("a later timestamp").isFalse();
    assertThat(receiverAccepts(header, "PUT", url, key, body)).as("another method").isFalse();
    assertThat(receiverAccepts(header, "POST", url, key, "Gate 3 closed".getBytes(StandardCharsets.UTF_8)))
        .as("another body").isFalse();
  }

  @Test
  void aWebhookOutsideTheAllowListIsDeadLetteredNeitherSentNorSigned() {
    WebhookUrls allowed = WebhookUrls.parse(server.uri("/hooks/").toString());
    WebhookSender sender = new WebhookSender(http, Optional.of(source("hook-key", SIGNING)), allowed, clock);
    DeliveryOutcome outside = sender.send(record(Channel.WEBHOOK, server.uri("/admin").toString(), BODY, "t/p"));
    assertThat(outside).isInstanceOf(DeliveryOutcome.Permanent.class);
    assertThat(outside.reason()).contains("webhook.allowed-urls");
    assertThat(server.requests()).isEmpty();
    assertThat(sender.send(record(Channel.WEBHOOK, server.uri("/hooks/door").toString(), BODY, "t/p")))
        .isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(server.requests()).singleElement().satisfies(got -> assertThat(got.path()).isEqualTo("/hooks/door"));
  }

  @Test
  void aSigningSecretThatIsConfiguredButMissingHoldsTheRecordAndSaysWhatToSet() {
    OutboxRecord r = record(Channel.WEBHOOK, server.uri("/h").toString(), BODY, "text/plain");
    DeliveryOutcome o = new WebhookSender(http, Optional.of(source("hook-key", null)), clock).send(r);
    assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(o.reason()).contains("secret set hook-key");
    assertThat(server.requests()).as("nothing unsigned leaves the device").isEmpty();
  }

  @Test
  void theRelayGetsJsonAndTheApiKeyAsABearerToken() {
    RelaySender relay = new RelaySender(http, Optional.of(server.uri("/")), source("relay-api-key", API_KEY));
    DeliveryOutcome o = relay.send(record(Channel.SMS, NUMBER, BODY, "text/plain; charset=utf-8"));
    assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
    RecordingServer.Request got = server.requests().get(0);
    assertThat(got.path()).isEqualTo("/v1/messages");
    assertThat(got.text()).isEqualTo("{\"to\":\"" + NUMBER + "\",\"body\":\"" + BODY + "\"}");
    assertThat(got.header("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(got.header("Idempotency-Key")).isEqualTo("idem-7f3a");
  }

  @Test
  void theRelayWithoutAKeyOrAUrlWaitsAndSaysWhatToSet() {
    OutboxRecord r = record(Channel.SMS, NUMBER, BODY, "text/plain");
    assertThat(new RelaySender(http, Optional.of(server.uri("/")), source("relay-api-key", null)).send(r).reason())
        .contains("secret set relay-api-key");
    assertThat(new RelaySender(http, Optional.empty(), source("relay-api-key", API_KEY)).send(r).reason())
        .contains("sms.relay.url");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void aRelayThatRejectsTheKeyMeansCredentialsRejected() {
    server.answer(r -> Answer.of(401, "WWW-Authenticate", "Bearer error=\"invalid_token\""));
    RelaySender relay = new RelaySender(http, Optional.of(server.uri("/")), source("relay-api-key", API_KEY));
    assertThat(relay.send(record(Channel.SMS, NUMBER, BODY, "text/plain")))
        .isInstanceOf(DeliveryOutcome.CredentialsRejected.class);
  }

  @Test
  void twilioGetsTheFormFieldsAndBasicAuthWithTheAccountSid() {
    TwilioSender twilio = new TwilioSender(http, HttpClient.newHttpClient(), server.uri("/"), Optional.of(SID), Optional.of("+15550001111"),
        source("twilio-auth-token", AUTH_TOKEN));
    assertThat(twilio.send(record(Channel.SMS, NUMBER, BODY, "text/plain"))).isInstanceOf(DeliveryOutcome.Delivered.class);
    RecordingServer.Request got = server.requests().get(0);
    assertThat(got.path()).isEqualTo("/2010-04-01/Accounts/" + SID + "/Messages.json");
    assertThat(got.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(URLDecoder.decode(got.text(), StandardCharsets.UTF_8))
        .isEqualTo("To=" + NUMBER + "&From=+15550001111&Body=" + BODY);
    assertThat(got.header("Authorization")).isEqualTo("Basic "
        + Base64.getEncoder().encodeToString((SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aServiceUnavailableWithRetryAfterIsARetryNotBeforeThen() {
    server.answer(r -> Answer.of(503, "Retry-After", "7"));
    DeliveryOutcome o = new WebhookSender(http, Optional.empty(), clock)
        .send(record(Channel.WEBHOOK, server.uri("/h").toString(), BODY, "text/plain"));
    assertThat(o).isInstanceOfSatisfying(DeliveryOutcome.Retry.class,
        r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(7)));
  }

  @Test
  void aReceiverThatNeverAnswersIsATimeoutToRetry() {
    server.answer(r -> Answer.HANG);
    HttpDelivery impatient = new HttpDelivery(HttpDelivery.PLATFORM_TLS, Duration.ofMillis(300), clock);
    DeliveryOutcome o = new WebhookSender(impatient, Optional.empty(), clock)
        .send(record(Channel.WEBHOOK, server.uri("/h").toString(), BODY, "text/plain"));
    assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(o.reason()).contains("timed out");
  }

  @Test
  void aClosedPortIsAConnectionErrorToRetry() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    DeliveryOutcome o = new WebhookSender(http, Optional.empty(), clock)
        .send(record(Channel.WEBHOOK, "http://127.0.0.1:" + port + "/h", BODY, "text/plain"));
    assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(o.reason()).startsWith("no answer");
  }

  @Test
  void noReasonOrDescriptionContainsASecretTheNumberOrTheBody() {
    List<Integer> statuses = List.of(200, 400, 401, 404, 429, 503);
    for (int status : statuses) {
      server.answer(r -> Answer.of(status));
      List<Sender> senders = List.of(
          new RelaySender(http, Optional.of(server.uri("/")), source("relay-api-key", API_KEY)),
          new TwilioSender(http, HttpClient.newHttpClient(), server.uri("/"), Optional.of(SID), Optional.of("+15550001111"),
              source("twilio-auth-token", AUTH_TOKEN)),
          new WebhookSender(http, Optional.of(source("hook-key", SIGNING)), clock));
      for (Sender s : senders) {
        Channel channel = s instanceof WebhookSender ? Channel.WEBHOOK : Channel.SMS;
        String destination = channel == Channel.WEBHOOK ? server.uri("/h").toString() : NUMBER;
        DeliveryOutcome o = s.send(record(channel, destination, BODY, "text/plain"));
        for (String secret : List.of(API_KEY, AUTH_TOKEN, SIGNING, NUMBER, BODY)) {
          assertThat(o.reason()).doesNotContain(secret);
          assertThat(o.toString()).doesNotContain(secret);
          assertThat(s.toString()).doesNotContain(secret);
        }
      }
    }
    assertThat(source("relay-api-key", API_KEY).toString()).doesNotContain(API_KEY);
  }

  @Test
  void everyAttemptOfARecordCarriesItsIdempotencyKey() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    server.answer(r -> n.getAndIncrement() < 2 ? Answer.of(503) : Answer.of(200));
    WebhookSender webhook = new WebhookSender(http, Optional.empty(), clock);
    OutboxRecord r = record(Channel.WEBHOOK, server.uri("/h").toString(), BODY, "text/plain");
    assertThat(webhook.send(r)).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(webhook.send(r)).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(webhook.send(r)).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(server.requests()).hasSize(3)
        .allSatisfy(got -> assertThat(got.header("Idempotency-Key")).isEqualTo("idem-7f3a"));
  }

  @Test
  void aRedirectIsNotFollowedAndDeadLettersTheRecord() {
    server.answer(r -> Answer.of(302, "Location", server.uri("/elsewhere").toString()));
    DeliveryOutcome o = new WebhookSender(http, Optional.empty(), clock)
        .send(record(Channel.WEBHOOK, server.uri("/h").toString(), BODY, "text/plain"));
    assertThat(o).isInstanceOf(DeliveryOutcome.Permanent.class);
    assertThat(o.reason()).startsWith("HTTP 302");
    assertThat(server.requests()).extracting(RecordingServer.Request::path).containsExactly("/h");
  }

  @Test
  void aBadRequestFromTheReceiverDeadLettersTheRecordNamingTheStatus() {
    server.answer(r -> Answer.of(422));
    DeliveryOutcome o = new RelaySender(http, Optional.of(server.uri("/")), source("relay-api-key", API_KEY))
        .send(record(Channel.SMS, NUMBER, BODY, "text/plain"));
    assertThat(o).isInstanceOf(DeliveryOutcome.Permanent.class);
    assertThat(o.reason()).isEqualTo("HTTP 422");
  }

  @Test
  void aConnectionResetByTheReceiverIsRetried() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
      Thread resetter = new Thread(() -> {
        try (java.net.Socket c = s.accept()) {
          c.getInputStream().read(new byte[64]);
          c.setSoLinger(true, 0);
        } catch (java.io.IOException ignored) {
          // the test fails on the outcome if the reset did not happen
        }
      });
      resetter.start();
      DeliveryOutcome o = new WebhookSender(http, Optional.empty(), clock)
          .send(record(Channel.WEBHOOK, "http://127.0.0.1:" + s.getLocalPort() + "/h", BODY, "text/plain"));
      resetter.join();
      assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
      assertThat(o.reason()).startsWith("no answer: ");
    }
  }

  @Test
  void aRelayUrlWithAPathKeepsItsPath() {
    new RelaySender(http, Optional.of(server.uri("/holdfast/")), source("relay-api-key", API_KEY))
        .send(record(Channel.SMS, NUMBER, BODY, "text/plain"));
    new TwilioSender(http, HttpClient.newHttpClient(), server.uri("/twilio"), Optional.of(SID), Optional.of("+15550001111"),
        source("twilio-auth-token", AUTH_TOKEN)).send(record(Channel.SMS, NUMBER, BODY, "text/plain"));
    assertThat(server.requests()).extracting(RecordingServer.Request::path)
        .containsExactly("/holdfast/v1/messages", "/twilio/2010-04-01/Accounts/" + SID + "/Messages.json");
  }

  @Test
  void anApiKeyWithALineBreakIsRefusedWithoutQuotingIt() {
    DeliveryOutcome o = new RelaySender(http, Optional.of(server.uri("/")), source("relay-api-key", API_KEY + "\r"))
        .send(record(Channel.SMS, NUMBER, BODY, "text/plain"));
    assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(o.reason()).contains("secret set relay-api-key").doesNotContain(API_KEY);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void mqttRecordsWaitForTheLink() {
    DeliveryOutcome o = NotConfigured.NO_MQTT_LINK.send(record(Channel.MQTT, "alerts", BODY, "application/json"));
    assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(o.reason()).contains("enroll");
  }

  @Test
  void theUriOfTheRecordIsUsedAsGiven() {
    URI target = server.uri("/a/b?x=1");
    new WebhookSender(http, Optional.empty(), clock).send(record(Channel.WEBHOOK, target.toString(), BODY, "t/p"));
    assertThat(server.requests().get(0).path()).isEqualTo("/a/b");
  }

  @Test
  void theRelayOverHttpsIsReachedThroughTheFleetRootAndRefusedThroughAnotherOne() throws Exception {
    TestFleet fleet = TestFleet.create();
    try (RecordingServer relay = new RecordingServer(fleet.serverContext("127.0.0.1"))) {
      HttpDelivery pinned = new HttpDelivery(() -> TlsContexts.trustingOnly(fleet.root, new SecureRandom())
          .getSocketFactory(), Duration.ofSeconds(2), clock);
      assertThat(new RelaySender(pinned, Optional.of(relay.uri("/")), source("relay-api-key", API_KEY))
          .send(record(Channel.SMS, NUMBER, BODY, "text/plain"))).isInstanceOf(DeliveryOutcome.Delivered.class);
      assertThat(relay.requests()).singleElement()
          .satisfies(got -> assertThat(got.header("Authorization")).isEqualTo("Bearer " + API_KEY));

      HttpDelivery elsewhere = new HttpDelivery(() -> TlsContexts.trustingOnly(fleet.another().root,
          new SecureRandom()).getSocketFactory(), Duration.ofSeconds(2), clock);
      DeliveryOutcome o = new RelaySender(elsewhere, Optional.of(relay.uri("/")), source("relay-api-key", API_KEY))
          .send(record(Channel.SMS, NUMBER, BODY, "text/plain"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
      assertThat(o.reason()).startsWith("no answer: SSLHandshakeException");
      assertThat(relay.requests()).hasSize(1);
    }
  }

  @Test
  void aPostWhoseConnectionDropsBeforeTheAnswerIsSentOnceAndRetriedByTheOutboxNotByTheHttpStack()
      throws Exception {
    java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    ServerSocket s = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
    Thread dropper;
    try {
      dropper = new Thread(() -> {
        while (!s.isClosed()) {
          try (java.net.Socket c = s.accept()) {
            connections.incrementAndGet();
            readRequest(c.getInputStream());
          } catch (java.io.IOException closed) {
            return;
          }
        }
      });
      dropper.start();
      DeliveryOutcome o = new WebhookSender(http, Optional.empty(), clock)
          .send(record(Channel.WEBHOOK, "http://127.0.0.1:" + s.getLocalPort() + "/h", BODY, "text/plain"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
      assertThat(o.reason()).startsWith("no answer: ");
    } finally {
      s.close();
    }
    dropper.join();
    assertThat(connections).hasValue(1);
  }

  /** Reads one request's head and its Content-Length body. */
  private static void readRequest(java.io.InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      head.append((char) b);
    }
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
  }

  @Test
  void aHeaderValueThatCannotBeSentIsRefusedWithoutQuotingIt() {
    OutboxRecord r = record(Channel.WEBHOOK, server.uri("/h").toString(), BODY, "text/plain");
    DeliveryOutcome o = http.send(http.post(server.uri("/h"), r, "text/plain", new byte[1])
        .header("X-Token", "abc\r\nX-Injected: " + API_KEY));
    assertThat(o).isInstanceOf(DeliveryOutcome.Permanent.class);
    assertThat(o.reason()).contains("X-Token").doesNotContain(API_KEY);
    assertThat(server.requests()).isEmpty();
  }
}
