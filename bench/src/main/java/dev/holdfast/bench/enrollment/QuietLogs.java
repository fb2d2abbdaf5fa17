package dev.holdfast.bench.enrollment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Both sides log at info level as the shipped jars do, but to a temp file (deleted on exit), so
 * logging is part of the cost without filling the terminal.
 */
final class QuietLogs {
  private QuietLogs() {}

  /** Must run before anything logs: tinylog's configuration is frozen at first use. */
  static void toTempFile() throws java.io.IOException {
    if (org.tinylog.configuration.Configuration.isFrozen()) {
      return;
    }
    Path file = Files.createTempFile("holdfast-bench-", ".log");
    file.toFile().deleteOnExit();
    org.tinylog.configuration.Configuration.replace(Map.of(
        "writer", "file",
        "writer.file", file.toString(),
        "writer.format", "{level}: {message}",
        "writer.level", "info"));
  }
}
