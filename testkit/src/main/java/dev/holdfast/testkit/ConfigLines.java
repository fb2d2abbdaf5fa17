package dev.holdfast.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Changes settings in a {@code key = value} configuration file the way a person edits it: the
 * line of a key that is set already is replaced, a new key is added at the end. Both programs
 * refuse a key given twice, so appending an override is not an option.
 */
public final class ConfigLines {
  private ConfigLines() {}

  /** Sets every {@code key=value} of {@code lines} in {@code file}. */
  public static void set(Path file, List<String> lines) throws IOException {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("not key=value: " + line);
      }
      wanted.put(line.substring(0, eq).strip(), line.strip());
    }
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      String key = eq > 0 && !line.strip().startsWith("#") ? line.substring(0, eq).strip() : null;
      out.add(key != null && wanted.containsKey(key) ? wanted.remove(key) : line);
    }
    out.addAll(wanted.values());
    Files.write(file, out, StandardCharsets.UTF_8);
  }

  public static void set(Path file, String... lines) throws IOException {
    set(file, List.of(lines));
  }
}
