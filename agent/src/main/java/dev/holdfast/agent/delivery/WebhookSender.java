package dev.holdfast.agent.delivery;

import dev.holdfast.agent.config.WebhookUrls;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.outbox.Sender;
import dev.holdfast.protocol.crypto.Hkdf;
import dev.holdfast.protocol.crypto.Secret;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * POSTs a webhook record's body to its URL, if {@code webhook.allowed-urls} allows the URL. With a
 * signing secret, adds {@code Holdfast-Signature: t=<unix seconds>,v2=<hex HMAC-SHA256>} over the
 * {@link #canonical canonical string} of method, URL, idempotency key, time and body, so a
 * signature is good for one request to one URL only (docs/delivery.md shows how to check it).
 */
public final class WebhookSender implements Sender {
  public static final String SIGNATURE_HEADER = "Holdfast-Signature";
  /** The first line of the canonical string: names the format, so no other signature can pass for it. */
  static final String DOMAIN = "holdfast-webhook-v2";
  static final String METHOD = "POST";

  private final HttpDelivery http;
  private final Optional<SecretSource> signingSecret;
  private final WebhookUrls allowed;
  private final Clock clock;

  /** A sender that posts to any URL. */
  public WebhookSender(HttpDelivery http, Optional<SecretSource> signingSecret, Clock clock) {
    this(http, signingSecret, WebhookUrls.ANY, clock);
  }

  /**
   * @param signingSecret when present, every request is signed with it (webhook.signing-secret)
   * @param allowed webhook.allowed-urls: a record for another URL is dead-lettered, neither sent nor signed
   */
  public WebhookSender(HttpDelivery http, Optional<SecretSource> signingSecret, WebhookUrls allowed, Clock clock) {
    this.http = http;
    this.signingSecret = signingSecret;
    this.allowed = allowed;
    this.clock = clock;
  }

  @Override
  public DeliveryOutcome send(OutboxRecord record) {
    if (!allowed.permits(record.destination())) {
      return new DeliveryOutcome.Permanent("refused: the URL is not under webhook.allowed-urls (neither sent nor"
          + " signed); add its prefix to the configuration and 'outbox retry' the record");
    }
    HttpDelivery.Post request = http.post(URI.create(record.destination()), record, record.contentType(),
        record.payload());
    if (signingSecret.isPresent()) {
      Optional<Secret> secret = signingSecret.get().read();
      if (secret.isEmpty()) {
        return NotConfigured.retry("webhook.signing-secret names '" + signingSecret.get().name()
            + "' but the vault has no such secret: 'holdfast-agent secret set " + signingSecret.get().name() + "'");
      }
      try {
        request.header(SIGNATURE_HEADER, signature(secret.get(), clock.instant().getEpochSecond(),
            record.destination(), record.idempotencyKey(), record.payload()));
      } finally {
        secret.get().destroy();
      }
    }
    return http.send(request);
  }

  /**
   * What is signed: {@code holdfast-webhook-v2 LF POST LF <url> LF <idempotency key> LF <unix
   * seconds> LF <body>}, the text UTF-8 and the body its raw bytes. No field but the body can hold
   * a line feed (the outbox refuses URLs and keys that do), so the fields cannot be shifted.
   */
  static byte[] canonical(long unixSeconds, String url, String idempotencyKey, byte[] body) {
    byte[] head = String.join("\n", DOMAIN, METHOD, url, idempotencyKey, Long.toString(unixSeconds), "")
        .getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(head.length + body.length).put(head).put(body).array();
  }

  /** The header value for a POST of {@code body} to {@code url} with {@code idempotencyKey} at {@code unixSeconds}. */
  public static String signature(Secret secret, long unixSeconds, String url, String idempotencyKey, byte[] body) {
    byte[] key = secret.bytes();
    try {
      return "t=" + unixSeconds + ",v2=" + HexFormat.of().formatHex(Hkdf.hmac(key,
          canonical(unixSeconds, url, idempotencyKey, body)));
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "WebhookSender";
  }
}
