package dev.holdfast.provisioning.relay;

import dev.holdfast.common.sms.TwilioClient;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.RelayMessage;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;

/** Forwards to Twilio's Messages API (or a compatible one) with the shared {@link TwilioClient}. */
public final class TwilioSender implements SmsSender {
  private final TwilioClient client;
  private final String from;
  private final Secret authToken;
  private final Clock clock;

  public TwilioSender(HttpClient http, RelaySettings settings, Secret authToken, Clock clock) {
    this.client = new TwilioClient(http, settings.upstreamBaseUrl(), settings.accountSid(), settings.upstreamTimeout());
    this.from = settings.from();
    this.authToken = authToken;
    this.clock = clock;
  }

  @Override
  public Outcome send(RelayMessage message) {
    TwilioClient.Reply reply = client.send(new TwilioClient.Message(message.to(), from, message.body()), authToken,
        Map.of());
    if (reply instanceof TwilioClient.Answered a) {
      return UpstreamAnswers.of("SMS API", a.status(), a.retryAfter(), a.sid(), a.code(), clock);
    }
    if (reply instanceof TwilioClient.NoAnswer n) {
      return UpstreamAnswers.unreachable("SMS API", n.cause());
    }
    return UpstreamAnswers.interrupted();
  }

  @Override
  public String toString() {
    return "TwilioSender[" + client + "]";
  }
}
