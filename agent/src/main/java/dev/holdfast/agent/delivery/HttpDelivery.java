package dev.holdfast.agent.delivery;

import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.common.sms.TwilioClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * One HTTP POST attempt for a record: the record's {@code Idempotency-Key} on every attempt, a
 * per-request timeout, the answer classified by {@link HttpOutcomes}. Shared by every HTTP sender.
 */
public final class HttpDelivery {
  /** What the agent calls itself in every request. */
  public static final String USER_AGENT = "holdfast-agent";

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
        .header("User-Agent", USER_AGENT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  /** A Twilio client on this delivery's HTTP client and timeout. */
  public TwilioClient twilio(URI base, String accountSid) {
    return new TwilioClient(http, base, accountSid, timeout);
  }

  /** What a Twilio answer (or its absence) means for the record. */
  public DeliveryOutcome outcome(TwilioClient.Reply reply) {
    if (reply instanceof TwilioClient.Answered a) {
      return HttpOutcomes.ofStatus(a.status(), a.retryAfter(), clock);
    }
    if (reply instanceof TwilioClient.NoAnswer n) {
      return HttpOutcomes.ofFailure(n.cause());
    }
    return HttpOutcomes.interrupted();
  }

  public DeliveryOutcome send(HttpRequest request) {
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      return HttpOutcomes.ofStatus(response.statusCode(), response.headers().firstValue("Retry-After"), clock);
    } catch (IOException e) {
      return HttpOutcomes.ofFailure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HttpOutcomes.interrupted();
    }
  }
}
