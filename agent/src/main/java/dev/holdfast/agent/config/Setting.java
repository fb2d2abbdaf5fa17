package dev.holdfast.agent.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One known configuration key: its name, default, what it accepts, and how to parse it. The table
 * in {@code docs/configuration.md} documents exactly these.
 */
public enum Setting {
  DATA_DIR("data-dir", "/var/lib/holdfast", "an absolute directory path"),
  LOG_LEVEL("log.level", "info", "one of " + Arrays.stream(LogLevel.values())
      .map(LogLevel::configName).collect(Collectors.joining(", "))),
  VAULT_KEY_FILE("vault.key-file", "", "an absolute path to a key file (mode 0600 or 0400)"),
  VAULT_CREDENTIAL("vault.credential", "store-key", "a systemd credential name: letters, digits, '.', '_', '-'");

  private final String key;
  private final String defaultValue;
  private final String allowed;

  Setting(String key, String defaultValue, String allowed) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.allowed = allowed;
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

  public static java.util.Optional<Setting> byKey(String key) {
    return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
  }

  /** Parses and checks a value; the message of the exception says what is allowed. */
  Object parse(String value) throws IllegalArgumentException {
    switch (this) {
      case DATA_DIR:
      case VAULT_KEY_FILE:
        return absolutePath(value);
      case LOG_LEVEL:
        try {
          return LogLevel.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(allowed);
        }
      case VAULT_CREDENTIAL:
        if (!value.matches("[A-Za-z0-9._-]{1,255}")) {
          throw new IllegalArgumentException(allowed);
        }
        return value;
      default:
        throw new IllegalStateException("unhandled setting " + this);
    }
  }

  private Path absolutePath(String value) {
    if (value.isEmpty() || !value.startsWith("/")) {
      throw new IllegalArgumentException(allowed);
    }
    try {
      return Path.of(value).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException(allowed);
    }
  }
}
