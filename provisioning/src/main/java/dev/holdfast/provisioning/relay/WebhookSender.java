package dev.holdfast.provisioning.relay;

import dev.holdfast.common.http.AnswerFields;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.RelayMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Forwards a message as the {@link RelayMessage} JSON {@code {"to": ..., "body": ...}} to one
 * webhook URL ({@code relay.upstream.kind=webhook}), with {@code Authorization: Bearer} the sealed
 * upstream token when one is stored. The answer is read as the SMS API's ({@link UpstreamAnswers});
 * an {@code "id"} in a 2xx reply is kept.
 */
public final class WebhookSender implements SmsSender {
  private static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final HttpClient client;
  private final URI url;
  private final Optional<Secret> token;
  private final Duration timeout;
  private final Clock clock;

  public WebhookSender(HttpClient client, RelaySettings settings, Optional<Secret> token, Clock clock) {
    this.client = client;
    this.url = settings.upstreamBaseUrl();
    this.token = token;
    this.timeout = settings.upstreamTimeout();
    this.clock = clock;
  }

  @Override
  public Outcome send(RelayMessage message) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(message.toJson()));
    if (token.isPresent()) {
      byte[] t = token.get().bytes();
      try {
        b.header("Authorization", "Bearer " + new String(t, StandardCharsets.UTF_8));
      } finally {
        java.util.Arrays.fill(t, (byte) 0);
      }
    }
    try {
      HttpResponse<InputStream> response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
      }
      return UpstreamAnswers.of("webhook", response.statusCode(), response.headers().firstValue("Retry-After"),
          AnswerFields.of(body, "id"), Optional.empty(), clock);
    } catch (IOException e) {
      return UpstreamAnswers.unreachable("webhook", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UpstreamAnswers.interrupted();
    }
  }

  @Override
  public String toString() {
    return "WebhookSender[" + url.getScheme() + "://" + url.getAuthority() + ", token redacted]";
  }
}
