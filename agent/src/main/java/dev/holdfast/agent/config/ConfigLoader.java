package dev.holdfast.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the configuration file and applies command-line overrides on top.
 *
 * <p>The format is one {@code key = value} per line; {@code #} starts a comment line; blank lines
 * are ignored; values are taken as written (no quotes, no escapes), trimmed. An unknown key is an
 * error that suggests the closest known one; a key given twice is an error.
 */
public final class ConfigLoader {
  public static final Path DEFAULT_FILE = Path.of("/etc/holdfast/agent.conf");

  private ConfigLoader() {}

  /**
   * @param file the file named by {@code --config}, or empty for the default (which may be absent)
   * @param overrides settings given on the command line, already as strings
   */
  public static AgentConfig load(Optional<Path> file, Map<Setting, String> overrides) throws ConfigException {
    Map<Setting, Optional<Object>> values = new EnumMap<>(Setting.class);
    Path path = file.orElse(DEFAULT_FILE);
    try {
      parse(path, Files.readAllLines(path, StandardCharsets.UTF_8), values);
    } catch (NoSuchFileException e) {
      if (file.isPresent()) {
        throw new ConfigException(ConfigException.Kind.MISSING_FILE,
            "configuration file " + path + " does not exist (check --config)");
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, path + " is not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException(ConfigException.Kind.INVALID,
          "could not read configuration file " + path + ": " + e.getMessage());
    }
    for (Map.Entry<Setting, String> o : overrides.entrySet()) {
      values.put(o.getKey(), parseValue(o.getKey(), o.getValue(), "command line"));
    }
    return build(values);
  }

  /** Parses file content into {@code values}; exposed for tests of the format. */
  static void parse(Path path, List<String> lines, Map<Setting, Optional<Object>> values)
      throws ConfigException {
    Map<Setting, Integer> seenOnLine = new EnumMap<>(Setting.class);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      String where = path + " line " + (i + 1);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(ConfigException.Kind.INVALID,
            where + ": expected 'key = value', found '" + line + "'");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      Setting setting = Setting.byKey(key).orElseThrow(() -> unknownKey(where, key));
      Integer earlier = seenOnLine.put(setting, i + 1);
      if (earlier != null) {
        throw new ConfigException(ConfigException.Kind.INVALID,
            where + ": '" + key + "' is already set on line " + earlier + "; keep one of them");
      }
      values.put(setting, parseValue(setting, value, where));
    }
  }

  private static ConfigException unknownKey(String where, String key) {
    String suggestion = Suggestions.closest(key,
        java.util.Arrays.stream(Setting.values()).map(Setting::key).toList())
        .map(s -> "; did you mean '" + s + "'?")
        .orElse("; see docs/configuration.md for the known keys");
    return new ConfigException(ConfigException.Kind.INVALID, where + ": unknown key '" + key + "'" + suggestion);
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

  private static AgentConfig build(Map<Setting, Optional<Object>> values) throws ConfigException {
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
              v.optional(Setting.WEBHOOK_SIGNING_SECRET, String.class)),
          new LinkSettings(
              v.optional(Setting.MQTT_BROKER, java.net.URI.class),
              v.get(Setting.MQTT_KEEPALIVE, java.time.Duration.class),
              v.get(Setting.MQTT_STATE_INTERVAL, java.time.Duration.class),
              v.get(Setting.MQTT_SESSION_EXPIRY, java.time.Duration.class),
              v.get(Setting.MQTT_RECONNECT_BASE, java.time.Duration.class),
              v.get(Setting.MQTT_RECONNECT_CAP, java.time.Duration.class),
              v.get(Setting.MQTT_TIMEOUT, java.time.Duration.class)),
          new HealthSettings(
              v.get(Setting.HEALTH_LINK_DOWN_AFTER, java.time.Duration.class),
              v.get(Setting.HEALTH_MAX_QUEUED, HealthSettings.Share.class)
                  .of(v.get(Setting.OUTBOX_MAX_RECORDS, Integer.class))));
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
