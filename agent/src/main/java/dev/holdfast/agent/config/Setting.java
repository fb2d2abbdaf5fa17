package dev.holdfast.agent.config;

import dev.holdfast.common.time.Durations;
import dev.holdfast.protocol.messages.PhoneNumbers;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every configuration key: its name, default, what it accepts, and how to parse it. The table in
 * {@code docs/configuration.md} documents exactly these. An empty default means "not set".
 */
public enum Setting {
  DATA_DIR("data-dir", "/var/lib/holdfast", "an absolute directory path",
      v -> Values.absolutePath(v, "an absolute directory path")),
  LOG_LEVEL("log.level", "info", "one of trace, debug, info, warn, error",
      v -> Values.oneOf(v, LogLevel.class)),
  VAULT_KEY_FILE("vault.key-file", "", "an absolute path to a key file (mode 0600 or 0400)",
      v -> Values.absolutePath(v, "an absolute path to a key file (mode 0600 or 0400)")),
  VAULT_CREDENTIAL("vault.credential", "store-key", "a systemd credential name", Values::name),
  LOCAL_SOCKET("local.socket", "/run/holdfast/agent.sock", "an absolute path for the unix socket",
      v -> Values.absolutePath(v, "an absolute path for the unix socket")),
  LOCAL_IDLE_TIMEOUT("local.idle-timeout", "30s", "a duration such as 30s", Durations::parse),
  OUTBOX_MAX_RECORDS("outbox.max-records", "10000", "a whole number from 1 to 10000000",
      v -> Values.positiveInt(v, 10_000_000)),
  OUTBOX_MAX_BYTES("outbox.max-bytes", "64MiB", "a size such as 64MiB", Values::size),
  OUTBOX_MAX_BODY_BYTES("outbox.max-body-bytes", "64KiB", "a size such as 64KiB", Values::size),
  OUTBOX_WHEN_FULL("outbox.when-full", "refuse", "refuse or drop-oldest",
      v -> Values.oneOf(v, OutboxSettings.WhenFull.class)),
  OUTBOX_DEFAULT_TTL("outbox.default-ttl", "7d", "a duration such as 24h or 7d", Durations::parse),
  OUTBOX_CONCURRENCY("outbox.concurrency", "4", "a whole number from 1 to 256",
      v -> Values.positiveInt(v, 256)),
  OUTBOX_RETRY_BASE("outbox.retry.base", "1s", "a duration such as 1s", Durations::parse),
  OUTBOX_RETRY_CAP("outbox.retry.cap", "5m", "a duration such as 5m", Durations::parse),
  DELIVERY_TIMEOUT("delivery.timeout", "10s", "a duration such as 10s", Durations::parse),
  SMS_PROVIDER("sms.provider", "relay", "relay or twilio",
      v -> Values.oneOf(v, DeliverySettings.SmsProvider.class)),
  SMS_RELAY_URL("sms.relay.url", "", "an http:// or https:// URL with a host", Values::httpUrl),
  SMS_TWILIO_BASE_URL("sms.twilio.base-url", "https://api.twilio.com", "an http:// or https:// URL",
      Values::httpUrl),
  SMS_TWILIO_ACCOUNT_SID("sms.twilio.account-sid", "", "an account SID such as AC0123...",
      v -> {
        if (!v.matches("AC[0-9a-fA-F]{32}")) {
          throw new IllegalArgumentException("'AC' followed by 32 hex digits");
        }
        return v;
      }),
  SMS_TWILIO_FROM("sms.twilio.from", "", "an E.164 number such as +15551234567",
      v -> {
        if (!PhoneNumbers.isE164(v)) {
          throw new IllegalArgumentException("an E.164 number such as +15551234567");
        }
        return v;
      }),
  WEBHOOK_SIGNING_SECRET("webhook.signing-secret", "", "the name of a secret in the vault", Values::name),
  WEBHOOK_ALLOWED_URLS("webhook.allowed-urls", "",
      "URL prefixes separated by commas, such as https://hooks.example/in/", WebhookUrls::parse),
  MQTT_BROKER("mqtt.broker", "", "an ssl:// URI with a host, such as ssl://broker.example:8883",
      LinkSettings::brokerUri),
  MQTT_KEEPALIVE("mqtt.keepalive", "60s", "a duration from 1s to 18h", Durations::parse),
  MQTT_STATE_INTERVAL("mqtt.state-interval", "15m", "a duration such as 15m", Durations::parse),
  MQTT_SESSION_EXPIRY("mqtt.session-expiry", "1d", "a duration from 0s to 136y", Durations::parse),
  MQTT_RECONNECT_BASE("mqtt.reconnect.base", "1s", "a duration such as 1s", Durations::parse),
  MQTT_RECONNECT_CAP("mqtt.reconnect.cap", "2m", "a duration such as 2m", Durations::parse),
  MQTT_TIMEOUT("mqtt.timeout", "10s", "a duration of at least 1s, such as 10s", Durations::parse),
  PROVISIONING_URL("provisioning.url", "", "an https:// URL with a host, such as https://prov.example:8443",
      Values::httpsUrl),
  ROTATION_ANSWER_TIMEOUT("rotation.answer-timeout", "20s", "a duration from 1s to 10m, such as 20s",
      Durations::parse),
  COMMANDS_MAX_LIFETIME("commands.max-lifetime", "5m", "a duration from 1s to 1d, such as 5m", Durations::parse),
  HEALTH_LINK_DOWN_AFTER("health.link-down-after", "15m", "a duration such as 15m", Durations::parse),
  HEALTH_MAX_QUEUED("health.max-queued", "80%", HealthSettings.Share.ALLOWED, HealthSettings.Share::parse);

  private final String key;
  private final String defaultValue;
  private final String allowed;
  private final Function<String, Object> parser;

  Setting(String key, String defaultValue, String allowed, Function<String, Object> parser) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.allowed = allowed;
    this.parser = parser;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String allowed() {
    return allowed;
  }

  public static Optional<Setting> byKey(String key) {
    return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
  }

  /** The parsed value, or empty for an empty text; the exception says what is allowed. */
  Optional<Object> parse(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(parser.apply(value));
  }
}
