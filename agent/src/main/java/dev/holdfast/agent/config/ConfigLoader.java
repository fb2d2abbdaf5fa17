package dev.holdfast.agent.config;

import dev.holdfast.common.config.ConfigException;
import dev.holdfast.common.config.ConfigFile;
import dev.holdfast.common.config.KnownKeys;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the configuration file (the {@link ConfigFile} format both programs share: {@code key =
 * value} lines, unknown keys refused with a suggestion, a key given twice refused) and applies
 * command-line overrides on top.
 */
public final class ConfigLoader {
  public static final Path DEFAULT_FILE = Path.of("/etc/holdfast/agent.conf");
  /** Every key of {@link Setting}, and the {@code gpio.} keys {@link GpioKeys} checks; docs/configuration.md lists them. */
  static final KnownKeys KEYS = KnownKeys.of(Arrays.stream(Setting.values()).map(Setting::key).toList(),
      "docs/configuration.md").withDelegated(GpioKeys.PREFIX);

  private ConfigLoader() {}

  /**
   * @param file the file named by {@code --config}, or empty for the default (which may be absent)
   * @param overrides settings given on the command line, already as strings
   */
  public static AgentConfig load(Optional<Path> file, Map<Setting, String> overrides) throws ConfigException {
    Map<Setting, Optional<Object>> values = new EnumMap<>(Setting.class);
    GpioKeys gpio = new GpioKeys();
    Path path = file.orElse(DEFAULT_FILE);
    ConfigFile read;
    try {
      read = ConfigFile.read(path, KEYS);
    } catch (NoSuchFileException e) {
      if (file.isPresent()) {
        throw new ConfigException(ConfigException.Kind.MISSING_FILE,
            "configuration file " + path + " does not exist (check --config)");
      }
      read = ConfigFile.empty();
    }
    for (ConfigFile.Entry entry : read.entries().values()) {
      if (GpioKeys.owns(entry.key())) {
        gpio.put(entry.key(), entry.value(), entry.where());
        continue;
      }
      Setting setting = Setting.byKey(entry.key()).orElseThrow();
      values.put(setting, parseValue(setting, entry.value(), entry.where()));
    }
    for (Map.Entry<Setting, String> o : overrides.entrySet()) {
      values.put(o.getKey(), parseValue(o.getKey(), o.getValue(), "command line"));
    }
    return build(values, gpio.build());
  }

  private static Optional<Object> parseValue(Setting setting, String value, String where)
      throws ConfigException {
    try {
      return setting.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigException.Kind.INVALID,
          where + ": " + setting.key() + " = '" + value + "' is not allowed; it must be " + e.getMessage());
    }
  }

  private static AgentConfig build(Map<Setting, Optional<Object>> values, GpioSettings gpio) throws ConfigException {
    for (Setting s : Setting.values()) {
      if (!values.containsKey(s)) {
        values.put(s, parseValue(s, s.defaultValue(), "default"));
      }
    }
    Settings v = new Settings(values);
    try {
      return new AgentConfig(
          v.get(Setting.DATA_DIR, Path.class),
          v.get(Setting.LOG_LEVEL, LogLevel.class),
          v.optional(Setting.VAULT_KEY_FILE, Path.class),
          v.get(Setting.VAULT_CREDENTIAL, String.class),
          v.get(Setting.LOCAL_SOCKET, Path.class),
          v.get(Setting.LOCAL_IDLE_TIMEOUT, java.time.Duration.class),
          new OutboxSettings(
              v.get(Setting.OUTBOX_MAX_RECORDS, Integer.class),
              v.get(Setting.OUTBOX_MAX_BYTES, Long.class),
              v.get(Setting.OUTBOX_MAX_BODY_BYTES, Long.class),
              v.get(Setting.OUTBOX_WHEN_FULL, OutboxSettings.WhenFull.class),
              v.get(Setting.OUTBOX_DEFAULT_TTL, java.time.Duration.class),
              v.get(Setting.OUTBOX_CONCURRENCY, Integer.class),
              v.get(Setting.OUTBOX_RETRY_BASE, java.time.Duration.class),
              v.get(Setting.OUTBOX_RETRY_CAP, java.time.Duration.class)),
          new DeliverySettings(
              v.get(Setting.DELIVERY_TIMEOUT, java.time.Duration.class),
              v.get(Setting.SMS_PROVIDER, DeliverySettings.SmsProvider.class),
              v.optional(Setting.SMS_RELAY_URL, java.net.URI.class),
              v.get(Setting.SMS_TWILIO_BASE_URL, java.net.URI.class),
              v.optional(Setting.SMS_TWILIO_ACCOUNT_SID, String.class),
              v.optional(Setting.SMS_TWILIO_FROM, String.class),
              v.optional(Setting.WEBHOOK_SIGNING_SECRET, String.class),
              v.optional(Setting.WEBHOOK_ALLOWED_URLS, WebhookUrls.class).orElse(WebhookUrls.ANY)),
          new LinkSettings(
              v.optional(Setting.MQTT_BROKER, java.net.URI.class),
              v.get(Setting.MQTT_KEEPALIVE, java.time.Duration.class),
              v.get(Setting.MQTT_STATE_INTERVAL, java.time.Duration.class),
              v.get(Setting.MQTT_SESSION_EXPIRY, java.time.Duration.class),
              v.get(Setting.MQTT_RECONNECT_BASE, java.time.Duration.class),
              v.get(Setting.MQTT_RECONNECT_CAP, java.time.Duration.class),
              v.get(Setting.MQTT_TIMEOUT, java.time.Duration.class)),
          v.get(Setting.COMMANDS_MAX_LIFETIME, java.time.Duration.class),
          gpio,
          new HealthSettings(
              v.get(Setting.HEALTH_LINK_DOWN_AFTER, java.time.Duration.class),
              v.get(Setting.HEALTH_MAX_QUEUED, HealthSettings.Share.class)
                  .of(v.get(Setting.OUTBOX_MAX_RECORDS, Integer.class))),
          v.optional(Setting.PROVISIONING_URL, java.net.URI.class),
          v.get(Setting.ROTATION_ANSWER_TIMEOUT, java.time.Duration.class));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, "configuration: " + e.getMessage());
    }
  }

  /** Typed access to parsed values. */
  private record Settings(Map<Setting, Optional<Object>> values) {
    <T> T get(Setting s, Class<T> type) {
      return type.cast(values.get(s).orElseThrow(() -> new IllegalArgumentException(s.key() + " must be set")));
    }

    <T> Optional<T> optional(Setting s, Class<T> type) {
      return values.get(s).map(type::cast);
    }
  }
}
