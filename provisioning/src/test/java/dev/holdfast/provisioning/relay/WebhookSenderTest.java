package dev.holdfast.provisioning.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.protocol.messages.RelayMessage;
import dev.holdfast.provisioning.testing.FakeTwilio;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {
  static final RelayMessage MESSAGE = new RelayMessage("+15551234567", "door \"opened\"");
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  final FakeTwilio hook;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  WebhookSenderTest() throws Exception {
    hook = new FakeTwilio();
  }

  @AfterEach
  void tearDown() {
    hook.close();
  }

  WebhookSender sender(URI url, Optional<Secret> token) {
    return new WebhookSender(http, new RelaySettings(List.of("localhost"), 1024, 3, 60, Duration.ofHours(24), url,
        "", "", Duration.ofSeconds(5), 2, RelaySettings.Upstream.WEBHOOK), token, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void postsTheMessageAsJsonWithTheSealedBearerTokenAndKeepsTheReturnedId() throws Exception {
    hook.answer(new FakeTwilio.Answer(202, "{\"id\":\"evt-7\"}", null));
    WebhookSender s = sender(URI.create(hook.baseUrl() + "/hooks/sms"),
        Optional.of(Secret.copyOf("hook-token-123".getBytes(StandardCharsets.UTF_8))));

    SmsSender.Outcome outcome = s.send(MESSAGE);

    assertThat(outcome).isEqualTo(new SmsSender.Accepted("evt-7"));
    FakeTwilio.Received got = hook.received().get(0);
    assertThat(got.path()).isEqualTo("/hooks/sms");
    assertThat(got.authorization()).isEqualTo("Bearer hook-token-123");
    assertThat(JsonParser.parse(got.body())).isEqualTo(Map.of("to", "+15551234567", "body", "door \"opened\""));
    assertThat(s.toString()).doesNotContain("hook-token-123");
  }

  @Test
  void sendsNoAuthorizationWithoutAToken() {
    assertThat(sender(hook.baseUrl(), Optional.empty()).send(MESSAGE)).isInstanceOf(SmsSender.Accepted.class);
    assertThat(hook.received().get(0).authorization()).isNull();
  }

  @Test
  void mapsServerErrorsRateLimitsRefusalsAndRejectionsLikeTheSmsApi() {
    WebhookSender s = sender(hook.baseUrl(), Optional.empty());

    hook.answer(new FakeTwilio.Answer(500, "{}", null));
    assertThat(s.send(MESSAGE)).isInstanceOfSatisfying(SmsSender.Unavailable.class,
        u -> assertThat(u.badGateway()).isTrue());
    hook.answer(new FakeTwilio.Answer(429, "{}", "17"));
    assertThat(s.send(MESSAGE)).isInstanceOfSatisfying(SmsSender.Unavailable.class, u -> {
      assertThat(u.badGateway()).isFalse();
      assertThat(u.retryAfter()).isEqualTo(Duration.ofSeconds(17));
    });
    hook.answer(new FakeTwilio.Answer(401, "{}", null));
    assertThat(s.send(MESSAGE)).isInstanceOfSatisfying(SmsSender.Unavailable.class,
        u -> assertThat(u.badGateway()).isFalse());
    hook.answer(new FakeTwilio.Answer(400, "{}", null));
    assertThat(s.send(MESSAGE)).isEqualTo(new SmsSender.Rejected("400"));
  }

  @Test
  void aTimeoutOfTheUpstreamIsRetriedNotRejectedAndARetryAfterDateIsHonoured() {
    WebhookSender s = sender(hook.baseUrl(), Optional.empty());

    hook.answer(new FakeTwilio.Answer(408, "{}", "Thu, 01 Jan 2026 00:02:00 GMT"));
    assertThat(s.send(MESSAGE)).isInstanceOfSatisfying(SmsSender.Unavailable.class, u -> {
      assertThat(u.badGateway()).isFalse();
      assertThat(u.retryAfter()).isEqualTo(Duration.ofMinutes(2));
    });
    hook.answer(new FakeTwilio.Answer(503, "{}", "Thu, 01 Jan 2026 00:00:45 GMT"));
    assertThat(s.send(MESSAGE)).isInstanceOfSatisfying(SmsSender.Unavailable.class,
        u -> assertThat(u.retryAfter()).isEqualTo(Duration.ofSeconds(45)));
  }

  @Test
  void reportsAnUnreachableWebhookAsUnavailable() {
    URI url = hook.baseUrl();
    hook.close();

    assertThat(sender(url, Optional.empty()).send(MESSAGE)).isInstanceOfSatisfying(SmsSender.Unavailable.class,
        u -> assertThat(u.badGateway()).isFalse());
  }
}
