package dev.holdfast.agent.delivery;

import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.OutboxRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * One HTTP POST attempt for a record: the record's {@code Idempotency-Key} on every attempt, a
 * per-request timeout, the answer classified by {@link HttpOutcomes}. Shared by every HTTP sender.
 */
public final class HttpDelivery {
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;

  public HttpDelivery(HttpClient http, Duration timeout, Clock clock) {
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** A POST of {@code body} to {@code uri} with the record's idempotency key; add headers to it. */
  public HttpRequest.Builder post(URI uri, OutboxRecord record, String contentType, byte[] body) {
    return HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Content-Type", contentType)
        .header("Idempotency-Key", record.idempotencyKey())
        .header("User-Agent", "holdfast-agent")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  /** {@code path} below {@code base}, keeping any path {@code base} has ({@code https://h/relay} + {@code /v1/x}). */
  public static URI under(URI base, String path) {
    String b = base.toString();
    return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
  }

  public DeliveryOutcome send(HttpRequest request) {
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      return HttpOutcomes.ofStatus(response.statusCode(), response.headers().firstValue("Retry-After"), clock);
    } catch (IOException e) {
      return HttpOutcomes.ofFailure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new DeliveryOutcome.Retry("interrupted (the agent is stopping)", Optional.empty());
    }
  }
}
