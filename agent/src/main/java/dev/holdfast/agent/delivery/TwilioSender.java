package dev.holdfast.agent.delivery;

import dev.holdfast.agent.outbox.Sender;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.protocol.crypto.Secret;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Sends an SMS straight to the Twilio Messages API (or a compatible one): {@code POST
 * <base>/2010-04-01/Accounts/<SID>/Messages.json}, form-encoded {@code To}, {@code From},
 * {@code Body}, HTTP basic auth with the account SID and the auth token from the vault. Twilio
 * ignores {@code Idempotency-Key}, so a retry after a lost answer can send the SMS twice; the
 * relay provider closes that window.
 */
public final class TwilioSender implements Sender {
  private final HttpDelivery http;
  private final URI base;
  private final Optional<String> accountSid;
  private final Optional<String> from;
  private final SecretSource authToken;

  public TwilioSender(HttpDelivery http, URI base, Optional<String> accountSid, Optional<String> from,
      SecretSource authToken) {
    this.http = http;
    this.base = base;
    this.accountSid = accountSid;
    this.from = from;
    this.authToken = authToken;
  }

  @Override
  public DeliveryOutcome send(OutboxRecord record) {
    if (accountSid.isEmpty() || from.isEmpty()) {
      return NotConfigured.retry("sms.twilio.account-sid and sms.twilio.from must be set for sms.provider = twilio");
    }
    Optional<Secret> token = authToken.read();
    if (token.isEmpty()) {
      return NotConfigured.retry("no Twilio auth token: store it with 'holdfast-agent secret set "
          + authToken.name() + "'");
    }
    String form = "To=" + encode(record.destination()) + "&From=" + encode(from.get()) + "&Body="
        + encode(new String(record.payload(), StandardCharsets.UTF_8));
    URI uri = HttpDelivery.under(base, "/2010-04-01/Accounts/" + accountSid.get() + "/Messages.json");
    HttpRequest.Builder request = http.post(uri, record, "application/x-www-form-urlencoded",
        form.getBytes(StandardCharsets.UTF_8));
    byte[] secret = token.get().bytes();
    byte[] user = (accountSid.get() + ":").getBytes(StandardCharsets.US_ASCII);
    byte[] credentials = new byte[user.length + secret.length];
    System.arraycopy(user, 0, credentials, 0, user.length);
    System.arraycopy(secret, 0, credentials, user.length, secret.length);
    try {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials));
    } finally {
      java.util.Arrays.fill(secret, (byte) 0);
      java.util.Arrays.fill(credentials, (byte) 0);
      token.get().destroy();
    }
    return http.send(request.build());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "TwilioSender";
  }
}
