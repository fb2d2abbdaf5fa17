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
    Map<Setting, Object> values = new EnumMap<>(Setting.class);
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
  static void parse(Path path, List<String> lines, Map<Setting, Object> values) throws ConfigException {
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

  private static Object parseValue(Setting setting, String value, String where) throws ConfigException {
    if (setting == Setting.VAULT_KEY_FILE && value.isEmpty()) {
      return Optional.empty();
    }
    try {
      Object parsed = setting.parse(value);
      return setting == Setting.VAULT_KEY_FILE ? Optional.of(parsed) : parsed;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigException.Kind.INVALID,
          where + ": " + setting.key() + " = '" + value + "' is not allowed; it must be " + e.getMessage());
    }
  }

  private static AgentConfig build(Map<Setting, Object> values) throws ConfigException {
    for (Setting s : Setting.values()) {
      if (!values.containsKey(s)) {
        values.put(s, parseValue(s, s.defaultValue(), "default"));
      }
    }
    @SuppressWarnings("unchecked")
    Optional<Path> keyFile = (Optional<Path>) values.get(Setting.VAULT_KEY_FILE);
    return new AgentConfig(
        (Path) values.get(Setting.DATA_DIR),
        (LogLevel) values.get(Setting.LOG_LEVEL),
        keyFile,
        (String) values.get(Setting.VAULT_CREDENTIAL));
  }
}
