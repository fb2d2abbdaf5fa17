package dev.holdfast.agent.outbox;

import dev.holdfast.protocol.messages.PhoneNumbers;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A message to enqueue, as a producer gives it. {@link #validate} checks it against the channel's
 * rules; {@link #toString()} shows neither destination nor body.
 *
 * @param idempotencyKey empty for a new random one
 * @param ttl empty for outbox.default-ttl
 */
public record NewMessage(
    Channel channel,
    String destination,
    byte[] body,
    String contentType,
    Optional<String> idempotencyKey,
    Optional<Duration> ttl) {
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
  /**
   * What a content type may hold: printable ASCII, so it can go into an HTTP header or an MQTT
   * property as given (a CR or LF would make every attempt fail until the record's TTL).
   */
  private static final Pattern CONTENT_TYPE = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]{0,254}");
  /** The device's events topic, or a sub-topic of it (relative to holdfast/v1/devices/{id}/). */
  private static final Pattern TOPIC = Pattern.compile("events(/[A-Za-z0-9._-]{1,64}){0,7}");

  public static final String SMS_CONTENT_TYPE = "text/plain; charset=utf-8";

  /** Checks the message; the exception names the field and what is allowed. */
  public void validate(long maxBodyBytes) throws OutboxException {
    switch (channel) {
      case SMS -> {
        if (!PhoneNumbers.isE164(destination)) {
          throw invalid("'to' must be an E.164 phone number such as +15551234567");
        }
        checkUtf8(body);
      }
      case WEBHOOK -> checkUrl(destination);
      case MQTT -> {
        if (!TOPIC.matcher(destination).matches()) {
          throw invalid("'topic' must be 'events' or 'events/' and up to 7 levels of letters, digits, '.', '_' or '-'");
        }
      }
      default -> throw new IllegalStateException("unknown channel " + channel);
    }
    if (body.length == 0) {
      throw invalid("the body is empty");
    }
    if (body.length > maxBodyBytes) {
      throw new OutboxException(OutboxException.Reason.TOO_LARGE,
          "the body is " + body.length + " bytes; the limit is " + maxBodyBytes + " (outbox.max-body-bytes)");
    }
    if (!CONTENT_TYPE.matcher(contentType).matches()) {
      throw invalid("'content_type' must be 1 to 255 printable ASCII characters (no control characters such as"
          + " CR or LF), such as application/json");
    }
    if (idempotencyKey.isPresent() && !IDEMPOTENCY_KEY.matcher(idempotencyKey.get()).matches()) {
      throw invalid("'idempotency_key' must be 1 to 255 printable ASCII characters without spaces");
    }
    if (ttl.isPresent() && (ttl.get().isNegative() || ttl.get().isZero())) {
      throw invalid("'ttl' must be longer than 0");
    }
  }

  private static void checkUtf8(byte[] body) throws OutboxException {
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body));
    } catch (java.nio.charset.CharacterCodingException e) {
      throw invalid("an SMS body must be UTF-8 text");
    }
  }

  private static void checkUrl(String url) throws OutboxException {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
          && uri.getRawUserInfo() == null) {
        return;
      }
    } catch (URISyntaxException e) {
      // fall through
    }
    throw invalid("'url' must be an http:// or https:// URL with a host and no user:password@");
  }

  private static OutboxException invalid(String message) {
    return new OutboxException(OutboxException.Reason.INVALID, message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NewMessage m && m.channel == channel && m.destination.equals(destination)
        && java.util.Arrays.equals(m.body, body);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "NewMessage[" + channel.wireName() + ", " + body.length + " bytes]";
  }
}
