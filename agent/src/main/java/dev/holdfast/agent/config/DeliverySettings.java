package dev.holdfast.agent.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How records leave the device ({@code delivery.*}, {@code sms.*}, {@code webhook.*}).
 *
 * @param webhookAllowedUrls {@code webhook.allowed-urls}: where webhooks may go ({@link WebhookUrls#ANY} if not set)
 */
public record DeliverySettings(
    Duration timeout,
    SmsProvider smsProvider,
    Optional<URI> relayUrl,
    URI twilioBaseUrl,
    Optional<String> twilioAccountSid,
    Optional<String> twilioFrom,
    Optional<String> webhookSigningSecret,
    WebhookUrls webhookAllowedUrls) {

  /** Where SMS go. */
  public enum SmsProvider {
    RELAY,
    TWILIO
  }

  public DeliverySettings {
    Checks.positive(timeout, "delivery.timeout");
    java.util.Objects.requireNonNull(webhookAllowedUrls, "webhook.allowed-urls");
  }
}
