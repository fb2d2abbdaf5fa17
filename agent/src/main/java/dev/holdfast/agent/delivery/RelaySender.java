package dev.holdfast.agent.delivery;

import dev.holdfast.agent.outbox.Sender;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.common.http.Urls;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.RelayMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Sends an SMS through the Holdfast relay: {@code POST <relay>/v1/messages} with a {@link
 * RelayMessage} ({@code {"to", "body"}}) and the device's API key as a bearer token. The relay
 * checks the key's scope, keeps the idempotency key for 24 h and forwards to the SMS provider.
 */
public final class RelaySender implements Sender {
  private final HttpDelivery http;
  private final Optional<URI> relay;
  private final SecretSource apiKey;

  /** @param apiKey read at each attempt, so a rotated key applies without a restart */
  public RelaySender(HttpDelivery http, Optional<URI> relay, SecretSource apiKey) {
    this.http = http;
    this.relay = relay;
    this.apiKey = apiKey;
  }

  @Override
  public DeliveryOutcome send(OutboxRecord record) {
    if (relay.isEmpty()) {
      return NotConfigured.retry("sms.relay.url is not set: set it in the configuration (or sms.provider = twilio)");
    }
    Optional<Secret> key = apiKey.read();
    if (key.isEmpty()) {
      return NotConfigured.retry("no API key for the relay: store one with 'holdfast-agent secret set "
          + apiKey.name() + "' (enrollment will do this)");
    }
    byte[] json = new RelayMessage(record.destination(), new String(record.payload(), StandardCharsets.UTF_8))
        .toJson().getBytes(StandardCharsets.UTF_8);
    HttpDelivery.Post request = http.post(Urls.under(relay.get(), "/v1/messages"), record, "application/json", json);
    byte[] token = key.get().bytes();
    try {
      if (!isToken(token)) {
        return NotConfigured.retry("the vault secret '" + apiKey.name() + "' is not a usable API key (it holds spaces,"
            + " line breaks or non-ASCII characters): store it again with 'holdfast-agent secret set "
            + apiKey.name() + "'");
      }
      request.header("Authorization", "Bearer " + new String(token, StandardCharsets.US_ASCII));
    } finally {
      java.util.Arrays.fill(token, (byte) 0);
      key.get().destroy();
    }
    return http.send(request);
  }

  /** Visible ASCII only: anything else cannot go in a header (and the JDK's refusal would quote it). */
  private static boolean isToken(byte[] token) {
    if (token.length == 0) {
      return false;
    }
    for (byte b : token) {
      if (b < 0x21 || b > 0x7e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "RelaySender";
  }
}
