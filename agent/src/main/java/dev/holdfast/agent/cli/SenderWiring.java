package dev.holdfast.agent.cli;

import dev.holdfast.agent.config.DeliverySettings;
import dev.holdfast.agent.delivery.HttpDelivery;
import dev.holdfast.agent.delivery.NotConfigured;
import dev.holdfast.agent.delivery.RelaySender;
import dev.holdfast.agent.delivery.SecretSource;
import dev.holdfast.agent.outbox.Sender;
import dev.holdfast.agent.delivery.TwilioSender;
import dev.holdfast.agent.delivery.WebhookSender;
import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.secrets.Secrets;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;
import org.tinylog.Logger;

/**
 * Picks the sender for each record: its channel, and for SMS the configured provider. Secrets are
 * read from the vault at each attempt, so {@code secret set} (and later rotation) applies to the
 * next attempt without a restart.
 */
final class SenderWiring {
  private SenderWiring() {}

  /**
   * @param relayTls TLS for the relay (the fleet's server; may trust only the fleet root)
   * @param twilioClient the JDK client for {@code sms.provider = twilio}, asked for only then
   * @param mqtt the sender of the {@code mqtt} channel: the link's, or one that holds records until there is a link
   */
  static Function<OutboxRecord, Sender> build(DeliverySettings settings, Vault vault, Supplier<SSLSocketFactory> relayTls,
      Supplier<HttpClient> twilioClient, Sender mqtt, Clock clock) {
    Secrets secrets = new Secrets(vault);
    Sender sms = lazy(() -> switch (settings.smsProvider()) {
      case RELAY -> new RelaySender(new HttpDelivery(relayTls, settings.timeout(), clock), settings.relayUrl(),
          relayApiKey(new IdentityStore(vault), secrets));
      case TWILIO -> new TwilioSender(new HttpDelivery(HttpDelivery.PLATFORM_TLS, settings.timeout(), clock),
          twilioClient.get(), settings.twilioBaseUrl(), settings.twilioAccountSid(), settings.twilioFrom(),
          secret(secrets, NotConfigured.TWILIO_AUTH_TOKEN_SECRET));
    });
    Sender webhook = lazy(() -> new WebhookSender(new HttpDelivery(HttpDelivery.PLATFORM_TLS, settings.timeout(), clock),
        settings.webhookSigningSecret().map(name -> secret(secrets, name)), settings.webhookAllowedUrls(), clock));
    return record -> switch (record.channel()) {
      case SMS -> sms;
      case WEBHOOK -> webhook;
      case MQTT -> mqtt;
    };
  }

  /** A sender made at its first attempt, with the HTTP client it needs (see {@link Lazy}). */
  private static Sender lazy(Supplier<Sender> make) {
    Lazy<Sender> sender = new Lazy<>(make);
    return record -> sender.get().send(record);
  }

  /**
   * The enrolled API key when the vault holds an identity, else the hand-set secret {@code
   * relay-api-key} (devices from before enrollment). Each read is a fresh copy the sender may wipe.
   */
  private static SecretSource relayApiKey(IdentityStore identity, Secrets secrets) {
    SecretSource fallback = secret(secrets, NotConfigured.RELAY_API_KEY_SECRET);
    return new SecretSource(NotConfigured.RELAY_API_KEY_SECRET, () -> {
      try {
        Optional<CredentialSet> current = identity.current();
        if (current.isPresent()) {
          return Optional.of(current.get().apiKey());
        }
      } catch (VaultException e) {
        Logger.warn("could not read the device identity from the vault: {}", e.getMessage());
        return Optional.empty();
      }
      return fallback.read();
    });
  }

  /** Reads a named secret; a vault that cannot be read counts as "missing" for this attempt. */
  private static SecretSource secret(Secrets secrets, String name) {
    return new SecretSource(name, () -> {
      try {
        return secrets.get(name);
      } catch (VaultException e) {
        Logger.warn("could not read secret '{}' from the vault: {}", name, e.getMessage());
        return Optional.empty();
      }
    });
  }
}
