package dev.holdfast.agent.delivery;

import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.outbox.Sender;
import dev.holdfast.common.sms.TwilioClient;
import dev.holdfast.protocol.crypto.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Sends an SMS straight to the Twilio Messages API (or a compatible one) with the shared {@link
 * TwilioClient}: the account SID and sender number from the configuration, the auth token from the
 * vault at each attempt. Twilio ignores {@code Idempotency-Key}, so a retry after a lost answer can
 * send the SMS twice; the relay provider closes that window.
 */
public final class TwilioSender implements Sender {
  private final HttpDelivery http;
  private final Optional<TwilioClient> client;
  private final Optional<String> from;
  private final SecretSource authToken;

  /**
   * @param client the JDK HTTP client {@link TwilioClient} is written for: this channel is the one
   *     that pays for it, and only when {@code sms.provider = twilio}
   */
  public TwilioSender(HttpDelivery http, HttpClient client, URI base, Optional<String> accountSid,
      Optional<String> from, SecretSource authToken) {
    this.http = http;
    this.client = accountSid.map(sid -> new TwilioClient(client, base, sid, http.timeout()));
    this.from = from;
    this.authToken = authToken;
  }

  @Override
  public DeliveryOutcome send(OutboxRecord record) {
    if (client.isEmpty() || from.isEmpty()) {
      return NotConfigured.retry("sms.twilio.account-sid and sms.twilio.from must be set for sms.provider = twilio");
    }
    Optional<Secret> token = authToken.read();
    if (token.isEmpty()) {
      return NotConfigured.retry("no Twilio auth token: store it with 'holdfast-agent secret set "
          + authToken.name() + "'");
    }
    TwilioClient.Message message = new TwilioClient.Message(record.destination(), from.get(),
        new String(record.payload(), StandardCharsets.UTF_8));
    try {
      return http.outcome(client.get().send(message, token.get(),
          Map.of("Idempotency-Key", record.idempotencyKey(), "User-Agent", HttpDelivery.USER_AGENT)));
    } finally {
      token.get().destroy();
    }
  }

  @Override
  public String toString() {
    return "TwilioSender";
  }
}
