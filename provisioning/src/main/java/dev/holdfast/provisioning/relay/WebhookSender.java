package dev.holdfast.provisioning.relay;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Forwards a message as JSON {@code {"to": ..., "body": ...}} to one webhook URL
 * ({@code relay.upstream.kind=webhook}), with {@code Authorization: Bearer} the sealed upstream
 * token when one is stored. The answer is read as for the SMS API: 2xx taken (an {@code "id"} in
 * the reply is kept), 429/401/403 and unreachable are 503, 5xx is 502, any other 4xx is final.
 */
public final class WebhookSender implements SmsSender {
  private final HttpClient client;
  private final URI url;
  private final Optional<Secret> token;
  private final Duration timeout;

  public WebhookSender(HttpClient client, RelaySettings settings, Optional<Secret> token) {
    this.client = client;
    this.url = settings.upstreamBaseUrl();
    this.token = token;
    this.timeout = settings.upstreamTimeout();
  }

  @Override
  public Outcome send(SmsMessage message) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Json.object("to", message.to(), "body", message.body()))));
    if (token.isPresent()) {
      byte[] t = token.get().bytes();
      try {
        b.header("Authorization", "Bearer " + new String(t, StandardCharsets.UTF_8));
      } finally {
        java.util.Arrays.fill(t, (byte) 0);
      }
    }
    HttpResponse<String> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Unavailable(false, TwilioSender.DEFAULT_RETRY, "webhook unreachable: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Unavailable(false, TwilioSender.DEFAULT_RETRY, "interrupted");
    }
    int status = response.statusCode();
    Duration retryAfter = TwilioSender.retryAfter(response).orElse(TwilioSender.DEFAULT_RETRY);
    if (status >= 200 && status < 300) {
      return new Accepted(TwilioSender.field(response.body(), "id").orElse(""));
    }
    if (status == 429) {
      return new Unavailable(false, retryAfter, "webhook rate limit");
    }
    if (status == 401 || status == 403) {
      return new Unavailable(false, Duration.ofSeconds(60), "webhook refused the relay's credentials (" + status + ")");
    }
    if (status >= 500) {
      return new Unavailable(true, retryAfter, "webhook error " + status);
    }
    return new Rejected(Integer.toString(status));
  }

  @Override
  public String toString() {
    return "WebhookSender[" + url.getScheme() + "://" + url.getAuthority() + ", token redacted]";
  }
}
