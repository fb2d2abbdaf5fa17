package dev.holdfast.common.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header (RFC 9110 10.2.3) in both of its forms: delta-seconds ({@code 120})
 * or an HTTP-date ({@code Thu, 01 Jan 2026 00:01:30 GMT}). Twilio sends seconds; proxies and CDNs in
 * front of a webhook often send dates.
 */
public final class RetryAfter {
  private RetryAfter() {}

  /**
   * How long to wait from {@code now}; empty for anything that is neither form, for a negative or
   * absurdly large number, and for a date in the past.
   */
  public static Optional<Duration> parse(String value, Instant now) {
    String v = value == null ? "" : value.strip();
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

  /** {@link #parse} of the header if there is one. */
  public static Optional<Duration> parse(Optional<String> header, Instant now) {
    return header.flatMap(v -> parse(v, now));
  }
}
