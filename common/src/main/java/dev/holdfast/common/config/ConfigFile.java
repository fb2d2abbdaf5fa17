package dev.holdfast.common.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration file format of both programs: one {@code key = value} per line; {@code #} starts
 * a comment line; blank lines are ignored; values are taken as written (no quotes, no escapes),
 * trimmed. A key the program does not know is an error that suggests the closest known one; a key
 * given twice is an error naming both lines; an empty value means "not set". Every error names the
 * file and the line, so the person reading it knows where to look.
 */
public final class ConfigFile {
  /** One setting as written, and where: {@code FILE line N}. */
  public record Entry(String key, String value, String where) {}

  private final String source;
  private final Map<String, Entry> entries;

  private ConfigFile(String source, Map<String, Entry> entries) {
    this.source = source;
    this.entries = Collections.unmodifiableMap(entries);
  }

  /** No settings at all (a program's defaults). */
  public static ConfigFile empty() {
    return new ConfigFile("(defaults)", new LinkedHashMap<>());
  }

  /**
   * Reads {@code path}.
   *
   * @throws NoSuchFileException when the file does not exist: whether that is an error, and what
   *     to tell the user, is the caller's to say
   */
  public static ConfigFile read(Path path, KnownKeys known) throws ConfigException, NoSuchFileException {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (MalformedInputException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, path + " is not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException(ConfigException.Kind.INVALID,
          "could not read configuration file " + path + ": " + e.getMessage());
    }
    return parse(path.toString(), lines, known);
  }

  /** Parses lines read from {@code source} (a path, for messages). */
  public static ConfigFile parse(String source, List<String> lines, KnownKeys known) throws ConfigException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<String, Integer> seenOnLine = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      String where = source + " line " + (i + 1);
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
      if (!known.contains(key)) {
        throw known.unknown(where, key);
      }
      Integer earlier = seenOnLine.put(key, i + 1);
      if (earlier != null) {
        throw new ConfigException(ConfigException.Kind.INVALID,
            where + ": '" + key + "' is already set on line " + earlier + "; keep one of them");
      }
      entries.put(key, new Entry(key, value, where));
    }
    return new ConfigFile(source, entries);
  }

  /** Where the settings were read from, for messages. */
  public String source() {
    return source;
  }

  /** Every setting, in the file's order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** The setting, if the file sets it to a non-empty value. */
  public Optional<Entry> get(String key) {
    return Optional.ofNullable(entries.get(key)).filter(e -> !e.value().isEmpty());
  }

  /** Whether the file names {@code key} at all, even with an empty value. */
  public boolean has(String key) {
    return entries.containsKey(key);
  }
}
