package dev.holdfast.agent.delivery;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How an HTTP answer (or the lack of one) becomes a {@link DeliveryOutcome}: 2xx done; 408, 429
 * and 5xx retry, honouring {@code Retry-After}; 401 credentials rejected; any other status (3xx:
 * redirects are not followed) permanent. Pure functions of their arguments. Reasons name the
 * status only: they never quote the answer's body, because a receiver may echo what was sent
 * (numbers, message text) and reasons end up in {@code status} and the logs.
 */
public final class HttpOutcomes {
  private HttpOutcomes() {}

  public static DeliveryOutcome ofStatus(int status, Optional<String> retryAfter, Clock clock) {
    String reason = "HTTP " + status;
    if (status >= 200 && status < 300) {
      return new DeliveryOutcome.Delivered(reason);
    }
    if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
      return new DeliveryOutcome.Retry(reason, retryAfter.flatMap(v -> parseRetryAfter(v, clock.instant())));
    }
    if (status == 401) {
      return new DeliveryOutcome.CredentialsRejected(reason);
    }
    if (status >= 300 && status < 400) {
      return new DeliveryOutcome.Permanent(reason + " (redirects are not followed; use the final URL)");
    }
    return new DeliveryOutcome.Permanent(reason);
  }

  /** No answer: a timeout, a refused or reset connection, a TLS failure. All worth retrying. */
  public static DeliveryOutcome ofFailure(IOException e) {
    String what;
    if (e instanceof HttpTimeoutException) {
      what = "timed out (delivery.timeout)";
    } else if (e instanceof ConnectException) {
      what = "connection refused or unreachable";
    } else {
      what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + printable(e.getMessage()));
    }
    return new DeliveryOutcome.Retry("no answer: " + what, Optional.empty());
  }

  /**
   * {@code Retry-After} as delta-seconds or an HTTP-date (RFC 9110 10.2.3); empty for anything
   * else, and for a date in the past.
   */
  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String v = value.strip();
    if (v.matches("[0-9]{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return at.isAfter(now) ? Optional.of(Duration.between(now, at)) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String printable(String s) {
    return s.replaceAll("[\\p{Cntrl}]+", " ").strip();
  }
}
