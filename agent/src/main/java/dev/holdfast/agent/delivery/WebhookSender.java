package dev.holdfast.agent.delivery;

import dev.holdfast.agent.outbox.Sender;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.protocol.crypto.Hkdf;
import dev.holdfast.protocol.crypto.Secret;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * POSTs a webhook record's body to its URL. With a signing secret, adds {@code
 * Holdfast-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>} so the receiver can
 * check who sent it and when (docs/delivery.md shows how).
 */
public final class WebhookSender implements Sender {
  public static final String SIGNATURE_HEADER = "Holdfast-Signature";

  private final HttpDelivery http;
  private final Optional<SecretSource> signingSecret;
  private final Clock clock;

  /** @param signingSecret when present, every request is signed with it (webhook.signing-secret) */
  public WebhookSender(HttpDelivery http, Optional<SecretSource> signingSecret, Clock clock) {
    this.http = http;
    this.signingSecret = signingSecret;
    this.clock = clock;
  }

  @Override
  public DeliveryOutcome send(OutboxRecord record) {
    HttpRequest.Builder request = http.post(URI.create(record.destination()), record, record.contentType(),
        record.payload());
    if (signingSecret.isPresent()) {
      Optional<Secret> secret = signingSecret.get().read();
      if (secret.isEmpty()) {
        return NotConfigured.retry("webhook.signing-secret names '" + signingSecret.get().name()
            + "' but the vault has no such secret: 'holdfast-agent secret set " + signingSecret.get().name() + "'");
      }
      try {
        request.header(SIGNATURE_HEADER, signature(secret.get(), clock.instant().getEpochSecond(), record.payload()));
      } finally {
        secret.get().destroy();
      }
    }
    return http.send(request.build());
  }

  /** The header value for {@code body} signed at {@code unixSeconds}. */
  public static String signature(Secret secret, long unixSeconds, byte[] body) {
    byte[] prefix = (unixSeconds + ".").getBytes(StandardCharsets.US_ASCII);
    byte[] signed = ByteBuffer.allocate(prefix.length + body.length).put(prefix).put(body).array();
    byte[] key = secret.bytes();
    try {
      return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(Hkdf.hmac(key, signed));
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "WebhookSender";
  }
}
