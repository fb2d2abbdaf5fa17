package dev.holdfast.provisioning.relay;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.json.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio's Messages API (and compatible ones): a form-encoded {@code To}/{@code From}/{@code Body}
 * POST to {@code {base}/2010-04-01/Accounts/{sid}/Messages.json} with HTTP basic auth.
 */
public final class TwilioSender implements SmsSender {
  static final Duration DEFAULT_RETRY = Duration.ofSeconds(30);

  private final HttpClient client;
  private final URI endpoint;
  private final String accountSid;
  private final Secret authToken;
  private final String from;
  private final Duration timeout;

  public TwilioSender(HttpClient client, RelaySettings settings, Secret authToken) {
    this.client = client;
    String base = settings.upstreamBaseUrl().toString().replaceAll("/+$", "");
    this.endpoint = URI.create(base + "/2010-04-01/Accounts/"
        + URLEncoder.encode(settings.accountSid(), StandardCharsets.UTF_8) + "/Messages.json");
    this.accountSid = settings.accountSid();
    this.authToken = authToken;
    this.from = settings.from();
    this.timeout = settings.upstreamTimeout();
  }

  @Override
  public Outcome send(SmsMessage message) {
    String form = "To=" + enc(message.to()) + "&From=" + enc(from) + "&Body=" + enc(message.body());
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Authorization", basicAuth())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Unavailable(false, DEFAULT_RETRY, "SMS API unreachable: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Unavailable(false, DEFAULT_RETRY, "interrupted");
    }
    int status = response.statusCode();
    Duration retryAfter = retryAfter(response).orElse(DEFAULT_RETRY);
    if (status >= 200 && status < 300) {
      return new Accepted(field(response.body(), "sid").orElse(""));
    }
    if (status == 429) {
      return new Unavailable(false, retryAfter, "SMS API rate limit");
    }
    if (status == 401 || status == 403) {
      return new Unavailable(false, Duration.ofSeconds(60), "SMS API refused the relay's credentials (" + status + ")");
    }
    if (status >= 500) {
      return new Unavailable(true, retryAfter, "SMS API error " + status);
    }
    return new Rejected(field(response.body(), "code").orElse(Integer.toString(status)));
  }

  private String basicAuth() {
    byte[] token = authToken.bytes();
    try {
      String pair = accountSid + ":" + new String(token, StandardCharsets.UTF_8);
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    } finally {
      java.util.Arrays.fill(token, (byte) 0);
    }
  }

  static Optional<Duration> retryAfter(HttpResponse<?> response) {
    Optional<String> h = response.headers().firstValue("Retry-After");
    try {
      return h.map(v -> Duration.ofSeconds(Math.max(1, Long.parseLong(v.trim()))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static Optional<String> field(String json, String name) {
    try {
      if (JsonParser.parse(json) instanceof Map<?, ?> m && m.get(name) != null) {
        Object v = m.get(name);
        return Optional.of(v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString());
      }
    } catch (JsonParser.JsonException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "TwilioSender[" + endpoint + ", auth token redacted]";
  }
}
